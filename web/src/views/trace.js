// Seed 003's step-by-step walk of one input: the list of steps (name, description, shape); a
// click fetches that step's numbers and shows them as a heatmap and a table, cut to a readable
// size with a "show all". The top next tokens close the walk.
import { h } from '../dom.js';
import { get, floats } from '../api.js';
import { signedScale, legend } from '../colors.js';
import { t, percent, language } from '../i18n.js';
import { matrixFigure, formatValue } from '../matrix.js';
import { panel, fill, labelled, switcher } from '../ui.js';

/** A step's one-line description in the page's language (the server sends English and Turkish). */
function describe(step) {
  return (language() === 'tr' && step.description_tr) || step.description;
}

const CUT_ROWS = 12;
const CUT_COLS = 12;
const picked = { model: null, name: null };

/** Any shape as rows x columns: the last axis is the columns, the others stack into rows. */
function asTable(shape) {
  const cols = shape.length ? shape[shape.length - 1] : 1;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { rows, cols };
}

/**
 * Labels for the stacked rows: the step's per-position labels (`rows`, when the server sends
 * them), prefixed by the leading indices when several tables are stacked.
 */
function rowLabelsFor(step, shape, rows) {
  const positions = step.rows;
  if (!positions || shape.length < 2 || positions.length !== shape[shape.length - 2]) return undefined;
  if (rows === positions.length) return positions;
  return Array.from({ length: rows }, (_, r) => `${Math.floor(r / positions.length) + 1}·${positions[r % positions.length]}`);
}

const ROWS_PER_BATCH = 50;

/**
 * The numbers as a table. "Show all" of a 500 x 500 step would be 250k cells at once, so rows
 * are added a batch at a time as the end of the table scrolls into view.
 */
function numbersTable(values, rows, cols, showAll, rowLabels) {
  const shownRows = showAll ? rows : Math.min(rows, CUT_ROWS);
  const shownCols = showAll ? cols : Math.min(cols, CUT_COLS);
  const row = (i) => h('tr', {},
    h('th', { text: rowLabels ? `${i} ${rowLabels[i]}` : String(i) }),
    Array.from({ length: shownCols }, (_, j) => {
      const v = values[i * cols + j];
      return h('td', { 'data-value': String(v), text: formatValue(v) });
    }));
  const body = h('tbody');
  const table = h('table', { class: 'numbers', 'data-testid': 'step-numbers' },
    h('thead', {}, h('tr', {}, h('th', { text: '' }), Array.from({ length: shownCols }, (_, j) => h('th', { text: String(j) })))),
    body);
  let added = 0;
  const sentinel = h('div', { class: 'more-rows' });
  const more = () => {
    const until = Math.min(shownRows, added + ROWS_PER_BATCH);
    for (; added < until; added++) body.append(row(added));
    if (added >= shownRows) {
      watcher?.disconnect();
      sentinel.remove();
    }
  };
  const watcher = shownRows > ROWS_PER_BATCH
    ? new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) more(); })
    : null;
  more();
  if (added < shownRows) watcher.observe(sentinel);
  return h('div', {}, table, added < shownRows && sentinel);
}

/** A heatmap and the numbers (cut, with "show all") of one rows x cols table. */
function tableBody(values, rows, cols, rowLabels) {
  let showAll = false;
  const cut = rows > CUT_ROWS || cols > CUT_COLS;
  const numbersHost = h('div', { class: 'scroll' });
  const toggle = cut && h('button', { type: 'button', class: 'small', 'data-testid': 'show-all' });
  const draw = () => {
    numbersHost.replaceChildren(numbersTable(values, rows, cols, showAll, rowLabels));
    if (toggle) toggle.textContent = showAll ? t('showLess') : t('showAll', { rows, cols });
  };
  if (toggle) toggle.addEventListener('click', () => { showAll = !showAll; draw(); });
  draw();
  const color = signedScale(values);
  const heat = matrixFigure({ values, rows, cols, rowLabels, color });
  const extent = color.extent;
  return {
    element: h('div', {},
      legend(color, -extent, extent),
      h('div', { class: 'scroll' }, heat.element),
      cut && h('p', { class: 'muted' }, t('cutNote', { rows: Math.min(rows, CUT_ROWS), cols: Math.min(cols, CUT_COLS) }), ' ', toggle),
      numbersHost),
    figure: heat.figure,
  };
}

