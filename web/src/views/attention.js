// The attention view: pick a kind (the model's own: self, or encoder/decoder/cross for a
// translator), a layer and a head; see that one head as BertViz's head view and as a table, and
// every head at once as the model view. Heads are fetched one at a time, when asked for. A run
// that kept its weights by step (train --snapshot-every) gets a training-step slider: the same
// head earlier in training.
import { h, put } from '../dom.js';
import { get, floats } from '../api.js';
import { weightScale, maxOf, legend } from '../colors.js';
import { t } from '../i18n.js';
import { matrixFigure } from '../matrix.js';
import { panel, fill, select, switcher, labelled, note } from '../ui.js';
import { headViewFigure } from './head-view.js';
import { modelViewFigure } from './model-view.js';

const selection = { model: null, kind: null, layer: 1, head: 1, checkpoint: null };

/** The layers and heads of one kind, as /api/models describes it. */
function shapeOf(model, kind) {
  const found = (model.attention || []).find((k) => k.kind === kind);
  return { layers: Math.max(1, found ? found.layers : model.layers), heads: Math.max(1, found ? found.heads : model.heads) };
}

/** The latest weights are asked for without naming a checkpoint (as before snapshots existed). */
function checkpointParam(model, file) {
  const latest = model.checkpoints.at(-1);
  return file && latest && file !== latest.file ? file : undefined;
}

/** The query parameters of one head (or, without layer/head, of the overview). */
export function attentionParams(ctx, kind, layer, head, checkpoint) {
  return { model: ctx.model.id, text: ctx.text, target: ctx.target, kind, layer, head, checkpoint: checkpointParam(ctx.model, checkpoint) };
}

/** A slider over the run's checkpoints, labelled with the step it shows. */
function stepSlider(checkpoints, file, onchange) {
  const index = Math.max(0, checkpoints.findIndex((c) => c.file === file));
  const readout = h('output', { 'data-testid': 'step-readout', text: `${checkpoints[index].step}` });
  const input = h('input', {
    type: 'range', min: 0, max: checkpoints.length - 1, step: 1, value: index, 'data-testid': 'step-slider',
    'aria-valuetext': `${t('step')} ${checkpoints[index].step}`,
    oninput: (e) => {
      const c = checkpoints[Number(e.target.value)];
      readout.textContent = `${c.step}`;
      e.target.setAttribute('aria-valuetext', `${t('step')} ${c.step}`);
      onchange(c.file);
    },
  });
  return h('span', { class: 'slider' }, input, readout);
}

/** Fetches one head and decodes its weights. */
export async function fetchHead(params) {
  const answer = await get('/api/attention', params);
  return { ...answer, values: floats(answer.weights, answer.rows * answer.cols) };
}

/** Head view + table for one fetched head, each in its own panel with save buttons. */
export function headPanels(head, name) {
  const m = { values: head.values, rows: head.rows, cols: head.cols, rowLabels: head.row_labels, colLabels: head.col_labels };
  const headView = headViewFigure(m);
  const max = maxOf(head.values);
  const color = weightScale(max);
  const table = matrixFigure({ ...m, color, axisNames: [t('query'), t('key')] });
  const caption = `${t('kind_' + head.kind)} · ${t('layer')} ${head.layer} · ${t('head')} ${head.head}`;
  const targetNote = head.translated ? note(t('targetIsOwnTranslation', { target: head.target })) : null;
  const attrs = { 'data-kind': head.kind, 'data-layer': head.layer, 'data-head': head.head };
  return [
    targetNote,
    h('div', { class: 'side-by-side' },
      panel(`${t('headView')} — ${caption}`, h('div', { class: 'scroll' }, headView.element), { save: { figure: headView.figure, name: `${name}-head-view` }, testid: 'head-view', attrs }),
      panel(`${t('table')} — ${caption}`, h('div', {}, legend(color, 0, max), h('div', { class: 'scroll' }, table.element)), { save: { figure: table.figure, name: `${name}-table` }, testid: 'attention-table', attrs })),
  ];
}

export const attentionView = {
  id: 'attention',
  available: (model) => model.ready && model.attention_kinds.length > 0,
  render(host, ctx) {
    const { model } = ctx;
    const kinds = model.attention_kinds;
    if (selection.model !== model.id || !kinds.includes(selection.kind)) {
      Object.assign(selection, { model: model.id, kind: kinds[0], layer: 1, head: 1, checkpoint: model.checkpoints.at(-1)?.file });
    }
    const controls = h('div', { class: 'controls' });
    const headHost = h('div');
    const overviewHost = h('div');
    host.append(controls, headHost, overviewHost);

    const showHead = () => fill(headHost, async () => headPanels(
      await fetchHead(attentionParams(ctx, selection.kind, selection.layer, selection.head, selection.checkpoint)), `attention-${selection.kind}-${selection.layer}-${selection.head}`));

    const drawControls = (layers, heads) => {
      const numbered = (n) => Array.from({ length: n }, (_, i) => [i + 1, String(i + 1)]);
      put(controls,
        kinds.length > 1 && labelled(t('attentionKind'), switcher({
          options: kinds.map((k) => [k, t('kind_' + k)]), value: selection.kind, testid: 'kind-switch',
          onchange: (kind) => { Object.assign(selection, { kind, layer: 1, head: 1 }); ctx.rerender(); },
        })),
        labelled(t('layer'), select({ options: numbered(layers), value: selection.layer, testid: 'layer-select', onchange: (v) => { selection.layer = Number(v); refresh(); } })),
        labelled(t('head'), select({ options: numbered(heads), value: selection.head, testid: 'head-select', onchange: (v) => { selection.head = Number(v); refresh(); } })),
        model.checkpoints.length > 1 && labelled(t('trainingStep'), stepSlider(model.checkpoints, selection.checkpoint, (file) => {
          selection.checkpoint = file;
          showHead();
          loadOverview();
        })));
    };

    let overview = null;
    const drawOverview = () => {
      if (!overview) return;
      const figure = modelViewFigure(overview, selection, (layer, head) => {
        Object.assign(selection, { layer, head });
        refresh();
        headHost.scrollIntoView({ behavior: 'smooth', block: 'start' });
      });
      overviewHost.replaceChildren(panel(`${t('modelView')} — ${t('kind_' + selection.kind)}`,
        h('div', { class: 'scroll' }, h('p', { class: 'muted', text: t('modelViewHint') }), figure.element),
        { save: { figure: figure.figure, name: `model-view-${selection.kind}` }, testid: 'model-view' }));
    };
    const refresh = () => {
      const shape = shapeOf(model, selection.kind);
      drawControls(shape.layers, shape.heads);
      drawOverview();
      showHead();
    };
    const loadOverview = () => fill(overviewHost, async () => {
      overview = await get('/api/attention/overview', attentionParams(ctx, selection.kind, undefined, undefined, selection.checkpoint));
      drawOverview();
      return overviewHost.firstChild;
    });

    refresh();
    loadOverview();
  },
};
