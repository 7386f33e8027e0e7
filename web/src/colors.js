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
  return (v) => (Number.isFinite(v) ? scale(v) : MASKED);
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
