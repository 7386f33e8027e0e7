// Colour scales: a sequential one (Blues) for attention weights and other non-negative numbers,
// a diverging one (red-blue) for signed activations in the trace.
import { scaleSequential, scaleDiverging } from 'd3-scale';
import { interpolateBlues, interpolateRdBu } from 'd3-scale-chromatic';

const MASKED = '#d9d9d9';

/** Weight colours over [0, max]: small weights of a flat head stay visible. */
export function weightScale(max = 1) {
  return scaleSequential(interpolateBlues).domain([0, max > 0 ? max : 1]).clamp(true);
}

/** Signed colours, symmetric around zero (red negative, blue positive); -inf/NaN get MASKED. */
export function signedScale(values) {
  let extent = 0;
  for (const v of values) if (Number.isFinite(v)) extent = Math.max(extent, Math.abs(v));
  const scale = scaleDiverging((t) => interpolateRdBu(t)).domain([-extent || -1, 0, extent || 1]).clamp(true);
  const color = (v) => (Number.isFinite(v) ? scale(v) : MASKED);
  color.extent = extent || 1;
  return color;
}

/** Black text on light cells, white on dark ones. */
export function textColorOn(background) {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(background);
  if (!m) return '#000';
  const luminance = (0.299 * m[1] + 0.587 * m[2] + 0.114 * m[3]) / 255;
  return luminance < 0.55 ? '#fff' : '#000';
}

export function maxOf(values) {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** A small colour bar from `lo` to `hi`, drawn with the same scale as the figure beside it. */
export function legend(color, lo, hi, format = (v) => String(+v.toPrecision(3))) {
  const steps = 24;
  const width = 160;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', width + 100); // room for a label like 0.0131 after the bar
  svg.setAttribute('height', 22);
  svg.setAttribute('class', 'legend');
  svg.setAttribute('font-family', 'sans-serif');
  svg.setAttribute('font-size', 11);
  const add = (tag, attrs, text) => {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    svg.append(el);
  };
  add('text', { x: 36, y: 15, 'text-anchor': 'end', fill: '#555' }, format(lo));
  for (let k = 0; k < steps; k++) {
    add('rect', { x: 40 + (k * width) / steps, y: 4, width: width / steps + 0.5, height: 14, fill: color(lo + ((k + 0.5) / steps) * (hi - lo)) });
  }
  add('text', { x: 44 + width, y: 15, fill: '#555' }, format(hi));
  return svg;
}
