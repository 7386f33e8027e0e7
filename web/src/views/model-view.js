// BertViz's model view: every layer x head as a small picture (the server max-pools each table
// to at most 48 x 48), one SVG grid of images; clicking one opens that head.
import { s } from '../dom.js';
import { floats } from '../api.js';
import { weightScale, maxOf } from '../colors.js';
import { t } from '../i18n.js';
import { paintTable } from '../paint.js';

const THUMB = 72;
const GAP = 6;
const MARGIN = 56;

function thumbImage(values, rows, cols) {
  const scale = Math.max(1, Math.floor(THUMB / Math.max(rows, cols)));
  const canvas = document.createElement('canvas');
  canvas.width = cols * scale;
  canvas.height = rows * scale;
  paintTable(canvas, values, rows, cols, scale, weightScale(maxOf(values)));
  return canvas.toDataURL('image/png');
}

/**
 * @param overview the /api/attention/overview answer
 * @param selected {layer, head} (1-based) drawn with a frame
 * @param onPick (layer, head) => void
 */
export function modelViewFigure(overview, selected, onPick) {
  const { layers, heads, thumb_rows: rows, thumb_cols: cols } = overview;
  const width = MARGIN + heads * (THUMB + GAP);
  const height = MARGIN - 20 + layers * (THUMB + GAP);
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'model-view', 'font-family': 'sans-serif', 'font-size': 11 });
  svg.append(s('rect', { width, height, fill: '#fff' }));
  const top = MARGIN - 20;
  for (let head = 1; head <= heads; head++) {
    svg.append(s('text', { x: MARGIN + (head - 1) * (THUMB + GAP) + THUMB / 2, y: top - 8, 'text-anchor': 'middle', fill: '#555', text: `${t('headShort')} ${head}` }));
  }
  for (let layer = 1; layer <= layers; layer++) {
    const y = top + (layer - 1) * (THUMB + GAP);
    svg.append(s('text', { x: MARGIN - 8, y: y + THUMB / 2 + 4, 'text-anchor': 'end', fill: '#555', text: `${t('layerShort')} ${layer}` }));
    for (let head = 1; head <= heads; head++) {
      const x = MARGIN + (head - 1) * (THUMB + GAP);
      const values = floats(overview.thumbs[(layer - 1) * heads + head - 1], rows * cols);
      const isSelected = selected.layer === layer && selected.head === head;
      const thumb = s('g', { class: 'thumb', 'data-testid': `thumb-${layer}-${head}`, tabindex: 0, role: 'button' },
        s('title', { text: `${t('layer')} ${layer}, ${t('head')} ${head}` }),
        s('image', { x, y, width: THUMB, height: THUMB, href: thumbImage(values, rows, cols), preserveAspectRatio: 'none' }),
        s('rect', { x: x - 1, y: y - 1, width: THUMB + 2, height: THUMB + 2, fill: 'none', stroke: isSelected ? '#d94801' : '#ccc', 'stroke-width': isSelected ? 3 : 1 }));
      const pick = () => onPick(layer, head);
      thumb.addEventListener('click', pick);
      thumb.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') pick(); });
      svg.append(thumb);
    }
  }
  return { element: svg, figure: () => svg };
}
