// How fast the web views answer for a long input: a model of the shakespeare-char shape (6 layers,
// 6 heads, 384 wide; context 512 so a 500-token input fits) behind `dikkat serve`, a 500-character
// text, then
//   - the model view: /api/attention/overview (the forward pass with every table, then 36
//     thumbnails), the first request for this text;
//   - each of the 36 heads' tables (/api/attention), as a click on the grid asks for them;
//   - the page itself in Debian's chromium (playwright-core), with the 500-token text in the
//     address (#text=...): from navigation to its controls shown, and to the model view's 36
//     pictures drawn (which includes the forward pass of a text not asked before).
// Times are wall-clock from the client, medians of --repeats runs.
//
// usage: node bench/serve_speed.mjs [--threads T] [--repeats N]   (after the build; bench/serve_speed.sh)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dikkat = process.env.DIKKAT ?? join(root, 'build', 'dikkat');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const threads = option('--threads', '2');
const repeats = Number(option('--repeats', '5'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const work = mkdtempSync(join(tmpdir(), 'dikkat-serve-bench-'));
const corpus = readFileSync(join(root, 'data', 'demo', 'turkce.txt'), 'utf8');
const text = corpus.slice(0, 500);
const data = join(work, 'train.txt');
execFileSync('bash', ['-c', `head -c 200000 ${join(root, 'data/demo/turkce.txt')} > ${data}`]);
// Zero steps: the untrained weights of the shape are all the speed depends on.
execFileSync(dikkat, ['train', '--preset', 'shakespeare-char', '--context', '512', '--data', data,
  '--steps', '0', '--eval-every', '0', '--eval-batches', '1', '--batch-size', '1', '--out', join(work, 'model'), '--quiet']);

const server = spawn(dikkat, ['serve', '--model', join(work, 'model'), '--port', '0',
  '--threads', threads], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve) => {
  server.stdout.on('data', (chunk) => {
    const m = /listening on (http:\S+)/.exec(String(chunk));
    if (m) resolve(m[1]);
  });
});

const get = async (path, params) => {
  const r = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const input = { model: 'm0', kind: 'self' };
const tokens = (await get('/api/tokenize', { model: 'm0', text })).ids.length;

const overview = [], heads = [], worstHead = [];
for (let r = 0; r < repeats; ++r) {
  // A text not seen before: the overview pays for the forward pass.
  const t = text.slice(0, 499) + String.fromCharCode(97 + r);
  overview.push(await timed(() => get('/api/attention/overview', { ...input, text: t })));
  const times = [];
  for (let layer = 1; layer <= 6; ++layer)
    for (let head = 1; head <= 6; ++head)
      times.push(await timed(() => get('/api/attention', { ...input, text: t, layer, head })));
  heads.push(median(times));
  worstHead.push(Math.max(...times));
}

let page = null;
let browser = null;
try {
  const require = createRequire(join(root, 'web', 'package.json'));
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const loads = [], shown = [];
  for (let r = 0; r < repeats; ++r) {
    const tab = await browser.newPage();
    const t = text.slice(0, 498) + 'k' + String.fromCharCode(97 + r);  // not asked before
    loads.push(await timed(async () => {
      shown.push(await timed(async () => {
        await tab.goto(`${base}/#view=attention&model=m0&text=${encodeURIComponent(t)}`);
        await tab.waitForSelector('[data-testid="tab-attention"]');
      }));
      await tab.waitForFunction(() => document.querySelectorAll('[data-testid^="thumb-"]').length === 36);
    }));
    await tab.close();
  }
  page = { shown: median(shown), grid: median(loads) };
} catch (e) {
  console.error(`(page load not measured: ${e.message.split('\n')[0]})`);
} finally {
  await browser?.close();
}
server.kill();
rmSync(work, { recursive: true, force: true });

console.log(`input: ${tokens} tokens, shakespeare-char shape (6 layers x 6 heads, n_embd 384), threads ${threads}`);
console.log(`model view (forward + 36 thumbnails), first request: ${median(overview).toFixed(1)} ms (median of ${repeats})`);
console.log(`one head's table (500 x 500 from the cache):        ${median(heads).toFixed(1)} ms median, ${median(worstHead).toFixed(1)} ms slowest of 36`);
if (page !== null) {
  console.log(`page load to its controls shown:                    ${page.shown.toFixed(1)} ms (median of ${repeats})`);
  console.log(`page load to the model view's 36 pictures drawn:    ${page.grid.toFixed(1)} ms (median of ${repeats})`);
}
