// Shared pieces of the browser tests: when to skip, building the page, starting `dikkat serve`,
// a Chromium page that may reach nothing but the server, and screenshots on failure.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, '..');
export const SOURCE_DIR = process.env.DIKKAT_SOURCE_DIR ? resolve(process.env.DIKKAT_SOURCE_DIR) : resolve(WEB_DIR, '..');
export const FIXTURES = join(SOURCE_DIR, 'tests/fixtures/models');
export const BIN = process.env.DIKKAT_BIN;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or null when they can. */
export function skipReason() {
  if (Number(process.versions.node.split('.')[0]) < 20) return 'needs node >= 20';
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM}`;
  if (!existsSync(join(WEB_DIR, 'node_modules/playwright-core'))) return 'no web/node_modules/playwright-core (run npm ci --prefix web)';
  if (!BIN || !existsSync(BIN)) return 'set DIKKAT_BIN to the dikkat binary';
  return null;
}

/**
 * The page the tests load: the copy built into the binary, or, when DIKKAT_TEST_FRESH_PAGE is
 * set (working on web/ without rebuilding dikkat), web/'s sources bundled into a fresh folder and
 * passed as --assets.
 */
let builtAssets = null;
export function assetArgs() {
  if (!process.env.DIKKAT_TEST_FRESH_PAGE) return [];
  if (!builtAssets) {
    const outdir = mkdtempSync(join(tmpdir(), 'dikkat-web-'));
    const result = spawnSync(process.execPath, [join(WEB_DIR, 'build.mjs'), '--outdir', outdir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
    builtAssets = outdir;
  }
  return ['--assets', builtAssets];
}

export function outDir() {
  const dir = process.env.DIKKAT_TEST_OUT || join(tmpdir(), 'dikkat-web-test-out');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const run = promisify(execFile);

/** `dikkat ARGS...`'s stdout. */
export async function dikkat(...args) {
  const { stdout } = await run(BIN, args, { maxBuffer: 64 << 20 });
  return stdout;
}

/**
 * Starts `dikkat serve --port 0` on the given model folders with the freshly built page, and
 * reads the port from its "listening on" line.
 */
export async function startServer(models) {
  const args = ['serve', '--port', '0', '--threads', '1', ...assetArgs(), ...models.flatMap((m) => ['--model', m])];
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${log}`)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}): ${out}${log}`)); });
  });
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
  return { url, host: new URL(url).host, stop, log: () => log };
}

/** GET a JSON answer from the server (the same request the page makes). */
export async function api(server, path, params = {}) {
  const response = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** base64 of little-endian float32 -> Float32Array, as the page reads it. */
export function floats(base64) {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

export async function launch() {
  const require = createRequire(join(WEB_DIR, 'package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A page whose every request is routed: those to `allowed` (a host like 127.0.0.1:PORT, or a
 * predicate on the URL) go through, any other is aborted and recorded in `outside`.
 */
export async function guardedPage(browser, allowed, { locale = 'en-US' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1300, height: 900 }, acceptDownloads: true });
  const outside = [];
  const isAllowed = typeof allowed === 'function' ? allowed : (url) => url.protocol === 'http:' && url.host === allowed;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (isAllowed(url)) return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Console errors include CSP violations and failed requests.
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  return { context, page, outside, errors };
}

/** Runs body(); on failure saves a screenshot of the page as NAME.png under outDir(). */
export async function withScreenshot(page, name, body) {
  try {
    return await body();
  } catch (error) {
    const file = join(outDir(), `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

/** Polls `probe` until it returns a value other than undefined (or throws after `ms`). */
export async function eventually(probe, { ms = 20000, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The page at a view: #view=..&model=..&text=.. */
export function viewUrl(base, { view, model = 'm0', text, target }) {
  const params = new URLSearchParams({ view, model });
  if (text !== undefined) params.set('text', text);
  if (target) params.set('target', target);
  return `${base}/#${params}`;
}

/**
 * Writes `count` English -> Turkish sentence pairs (word by word, 2 to 5 words) as a TSV file,
 * the same ones for the same `seed`.
 */
export function writePairs(file, count = 600, seed = 7) {
  const words = { the: 'bu', cat: 'kedi', dog: 'köpek', a: 'bir', house: 'ev', tree: 'ağaç', my: 'benim', friend: 'arkadaş', book: 'kitap', big: 'büyük', small: 'küçük', sees: 'görür' };
  const english = Object.keys(words);
  let state = seed;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  const lines = Array.from({ length: count }, () => {
    const sentence = Array.from({ length: 2 + (next() % 4) }, () => english[next() % english.length]);
    return `${sentence.join(' ')}\t${sentence.map((w) => words[w]).join(' ')}`;
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Trains a tiny encoder-decoder translator (English -> Turkish word by word) into a temp folder. */
export async function trainTinyTranslator() {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-nmt-'));
  writePairs(join(dir, 'pairs.tsv'));
  const out = join(dir, 'run');
  await dikkat('train', '--arch', 'seq2seq', '--preset', 'nmt-tiny', '--data', join(dir, 'pairs.tsv'), '--steps', '200', '--out', out, '--threads', '1', '--quiet');
  return out;
}

/**
 * Trains a tiny recurrent translator (rnn-tiny; `attention`: bahdanau, luong or none) on the
 * pairs of trainTinyTranslator, with a few other pairs for validation. 600 steps (about a
 * second): after 100 it still translates everything to the empty sentence.
 */
export async function trainTinyRecurrent(attention) {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-rnn-'));
  writePairs(join(dir, 'pairs.tsv'));
  writePairs(join(dir, 'dev.tsv'), 40, 11);
  const out = join(dir, 'run');
  await dikkat('train', '--arch', 'rnn', '--preset', 'rnn-tiny', '--attention', attention, '--data', join(dir, 'pairs.tsv'), '--valid', join(dir, 'dev.tsv'), '--steps', '600', '--out', out, '--threads', '1', '--quiet');
  return out;
}

/**
 * Trains a tiny masked language model (bert-tiny, characters) on a repetitive text, keeping its
 * weights every 50 steps (snapshots/step_N.safetensors), into a temp folder.
 */
export async function trainTinyBert() {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-bert-'));
  const lines = Array.from({ length: 300 }, (_, i) => (i % 2 ? 'the cat sat on the mat' : 'a dog ran to a log'));
  writeFileSync(join(dir, 'text.txt'), lines.join('\n') + '\n');
  const out = join(dir, 'run');
  await dikkat('train', '--arch', 'bert', '--preset', 'bert-tiny', '--data', join(dir, 'text.txt'), '--steps', '400', '--snapshot-every', '100', '--out', out, '--threads', '1', '--quiet');
  return out;
}

/** Trains a bigram model on `text` (a small char vocabulary, or a large one) into a temp folder. */
export async function trainTinyBigram(text) {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-bigram-'));
  writeFileSync(join(dir, 'text.txt'), text);
  const out = join(dir, 'run');
  await dikkat('train', '--arch', 'bigram', '--data', join(dir, 'text.txt'), '--steps', '50', '--out', out, '--threads', '1', '--quiet');
  return out;
}
