// The bigram view (seed 004's first model): the table P(next | current) as a heatmap, one row
// per current token, one column per next token. Each row is the softmax of the model's table row
// for the current token. A vocabulary of at most 96 tokens is shown whole (the text is not
// needed); a larger one shows the tokens of the text, each once, in order, as `dikkat bigram
// --text` does. The request is exactly {model} or {model, text}: `dikkat export-html` records
// both, and an exported page must find its twin.
import { h } from '../dom.js';
import { get, floats } from '../api.js';
import { weightScale, maxOf, legend } from '../colors.js';
import { t } from '../i18n.js';
import { matrixFigure } from '../matrix.js';
import { panel, fill, note } from '../ui.js';

export const WHOLE_VOCABULARY_LIMIT = 96;

/** The parameters of /api/bigram for this model and text (null: a text is needed first). */
export function bigramParams(model, text) {
  if (model.vocab_size <= WHOLE_VOCABULARY_LIMIT) return { model: model.id };
  return text ? { model: model.id, text } : null;
}

export const bigramView = {
  id: 'bigram',
  available: (model) => model.ready && model.next_token_table === true,
  render(host, ctx) {
    const params = bigramParams(ctx.model, ctx.text);
    if (!params) {
      host.append(note(t('typeText')));
      return;
    }
    const body = h('div');
    host.append(body);
    fill(body, async () => {
      const answer = await get('/api/bigram', params);
      const n = answer.size;
      const values = floats(answer.probabilities, n * n);
      const max = maxOf(values);
      const color = weightScale(max);
      const table = matrixFigure({
        values, rows: n, cols: n, rowLabels: answer.labels, colLabels: answer.labels, color,
        axisNames: [t('currentToken'), t('nextTokenAxis')], testid: 'bigram-cell', readout: true, edgeLabels: true,
      });
      const whole = !params.text;
      return [
        h('p', { class: 'muted', text: t('bigramExplain') }),
        h('p', { class: 'muted', 'data-testid': 'bigram-shown', 'data-size': String(n), 'data-whole': String(whole),
          text: whole ? t('bigramWhole', { count: n }) : t('bigramOfText', { count: n, vocab: answer.vocab_size }) }),
        panel(t('bigramTable'), h('div', {},
          h('p', { class: 'muted', text: t('bigramAxes') }),
          legend(color, 0, max),
          h('div', { class: 'scroll' }, table.element)),
        { save: { figure: table.figure, name: 'bigram' }, testid: 'bigram-table', attrs: { 'data-size': String(n) } }),
      ];
    });
  },
};
