// BertViz's head view: the query tokens in a left column, the key tokens in a right one, a line
// from query i to key j with opacity = weight. Hovering a token keeps only its own lines.
import { s } from '../dom.js';
import { t } from '../i18n.js';

const ROW = 20;
const LABEL_WIDTH = 130;
const GAP = 180;
const ALL_LINES_LIMIT = 4096; // beyond this many pairs, lines appear only for the hovered token
const LINE_COLOR = '#2171b5';

function truncate(label, max = 16) {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** @returns {{element: SVGSVGElement, figure: () => SVGSVGElement}} */
export function headViewFigure({ values, rows, cols, rowLabels, colLabels }) {
  const top = 28;
  const leftX = LABEL_WIDTH;
  const rightX = LABEL_WIDTH + GAP;
  const width = rightX + LABEL_WIDTH;
  const height = top + Math.max(rows, cols) * ROW + 8;
  const yOf = (index) => top + index * ROW + ROW / 2;

  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'head-view', 'font-family': 'sans-serif', 'font-size': 12 });
  svg.append(s('rect', { width, height, fill: '#fff' }));
  svg.append(s('text', { x: leftX - 6, y: 16, 'text-anchor': 'end', fill: '#666', text: t('queries') }));
  svg.append(s('text', { x: rightX + 6, y: 16, fill: '#666', text: t('keys') }));
  const lines = s('g', { stroke: LINE_COLOR, 'stroke-width': 2 });
  svg.append(lines);

  const keyShades = [];
  const queryShades = [];
  const label = (text, x, y, anchor, shades, testid) => {
    const group = s('g', { class: 'token', 'data-testid': testid });
    const shade = s('rect', { x: anchor === 'end' ? x - LABEL_WIDTH + 8 : x - 2, y: y - ROW / 2 + 1, width: LABEL_WIDTH - 6, height: ROW - 2, fill: LINE_COLOR, 'fill-opacity': 0 });
    shades.push(shade);
    group.append(shade, s('text', { x, y: y + 4, 'text-anchor': anchor, fill: '#222', text: truncate(text) }));
    svg.append(group);
    return group;
  };

  const draw = (pairs) => {
    lines.replaceChildren();
    for (const [i, j] of pairs) {
      const w = values[i * cols + j];
      if (w < 0.005) continue;
      lines.append(s('line', { x1: leftX + 4, y1: yOf(i), x2: rightX - 4, y2: yOf(j), 'stroke-opacity': Math.min(1, w) }));
    }
  };
  const shadeKeys = (weightOf) => keyShades.forEach((shade, j) => shade.setAttribute('fill-opacity', weightOf(j) * 0.6));
  const shadeQueries = (weightOf) => queryShades.forEach((shade, i) => shade.setAttribute('fill-opacity', weightOf(i) * 0.6));

  const everyPair = () => {
    const pairs = [];
    if (rows * cols <= ALL_LINES_LIMIT) for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) pairs.push([i, j]);
    return pairs;
  };
  const reset = () => {
    draw(everyPair());
    shadeKeys(() => 0);
    shadeQueries(() => 0);
  };

  rowLabels.forEach((text, i) => {
    const group = label(text, leftX, yOf(i), 'end', queryShades, `query-${i}`);
    group.addEventListener('mouseenter', () => {
      draw(Array.from({ length: cols }, (_, j) => [i, j]));
      shadeKeys((j) => values[i * cols + j]);
      shadeQueries((k) => (k === i ? 0.5 : 0));
    });
    group.addEventListener('mouseleave', reset);
  });
  colLabels.forEach((text, j) => {
    const group = label(text, rightX, yOf(j), 'start', keyShades, `key-${j}`);
    group.addEventListener('mouseenter', () => {
      draw(Array.from({ length: rows }, (_, i) => [i, j]));
      shadeQueries((i) => values[i * cols + j]);
      shadeKeys((k) => (k === j ? 0.5 : 0));
    });
    group.addEventListener('mouseleave', reset);
  });
  reset();
  return { element: svg, figure: () => svg };
}