/**
 * One step's numbers. A [heads, T, C] step is shown one head at a time (a switch picks it);
 * any other shape as rows x last axis.
 */
function stepDetail(step, answer) {
  const { shape } = answer;
  const { rows, cols } = asTable(shape);
  const values = floats(answer.values, rows * cols);
  const positions = answer.rows ?? step.rows;
  const bodyHost = h('div');
  let body = null;
  let picker = null;
  if (shape.length === 3) {
    const [count, sliceRows, sliceCols] = shape;
    const labels = positions && positions.length === sliceRows ? positions : undefined;
    const show = (index) => {
      body = tableBody(values.subarray(index * sliceRows * sliceCols, (index + 1) * sliceRows * sliceCols), sliceRows, sliceCols, labels);
      bodyHost.replaceChildren(body.element);
      for (const button of picker.querySelectorAll('button')) button.setAttribute('aria-pressed', String(Number(button.dataset.value) === index));
    };
    picker = h('div', { class: 'controls' }, labelled(t('head'), switcher({
      options: Array.from({ length: count }, (_, k) => [k, String(k + 1)]), value: 0, testid: 'trace-slice', onchange: show,
    })));
    show(0);
  } else {
    body = tableBody(values, rows, cols, rowLabelsFor({ rows: positions }, shape, rows));
    bodyHost.append(body.element);
  }
  return panel(`${step.name} [${shape.join(' × ')}]`, h('div', {},
    h('p', { class: 'muted', text: describe(step) }), picker, bodyHost),
  { save: { figure: () => body.figure(), name: `trace-${step.name}` }, testid: 'trace-step' });
}

function tokenLine(title, labels = []) {
  return h('p', { class: 'tokens' }, title, ': ', labels.map((label) => h('code', { class: 'token-chip', text: label })));
}

function nextTokens(next) {
  return panel(t('topNext'), h('ol', { class: 'next-list', 'data-testid': 'trace-next' },
    next.map((n) => h('li', { 'data-id': String(n.id) }, h('code', { text: n.label }), ` ${percent(n.probability)}`))));
}

export const traceView = {
  id: 'trace',
  available: (model) => model.ready,
  render(host, ctx) {
    const { model } = ctx;
    if (picked.model !== model.id) Object.assign(picked, { model: model.id, name: null });
    const base = { model: model.id, text: ctx.text, target: ctx.target };
    fill(host, async () => {
      const trace = await get('/api/trace', base);
      const detail = h('div', { class: 'trace-detail' });
      const list = h('ol', { class: 'steps', 'data-testid': 'trace-steps' });
      const open = (step, item) => {
        picked.name = step.name;
        for (const other of list.children) other.classList.toggle('active', other === item);
        fill(detail, async () => stepDetail(step, await get('/api/trace/step', { ...base, name: step.name })));
      };
      for (const step of trace.steps) {
        const item = h('li', { 'data-testid': `step-${step.name}`, tabindex: 0 },
          h('code', { text: step.name }), h('span', { class: 'shape', text: `[${step.shape.join(' × ')}]` }),
          h('div', { class: 'muted', text: describe(step) }));
        item.addEventListener('click', () => open(step, item));
        item.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(step, item); });
        list.append(item);
      }
      const again = trace.steps.findIndex((step) => step.name === picked.name);
      if (again >= 0) open(trace.steps[again], list.children[again]);
      else detail.append(h('p', { class: 'muted', text: t('pickStep') }));
      return [
        tokenLine(t('tokens'), trace.tokens ?? trace.source_labels),
        trace.target_labels && tokenLine(t('targetTokens'), trace.target_labels),
        h('div', { class: 'trace-layout' }, panel(t('steps'), list), h('div', {}, detail, nextTokens(trace.next))),
      ];
    });
  },
};
