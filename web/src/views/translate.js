// The translation box: the shared source text, a beam size and a length penalty; the server
// translates, and the page shows the translation's cross-attention (attention with target =
// the translation).
import { h } from '../dom.js';
import { post, isExport } from '../api.js';
import { t } from '../i18n.js';
import { panel, fill, labelled, numberInput, select, note } from '../ui.js';
import { attentionParams, fetchHead, headPanels } from './attention.js';

const settings = { model: null, beam: 4, lengthPenalty: 1, layer: 1, head: 1, result: null };

export const translateView = {
  id: 'translate',
  available: (model) => model.ready && model.task === 'translation',
  render(host, ctx) {
    const { model } = ctx;
    if (isExport) {
      host.append(note(t('disabledInExport')));
      return;
    }
    if (settings.model !== model.id) Object.assign(settings, { model: model.id, layer: 1, head: 1, result: null });
    const crossKind = model.attention_kinds.includes('cross') ? 'cross' : null;
    const resultHost = h('div');
    const attentionHost = h('div');
    const numbered = (n) => Array.from({ length: n }, (_, i) => [i + 1, String(i + 1)]);

    const showAttention = (translation) => {
      if (!crossKind) {
        attentionHost.replaceChildren(note(t('noAttention'), 'translation-no-attention'));
        return;
      }
      fill(attentionHost, async () => {
        const head = await fetchHead(attentionParams({ ...ctx, target: translation }, crossKind, settings.layer, settings.head));
        return [
          h('div', { class: 'controls' },
            labelled(t('layer'), select({ options: numbered(head.layers), value: settings.layer, testid: 'cross-layer-select', onchange: (v) => { settings.layer = Number(v); showAttention(translation); } })),
            labelled(t('head'), select({ options: numbered(head.heads), value: settings.head, testid: 'cross-head-select', onchange: (v) => { settings.head = Number(v); showAttention(translation); } }))),
          headPanels(head, `translation-cross-${settings.layer}-${settings.head}`),
        ];
      });
    };

    const translate = () => fill(resultHost, async () => {
      const answer = await post('/api/translate', { model: model.id, text: ctx.text, beam: settings.beam, length_penalty: settings.lengthPenalty, max_len: 0 });
      settings.result = { text: ctx.text, answer };
      showAttention(answer.translation);
      return resultFor(answer);
    });

    const resultFor = (answer) => panel(t('translation'), h('div', {},
      h('p', { class: 'translation', 'data-testid': 'translation', text: answer.translation }),
      h('p', { class: 'muted' }, t('tokens'), ': ', answer.tokens.map((label) => h('code', { class: 'token-chip', text: label })))));

    host.append(
      h('div', { class: 'controls' },
        labelled(t('beamSize'), numberInput({ value: settings.beam, min: 1, step: 1, testid: 'beam', onchange: (v) => { settings.beam = v; } })),
        labelled(t('lengthPenalty'), numberInput({ value: settings.lengthPenalty, min: 0, step: 'any', testid: 'length-penalty', onchange: (v) => { settings.lengthPenalty = v; } })),
        h('button', { type: 'button', 'data-testid': 'translate-button', onclick: translate, text: t('translateButton') })),
      h('p', { class: 'muted', text: t('translateHint') }),
      resultHost, attentionHost);
    if (settings.result && settings.result.text === ctx.text) {
      resultHost.append(resultFor(settings.result.answer));
      showAttention(settings.result.answer.translation);
    }
  },
};
