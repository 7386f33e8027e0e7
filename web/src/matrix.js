// One table of numbers as a picture. Up to 40 x 40 it is an SVG whose cells carry
// data-testid="cell-{i}-{j}" and data-value (the exact float32 as read); beyond that it is a
// <canvas> (a 500 x 500 table would be 250k DOM nodes) with a hover readout
// (data-testid="cell-readout") that carries the same data-value. `testid` renames both
// ("bigram-cell" -> bigram-cell-{i}-{j}, bigram-cell-readout); `readout` gives an SVG table
// the readout line too; `edgeLabels` draws a canvas table's row and column labels.
import { h, s } from './dom.js';
import { textColorOn } from './colors.js';
import { t } from './i18n.js';
import { paintTable } from './paint.js';

const SVG_LIMIT = 40;

function formatValue(v) {
  if (v === -Infinity) return '−∞';
  if (v === Infinity) return '∞';
  if (Number.isNaN(v)) return 'NaN';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 0.001 || abs >= 10000)) return v.toExponential(0);
  return v.toFixed(abs >= 100 ? 1 : 3);
}
export { formatValue };

function truncate(label, max = 12) {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * @param {{values: Float32Array, rows: number, cols: number, rowLabels?: string[],
 *   colLabels?: string[], color: (v: number) => string, axisNames?: string[],
 *   testid?: string, readout?: boolean, edgeLabels?: boolean}} m
 * @returns {{element: HTMLElement, figure: () => Element}}
 */
export function matrixFigure(m) {
  return m.rows <= SVG_LIMIT && m.cols <= SVG_LIMIT ? svgMatrix(m) : canvasMatrix(m);
}

/** The hover line under a table; show(i, j) puts cell (i, j) in it. */
function readoutLine(testid, values, cols, rowLabels, colLabels, axisNames) {
  const element = h('div', { class: 'readout', 'data-testid': `${testid}-readout`, 'data-value': '' }, t('hoverCell'));
  const show = (i, j) => {
    const v = values[i * cols + j];
    element.dataset.value = String(v);
    element.dataset.row = String(i);
    element.dataset.col = String(j);
    element.textContent = `${axisNames[0]} ${i + 1} ${rowLabels[i] ?? ''} → ${axisNames[1]} ${j + 1} ${colLabels[j] ?? ''}: ${String(v)}`;
  };
  return { element, show };
}

function svgMatrix({ values, rows, cols, rowLabels = [], colLabels = [], color, axisNames = [t('row'), t('column')], testid = 'cell', readout = false }) {
  const line = readout ? readoutLine(testid, values, cols, rowLabels, colLabels, axisNames) : null;
  const cell = cols <= 16 ? 40 : 22;
  const showNumbers = cols <= 16;
  const left = 8 + 7 * Math.min(12, Math.max(1, ...rowLabels.map((l) => truncate(l).length)));
  const top = 8 + 7 * Math.min(12, Math.max(1, ...colLabels.map((l) => truncate(l).length)));
  const width = left + cols * cell + 8;
  const height = top + rows * cell + 8;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'matrix', 'font-family': 'sans-serif', 'font-size': 11 });
  svg.append(s('rect', { width, height, fill: '#fff' }));
  rowLabels.forEach((label, i) => svg.append(s('text', {
    x: left - 4, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', fill: '#333', text: truncate(label),
  })));
  colLabels.forEach((label, j) => {
    const x = left + j * cell + cell / 2 + 4;
    svg.append(s('text', { x, y: top - 4, transform: `rotate(-90 ${x} ${top - 4})`, fill: '#333', text: truncate(label) }));
  });
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j];
      const fill = color(v);
      const x = left + j * cell;
      const y = top + i * cell;
      const group = s('g', { class: 'cell', 'data-testid': `${testid}-${i}-${j}`, 'data-value': String(v) },
        s('rect', { x, y, width: cell - 1, height: cell - 1, fill }),
        s('title', { text: `${rowLabels[i] ?? i} → ${colLabels[j] ?? j}: ${String(v)}` }));
      if (showNumbers) {
        group.append(s('text', { x: x + cell / 2, y: y + cell / 2 + 4, 'text-anchor': 'middle', 'font-size': 10, fill: textColorOn(fill), text: formatValue(v) }));
      }
      if (line) group.addEventListener('mouseenter', () => line.show(i, j));
      svg.append(group);
    }
  }
  return { element: h('div', { class: 'matrix-wrap' }, line && line.element, svg), figure: () => svg };
}

/**
 * With `edgeLabels` (and cells of at least 7 px, so up to about 128 x 128) the row and column
 * labels are drawn on the canvas too, left of and above the cells; the canvas's data-left,
 * data-top and data-cell say where the cells are (in canvas pixels).
 */
function canvasMatrix({ values, rows, cols, rowLabels = [], colLabels = [], color, axisNames = [t('row'), t('column')], testid = 'cell', edgeLabels = false }) {
  const cell = Math.max(1, Math.min(12, Math.floor(900 / Math.max(rows, cols))));
  const labelled = edgeLabels && cell >= 7;
  const font = `${Math.min(11, cell)}px sans-serif`;
  let left = 0;
  let top = 0;
  if (labelled) {
    const measure = document.createElement('canvas').getContext('2d');
    measure.font = font;
    const widest = (labels) => Math.max(0, ...labels.map((l) => measure.measureText(truncate(l)).width));
    left = Math.ceil(widest(rowLabels)) + 8;
    top = Math.ceil(widest(colLabels)) + 8;
  }
  const canvas = h('canvas', {
    width: left + cols * cell + (labelled ? 4 : 0), height: top + rows * cell + (labelled ? 4 : 0), class: 'matrix-canvas',
    'data-left': left, 'data-top': top, 'data-cell': cell,
  });
  // A 500-token table draws at 1 px a cell: show it larger (pixelated by the CSS, not blurred).
  const upscale = 600 / (Math.max(rows, cols) * cell);
  if (upscale > 1 && !labelled) canvas.style.width = `${Math.round(cols * cell * upscale)}px`;
  if (labelled) {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = font;
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    rowLabels.forEach((label, i) => ctx.fillText(truncate(label), left - 4, top + (i + 0.5) * cell));
    colLabels.forEach((label, j) => {
      ctx.save();
      ctx.translate(left + (j + 0.5) * cell, top - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      ctx.fillText(truncate(label), 0, 0);
      ctx.restore();
    });
  }
  paintTable(canvas, values, rows, cols, cell, color, left, top);
  const line = readoutLine(testid, values, cols, rowLabels, colLabels, axisNames);
  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * canvas.width;
    const y = ((event.clientY - box.top) / box.height) * canvas.height;
    const j = Math.floor((x - left) / cell);
    const i = Math.floor((y - top) / cell);
    if (i < 0 || j < 0 || i >= rows || j >= cols) return;
    line.show(i, j);
  });
  return { element: h('div', { class: 'matrix-wrap' }, line.element, canvas), figure: () => canvas };
}
