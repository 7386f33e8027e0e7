// The token embedding table in PCA coordinates, on a canvas: 2-D or 3-D (drag to rotate, wheel
// to zoom, hover for a token's label), and, when the model kept its step-0 checkpoint, arrows
// from where each token started to where it is now. The SVG save redraws the same projection.
import { h, s, put } from '../dom.js';
import { get } from '../api.js';
import { t, percent } from '../i18n.js';
import { panel, fill, switcher, labelled } from '../ui.js';

const STEP0 = 'model_step0.safetensors';
const SIZE = 560;
const view = { model: null, dims: 3, arrows: true, yaw: 0.6, pitch: 0.35, zoom: 1 };

function fitScale(sets) {
  let extent = 0;
  for (const points of sets) for (const p of points || []) for (const c of p) extent = Math.max(extent, Math.abs(c));
  return extent > 0 ? 1 / extent : 1;
}

/** Rotates (yaw about y, then pitch about x) and projects with a mild perspective. */
function projector(dims, scale) {
  const { yaw, pitch, zoom } = view;
  const [cy, sy, cp, sp] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch)];
  const half = SIZE / 2;
  return ([x, y, z = 0]) => {
    x *= scale; y *= scale; z *= scale;
    if (dims === 2) return { x: half + x * half * 0.9 * zoom, y: half - y * half * 0.9 * zoom, depth: 0 };
    const x1 = cy * x + sy * z;
    const z1 = -sy * x + cy * z;
    const y2 = cp * y - sp * z1;
    const z2 = sp * y + cp * z1;
    const perspective = 3 / (3 + z2);
    return { x: half + x1 * half * 0.8 * zoom * perspective, y: half - y2 * half * 0.8 * zoom * perspective, depth: z2 };
  };
}

/** Projected points (now and before), far ones first so near ones are drawn on top. */
function layout(data) {
  const scale = fitScale([data.now, data.before]);
  const project = projector(data.dims, scale);
  const points = data.now.map((p, i) => ({
    i, label: data.labels[i], at: project(p), from: data.before ? project(data.before[i]) : null,
  }));
  points.sort((a, b) => b.at.depth - a.at.depth);
  return points;
}

function labelAll(count) {
  return count <= 120;
}

function drawCanvas(canvas, data, hovered) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  const points = layout(data);
  ctx.font = '12px sans-serif';
  for (const p of points) {
    if (view.arrows && p.from) arrow(ctx, p.from, p.at);
    const near = data.dims === 3 ? 1 - Math.max(-1, Math.min(1, p.at.depth)) * 0.3 : 1;
    ctx.fillStyle = p.i === hovered ? '#d94801' : '#2171b5';
    ctx.beginPath();
    ctx.arc(p.at.x, p.at.y, 3.5 * near, 0, 2 * Math.PI);
    ctx.fill();
    if (labelAll(points.length) || p.i === hovered) {
      ctx.fillStyle = p.i === hovered ? '#d94801' : '#333';
      ctx.fillText(p.label, p.at.x + 5, p.at.y - 5);
    }
  }
  return points;
}

function arrow(ctx, from, to) {
  ctx.strokeStyle = 'rgba(120,120,120,0.55)';
  ctx.fillStyle = 'rgba(120,120,120,0.55)';
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - 7 * Math.cos(angle - 0.4), to.y - 7 * Math.sin(angle - 0.4));
  ctx.lineTo(to.x - 7 * Math.cos(angle + 0.4), to.y - 7 * Math.sin(angle + 0.4));
  ctx.fill();
}

