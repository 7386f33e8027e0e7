// The attention view: pick a kind (self, or encoder/decoder/cross for a translator), a layer and
// a head; see that one head as BertViz's head view and as a table, and every head at once as the
// model view. Heads are fetched one at a time, when asked for.
import { h, put } from '../dom.js';
import { get, floats } from '../api.js';
import { weightScale, maxOf, legend } from '../colors.js';
import { t } from '../i18n.js';
import { matrixFigure } from '../matrix.js';
import { panel, fill, select, switcher, labelled, note } from '../ui.js';
import { headViewFigure } from './head-view.js';
import { modelViewFigure } from './model-view.js';

const selection = { model: null, kind: null, layer: 1, head: 1 };

function layerCount(model, kind) {
  return Math.max(1, kind === 'encoder' ? model.encoder_layers : model.layers);
}

/** The query parameters of one head (or, without layer/head, of the overview). */
export function attentionParams(ctx, kind, layer, head) {
  return { model: ctx.model.id, text: ctx.text, target: ctx.target, kind, layer, head };
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
      Object.assign(selection, { model: model.id, kind: kinds[0], layer: 1, head: 1 });
    }
    const controls = h('div', { class: 'controls' });
    const headHost = h('div');
    const overviewHost = h('div');
    host.append(controls, headHost, overviewHost);

    const showHead = () => fill(headHost, async () => headPanels(
      await fetchHead(attentionParams(ctx, selection.kind, selection.layer, selection.head)), `attention-${selection.kind}-${selection.layer}-${selection.head}`));

    const drawControls = (layers, heads) => {
      const numbered = (n) => Array.from({ length: n }, (_, i) => [i + 1, String(i + 1)]);
      put(controls,
        kinds.length > 1 && labelled(t('attentionKind'), switcher({
          options: kinds.map((k) => [k, t('kind_' + k)]), value: selection.kind, testid: 'kind-switch',
          onchange: (kind) => { Object.assign(selection, { kind, layer: 1, head: 1 }); ctx.rerender(); },
        })),
        labelled(t('layer'), select({ options: numbered(layers), value: selection.layer, testid: 'layer-select', onchange: (v) => { selection.layer = Number(v); refresh(); } })),
        labelled(t('head'), select({ options: numbered(heads), value: selection.head, testid: 'head-select', onchange: (v) => { selection.head = Number(v); refresh(); } })));
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
      drawControls(overview ? overview.layers : layerCount(model, selection.kind), overview ? overview.heads : Math.max(1, model.heads));
      drawOverview();
      showHead();
    };

    refresh();
    fill(overviewHost, async () => {
      overview = await get('/api/attention/overview', { model: model.id, text: ctx.text, target: ctx.target, kind: selection.kind });
      drawControls(overview.layers, overview.heads);
      drawOverview();
      return overviewHost.firstChild;
    });
  },
};
