// Next token: the raw logits after the text, turned into probabilities here in the browser at
// any temperature, top-k and top-p, drawn as bars. Below, a streaming generate box for language
// models: POST /api/generate and append each token as its event arrives.
import { h, s } from '../dom.js';
import { get, floats, postEvents, isExport } from '../api.js';
import { t, percent } from '../i18n.js';
import { distribution, topIds } from '../sampling.js';
import { panel, fill, labelled, numberInput, note, errorLine } from '../ui.js';

const BARS = 20;
const settings = { temperature: 1, topK: 0, topP: 1, tokens: 100, seed: 1 };

function barsFigure(probs, labels) {
  const ids = topIds(probs, BARS);
  const row = 22;
  const labelWidth = 110;
  const barWidth = 360;
  const width = labelWidth + barWidth + 90;
  const height = Math.max(1, ids.length) * row + 8;
  const max = ids.length ? probs[ids[0]] : 1;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bars', 'font-family': 'sans-serif', 'font-size': 12, 'data-testid': 'next-token-bars' });
  svg.append(s('rect', { width, height, fill: '#fff' }));
  ids.forEach((id, k) => {
    const p = probs[id];
    const y = 4 + k * row;
    svg.append(s('g', { 'data-testid': `prob-${id}`, 'data-value': String(p), 'data-label': labels[id] },
      s('text', { x: labelWidth - 6, y: y + 15, 'text-anchor': 'end', fill: '#222', text: labels[id] }),
      s('rect', { x: labelWidth, y: y + 3, width: Math.max(1, (p / max) * barWidth), height: row - 6, fill: '#4292c6' }),
      s('text', { x: labelWidth + (p / max) * barWidth + 6, y: y + 15, fill: '#444', text: percent(p) })));
  });
  return svg;
}

function samplingControls(onchange) {
  const set = (key) => (value) => { settings[key] = value; onchange(); };
  return h('div', { class: 'controls' },
    labelled(t('temperature'), numberInput({ value: settings.temperature, min: 0, step: 'any', testid: 'temperature', onchange: set('temperature') })),
    labelled(t('topK'), numberInput({ value: settings.topK, min: 0, step: 1, testid: 'top-k', onchange: set('topK') })),
    labelled(t('topP'), numberInput({ value: settings.topP, min: 0.01, max: 1, step: 'any', testid: 'top-p', onchange: set('topP') })));
}

/** The streaming generate box, and a function that stops its stream (for when the view goes). */
function generateBox(ctx) {
  if (isExport) return { element: panel(t('generate'), note(t('disabledInExport'))), stop: () => {} };
  const output = h('pre', { class: 'generated', 'data-testid': 'generated' });
  const done = h('p', { class: 'done', 'data-testid': 'generate-done', hidden: true, text: t('generateDone') });
  const status = h('div');
  let running = null;
  const start = async () => {
    if (running) running.abort();
    running = new AbortController();
    output.textContent = '';
    done.hidden = true;
    status.replaceChildren();
    try {
      await postEvents('/api/generate', {
        model: ctx.model.id, prompt: ctx.text, tokens: settings.tokens,
        temperature: settings.temperature, top_k: settings.topK, top_p: settings.topP, seed: settings.seed,
      }, (event, data) => {
        if (event === 'token') output.textContent += data.text;
        else if (event === 'done') done.hidden = false;
        else if (event === 'error') status.replaceChildren(errorLine({ message: data?.error ?? String(data) }));
      }, running.signal);
    } catch (error) {
      if (error.name !== 'AbortError') status.replaceChildren(errorLine(error));
    }
  };
  const element = panel(t('generate'), h('div', {},
    h('div', { class: 'controls' },
      labelled(t('tokensToGenerate'), numberInput({ value: settings.tokens, min: 1, step: 1, testid: 'gen-tokens', onchange: (v) => { settings.tokens = v; } })),
      labelled(t('seed'), numberInput({ value: settings.seed, min: 0, step: 1, testid: 'gen-seed', onchange: (v) => { settings.seed = v; } })),
      h('button', { type: 'button', 'data-testid': 'generate-button', onclick: start, text: t('generateButton') })),
    h('p', { class: 'muted', text: t('generateHint') }),
    h('div', { class: 'generated-box' }, h('span', { class: 'prompt', text: ctx.text }), output), done, status), { testid: 'generate' });
  return { element, stop: () => running?.abort() };
}

export const nextTokenView = {
  id: 'next',
  // A masked language model has no next token: its guesses are the fill view's.
  available: (model) => model.ready && model.task !== 'masked_language_model',
  render(host, ctx) {
    const { model } = ctx;
    const barsHost = h('div');
    host.append(barsHost);
    fill(barsHost, async () => {
      const [answer, vocab] = await Promise.all([
        get('/api/logits', { model: model.id, text: ctx.text, target: ctx.target }),
        get('/api/vocab', { model: model.id }),
      ]);
      const logits = floats(answer.logits, answer.vocab_size);
      const figureHost = h('div', { class: 'scroll' });
      let figure = null;
      const redraw = () => {
        figure = barsFigure(distribution(logits, settings), vocab.labels);
        figureHost.replaceChildren(figure);
      };
      redraw();
      return panel(t('nextToken'), h('div', {},
        samplingControls(redraw),
        h('p', { class: 'muted', text: t(model.task === 'translation' ? 'afterTarget' : 'afterTokens', { count: answer.tokens.length }) + (answer.dropped ? ' ' + t('droppedTokens', { count: answer.dropped }) : '') }),
        figureHost), { save: { figure: () => figure, name: 'next-token' }, testid: 'next-token' });
    });
    if (model.task !== 'language_model') return undefined;
    const box = generateBox(ctx);
    host.append(box.element);
    // A stream left running would hold the server's model for the next view's requests.
    return box.stop;
  },
};