/** The current picture as SVG, from the same projection as the canvas. */
function svgOf(data) {
  const svg = s('svg', { width: SIZE, height: SIZE, viewBox: `0 0 ${SIZE} ${SIZE}`, 'font-family': 'sans-serif', 'font-size': 12 });
  svg.append(s('rect', { width: SIZE, height: SIZE, fill: '#fff' }),
    s('defs', {}, s('marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#888' }))));
  const points = layout(data);
  for (const p of points) {
    if (view.arrows && p.from) svg.append(s('line', { x1: p.from.x, y1: p.from.y, x2: p.at.x, y2: p.at.y, stroke: '#888', 'stroke-opacity': 0.55, 'marker-end': 'url(#arrowhead)' }));
    svg.append(s('circle', { cx: p.at.x, cy: p.at.y, r: 3.5, fill: '#2171b5' }));
    if (labelAll(points.length)) svg.append(s('text', { x: p.at.x + 5, y: p.at.y - 5, fill: '#333', text: p.label }));
  }
  return svg;
}

function interact(canvas, data, readout) {
  let points = drawCanvas(canvas, data, -1);
  let hovered = -1;
  let drag = null;
  const redraw = () => { points = drawCanvas(canvas, data, hovered); };
  canvas.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointerup', () => { drag = null; });
  canvas.addEventListener('pointermove', (e) => {
    if (drag && data.dims === 3) {
      view.yaw += (e.clientX - drag.x) * 0.01;
      view.pitch = Math.max(-1.5, Math.min(1.5, view.pitch + (e.clientY - drag.y) * 0.01));
      drag = { x: e.clientX, y: e.clientY };
      redraw();
      return;
    }
    const box = canvas.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * SIZE;
    const y = ((e.clientY - box.top) / box.height) * SIZE;
    let best = -1;
    let bestDistance = 10 * 10;
    for (const p of points) {
      const d = (p.at.x - x) ** 2 + (p.at.y - y) ** 2;
      if (d < bestDistance) { bestDistance = d; best = p.i; }
    }
    if (best !== hovered) {
      hovered = best;
      readout.textContent = best >= 0 ? `${t('token')} ${best}: ${data.labels[best]}` : t('hoverPoint');
      redraw();
    }
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    view.zoom = Math.max(0.2, Math.min(20, view.zoom * Math.exp(-e.deltaY * 0.001)));
    redraw();
  }, { passive: false });
  return redraw;
}

export const embeddingsView = {
  id: 'embeddings',
  available: (model) => model.ready,
  render(host, ctx) {
    const { model } = ctx;
    if (view.model !== model.id) Object.assign(view, { model: model.id, zoom: 1 });
    const compare = model.checkpoints.some((c) => c.file === STEP0) ? STEP0 : undefined;
    const controls = h('div', { class: 'controls' });
    const body = h('div');
    host.append(controls, body);
    let redraw = () => {};
    put(controls,
      labelled(t('dimensions'), switcher({ options: [[2, '2-D'], [3, '3-D']], value: view.dims, testid: 'dims-switch', onchange: (d) => { view.dims = d; ctx.rerender(); } })),
      compare && labelled(t('beforeAfter'), h('input', { type: 'checkbox', checked: view.arrows, 'data-testid': 'arrows-toggle', onchange: (e) => { view.arrows = e.target.checked; redraw(); } })));
    fill(body, async () => {
      const data = await get('/api/embeddings', { model: model.id, dims: view.dims, compare });
      const canvas = h('canvas', { width: SIZE, height: SIZE, class: 'embedding-canvas', 'data-testid': 'embedding-canvas' });
      const readout = h('div', { class: 'readout', 'data-testid': 'embedding-readout', text: t('hoverPoint') });
      redraw = interact(canvas, data, readout);
      const facts = [
        data.exact ? t('pcaExact') : t('pcaExplained', { parts: data.explained.map((e) => percent(e, 1)).join(', ') }),
        data.before ? t('comparedSteps', { before: data.before_step, now: data.now_step }) : t('noBefore'),
      ];
      return panel(`${t('embeddings')} (${data.dims}-D)`, h('div', {},
        facts.map((f) => h('p', { class: 'muted', text: f })),
        data.dims === 3 && h('p', { class: 'muted', text: t('rotateHint') }),
        readout, canvas), { save: { figure: () => svgOf(data), name: `embeddings-${data.dims}d` }, testid: 'embeddings' });
    });
  },
};
