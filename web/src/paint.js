// Paints a rows x cols table onto a canvas, `cell` pixels a cell. A 500 x 500 table is 250k
// cells: one colour-scale call and one fillRect each takes seconds, so the colours come from a
// 256-level lookup table over the finite values' range, written as pixels (ImageData) at one
// pixel a cell and scaled up without smoothing.
const LEVELS = 256;

function toRgb(css) {
  if (css.startsWith('#')) return [1, 3, 5].map((at) => parseInt(css.slice(at, at + 2), 16));
  return css.match(/[\d.]+/g).slice(0, 3).map(Number);
}

/** Draws at (x0, y0) of the canvas (default its corner). */
export function paintTable(canvas, values, rows, cols, cell, color, x0 = 0, y0 = 0) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  const lut = new Uint8ClampedArray(LEVELS * 3);
  for (let k = 0; k < LEVELS; k++) lut.set(toRgb(color(lo + (k / (LEVELS - 1)) * span)), k * 3);
  const special = new Map(); // -inf (masked scores), +inf, NaN: asked of the scale itself

  const image = new ImageData(cols, rows);
  const pixels = image.data;
  for (let n = 0; n < rows * cols; n++) {
    const v = values[n];
    let rgb;
    if (Number.isFinite(v)) {
      const k = Math.round(((v - lo) / span) * (LEVELS - 1)) * 3;
      rgb = [lut[k], lut[k + 1], lut[k + 2]];
    } else {
      if (!special.has(String(v))) special.set(String(v), toRgb(color(v)));
      rgb = special.get(String(v));
    }
    pixels[n * 4] = rgb[0];
    pixels[n * 4 + 1] = rgb[1];
    pixels[n * 4 + 2] = rgb[2];
    pixels[n * 4 + 3] = 255;
  }
  const onePixelACell = document.createElement('canvas');
  onePixelACell.width = cols;
  onePixelACell.height = rows;
  onePixelACell.getContext('2d').putImageData(image, 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(onePixelACell, x0, y0, cols * cell, rows * cell);
}
