// The fill-the-blank view of a masked language model (seed 002's "Transformers [MASK]
// surprising emerging features."): for each [MASK] of the text, the model's most likely tokens
// with their probabilities as bars, each with the sentence it makes, and the text with every mask
// filled by its best guess. The request is {model, text, top}: export-html records it with the
// default top.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, percent } from '../i18n.js';
import { panel, fill, note } from '../ui.js';

const MASK = '[MASK]';

function candidateRow(c, best) {
  return h('li', { 'data-testid': 'fill-candidate', 'data-token': String(c.token), 'data-score': String(c.score) },
    h('code', { class: 'token-chip', text: c.label }),
    h('span', { class: 'bar', style: { width: `${Math.max(1, Math.round(240 * c.score / best))}px` } }),
    h('span', { class: 'muted', text: ` ${percent(c.score)} — ${c.sequence}` }));
}

export const fillView = {
  id: 'fill',
  available: (model) => model.ready && model.task === 'masked_language_model',
  render(host, ctx) {
    if (!ctx.text || !ctx.text.includes(MASK)) {
      host.append(note(t('fillHint'), 'fill-hint'));
      return;
    }
    const body = h('div');
    host.append(body);
    fill(body, async () => {
      const answer = await get('/api/fill', { model: ctx.model.id, text: ctx.text });
      const masks = answer.masks.map((m, i) => panel(t('fillMask', { n: i + 1, position: m.position }),
        h('ol', { class: 'next-list' }, m.candidates.map((c) => candidateRow(c, m.candidates[0].score))),
        { testid: 'fill-mask', attrs: { 'data-position': String(m.position) } }));
      return [
        h('p', { class: 'muted', text: t('fillExplain') }),
        panel(t('fillFilled'), h('p', { 'data-testid': 'fill-filled', class: 'filled', text: answer.filled })),
        ...masks,
      ];
    });
  },
};
