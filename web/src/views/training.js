// Training: train and validation loss over steps (learning rate on a second axis), first from
// /api/metrics, then live from the metrics event stream, with the latest samples and tokens/s.
import { scaleLinear } from 'd3-scale';
import { h, s } from '../dom.js';
import { get, metricsStream, isExport } from '../api.js';
import { t, count } from '../i18n.js';
import { panel, fill, note } from '../ui.js';

const WIDTH = 760;
const HEIGHT = 340;
const M = { left: 56, right: 64, top: 34, bottom: 40 };
const COLORS = { train: '#2171b5', val: '#d94801', lr: '#888' };

function path(points, x, y) {
  return points.map(([a, b], k) => `${k ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('');
}

function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!Number.isFinite(lo)) return [0, 1];
  return lo === hi ? [lo - 1e-9 - Math.abs(lo) * 0.1, hi + 1e-9 + Math.abs(hi) * 0.1] : [lo, hi];
}

function curvesFigure(rows) {
  const svg = s('svg', { width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'curves', 'font-family': 'sans-serif', 'font-size': 11, 'data-testid': 'training-curves' });
  svg.append(s('rect', { width: WIDTH, height: HEIGHT, fill: '#fff' }));
  const train = rows.filter((r) => r.train_loss !== null && r.train_loss !== undefined).map((r) => [r.step, r.train_loss]);
  const val = rows.filter((r) => r.val_loss !== null && r.val_loss !== undefined).map((r) => [r.step, r.val_loss]);
  const lr = rows.filter((r) => r.lr !== null && r.lr !== undefined).map((r) => [r.step, r.lr]);
  const x = scaleLinear().domain(extent(rows.map((r) => r.step))).range([M.left, WIDTH - M.right]);
  const [lo, hi] = extent([...train, ...val].map((p) => p[1]));
  const y = scaleLinear().domain([Math.min(0, lo), hi]).nice().range([HEIGHT - M.bottom, M.top]);
  const yLr = scaleLinear().domain([0, extent(lr.map((p) => p[1]))[1]]).nice().range([HEIGHT - M.bottom, M.top]);

  const axis = s('g', { fill: '#555' });
  for (const tick of x.ticks(8)) {
    axis.append(s('line', { x1: x(tick), x2: x(tick), y1: M.top, y2: HEIGHT - M.bottom, stroke: '#eee' }),
      s('text', { x: x(tick), y: HEIGHT - M.bottom + 16, 'text-anchor': 'middle', text: String(tick) }));
  }
  for (const tick of y.ticks(6)) {
    axis.append(s('line', { x1: M.left, x2: WIDTH - M.right, y1: y(tick), y2: y(tick), stroke: '#eee' }),
      s('text', { x: M.left - 6, y: y(tick) + 4, 'text-anchor': 'end', text: String(tick) }));
  }
  if (lr.length) {
    for (const tick of yLr.ticks(5)) axis.append(s('text', { x: WIDTH - M.right + 6, y: yLr(tick) + 4, fill: COLORS.lr, text: yLr.tickFormat(5, 'e')(tick) }));
  }
  axis.append(s('text', { x: (M.left + WIDTH - M.right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle', text: t('step') }),
    s('text', { x: 14, y: M.top - 14, text: t('loss') }));
  svg.append(axis);

  if (lr.length) svg.append(s('path', { d: path(lr, x, yLr), fill: 'none', stroke: COLORS.lr, 'stroke-dasharray': '4 3' }));
  if (val.length) svg.append(s('path', { d: path(val, x, y), fill: 'none', stroke: COLORS.val, 'stroke-width': 2 }));
  if (train.length) svg.append(s('path', { d: path(train, x, y), fill: 'none', stroke: COLORS.train, 'stroke-width': 1.5 }));
  val.forEach((p) => svg.append(s('circle', { cx: x(p[0]), cy: y(p[1]), r: 2.5, fill: COLORS.val })));
  if (train.length) {
    const lastTrain = rows.filter((r) => r.train_loss !== null && r.train_loss !== undefined).at(-1);
    svg.append(s('circle', { cx: x(lastTrain.step), cy: y(lastTrain.train_loss), r: 4, fill: COLORS.train, 'data-testid': 'train-last', 'data-step': String(lastTrain.step), 'data-loss': String(lastTrain.train_loss) }));
  }
  const legend = [[t('trainLoss'), COLORS.train], [t('valLoss'), COLORS.val], [t('learningRate'), COLORS.lr]];
  legend.forEach(([label, color], k) => svg.append(
    s('rect', { x: M.left + 40 + k * 160, y: 10, width: 14, height: 4, fill: color }),
    s('text', { x: M.left + 60 + k * 160, y: 16, fill: '#333', text: label })));
  return svg;
}

function summary(rows) {
  const last = rows.at(-1);
  const speed = [...rows].reverse().find((r) => r.tokens_per_s !== null && r.tokens_per_s !== undefined);
  const samples = rows.filter((r) => r.sample !== null && r.sample !== undefined).slice(-3).reverse();
  return h('div', { class: 'summary' },
    h('p', { 'data-testid': 'train-status' },
      last ? t('lastStep', { step: last.step, loss: last.train_loss === null ? '—' : Number(last.train_loss).toFixed(4) }) : t('noRows'),
      speed ? ` · ${t('tokensPerSecond', { value: count(speed.tokens_per_s) })}` : ''),
    samples.length > 0 && h('div', { 'data-testid': 'train-samples' }, h('h4', { text: t('latestSamples') }),
      samples.map((r) => h('figure', {}, h('figcaption', { class: 'muted', text: `${t('step')} ${r.step}` }), h('pre', { class: 'sample', text: r.sample })))));
}

export const trainingView = {
  id: 'training',
  available: () => true,
  render(host, ctx) {
    const { model } = ctx;
    if (!model.has_metrics) host.append(note(t('noMetricsYet')));
    const rows = [];
    const chartHost = h('div', { class: 'scroll' });
    const summaryHost = h('div');
    let figure = null;
    let pending = false;
    const draw = () => {
      pending = false;
      figure = curvesFigure(rows);
      chartHost.replaceChildren(figure);
      summaryHost.replaceChildren(summary(rows));
    };
    const add = (row) => {
      // The stream replays every row first: keep one row per step, in step order.
      const last = rows.at(-1);
      if (last && row.step <= last.step) {
        const same = rows.findIndex((r) => r.step === row.step);
        if (same >= 0) rows[same] = row;
        else return;
      } else rows.push(row);
      if (!pending) { pending = true; requestAnimationFrame(draw); }
      ctx.onTrainingRow?.(row);
    };
    const body = h('div');
    host.append(body);
    let close = () => {};
    let stopped = false;
    if (!model.has_metrics && isExport) return () => {};
    fill(body, async () => {
      const answer = await get('/api/metrics', { model: model.id }, { fresh: true });
      answer.rows.forEach(add);
      draw();
      if (!stopped) close = metricsStream(model.id, add, () => { rows.length = 0; });
      return [panel(t('lossCurves'), chartHost, { save: { figure: () => figure, name: 'training' }, testid: 'training' }),
        isExport ? note(t('liveDisabledInExport')) : h('p', { class: 'muted', text: t('liveHint') }), summaryHost];
    });
    return () => { stopped = true; close(); };
  },
};
