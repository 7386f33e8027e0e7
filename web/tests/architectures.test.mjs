// The page on the architectures besides the GPT and the transformer translator: a bigram model
// (its table P(next | current), small as SVG and large as canvas, equal to the API and
// `dikkat bigram`), a recurrent translator with Bahdanau attention (its alignment equals
// `dikkat attention --kind cross`) and one without attention (no attention views; the translation
// box still equals `dikkat translate`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, dikkat, viewUrl, trainTinyBigram, trainTinyRecurrent } from './helpers.mjs';
import { DICTIONARIES } from '../src/i18n.js';

const reason = skipReason();
const en = DICTIONARIES.en;

/** A small char text: a vocabulary of 15 tokens, shown whole. */
const SMALL_TEXT = 'the cat sat on the mat. the dog sat on the log. a cat and a dog.\n'.repeat(30);

/** Every printable ASCII character and a few dozen more: a vocabulary over 96 tokens. */
function largeText() {
  const alphabet = [...Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k)), ...'çğıöşüÇĞİÖŞÜαβγδεζηθλμπσφψω', '\n'];
  let state = 3;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  const random = Array.from({ length: 4000 }, () => alphabet[next() % alphabet.length]).join('');
  return `${alphabet.join('')}${random}${'The quick brown fox jumps over the lazy dog. '.repeat(40)}`;
}
/** More than 40 distinct tokens: the table is a canvas. */
const LARGE_QUERY = 'The quick brown fox jumps over the lazy dog; ÇĞİÖŞÜ çğıöşü 0123456789!';

/** Records the query of every /api/bigram request the page makes. */
function bigramRequests(page) {
  const seen = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/bigram') seen.push(Object.fromEntries(url.searchParams));
  });
  return seen;
}

async function saved(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

test('bigram: the table equals the API and dikkat bigram', { skip: reason ?? false, timeout: 120000 }, async () => {
  const small = await trainTinyBigram(SMALL_TEXT);
  const large = await trainTinyBigram(largeText());
  const server = await startServer([small, large]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  const requests = bigramRequests(page);
  try {
    await withScreenshot(page, 'bigram-small', async () => {
      const models = (await api(server, '/api/models')).models;
      assert.equal(models[0].arch, 'bigram');
      assert.ok(models[0].vocab_size <= 96, `small vocabulary: ${models[0].vocab_size}`);
      assert.ok(models[1].vocab_size > 96, `large vocabulary: ${models[1].vocab_size}`);

      // No view in the hash: a bigram model opens on its table.
      await page.goto(viewUrl(server.url, { view: '', model: 'm0', text: 'the cat' }));
      await page.locator('[data-testid="bigram-table"]').waitFor({ timeout: 20000 });
      assert.equal(await page.getAttribute('[data-testid="tab-bigram"]', 'aria-pressed'), 'true');
      assert.equal(await page.textContent('[data-testid="tab-bigram"]'), en.view_bigram);
      assert.equal(await page.locator('[data-testid="tab-attention"]').count(), 0, 'no attention tab');
      assert.equal(await page.textContent('[data-testid="no-attention"]'), en.noAttention);

      const answer = await api(server, '/api/bigram', { model: 'm0' });
      const n = answer.size;
      assert.equal(n, models[0].vocab_size, 'the whole vocabulary');
      const values = floats(answer.probabilities);
      const cli = JSON.parse(await dikkat('bigram', '--model', small, '--format', 'json'));
      assert.deepEqual(cli.labels, answer.labels);
      assert.equal(await page.getAttribute('[data-testid="bigram-shown"]', 'data-whole'), 'true');
      for (const [i, j] of [[0, 0], [3, 1], [n - 1, n - 2], [7, 11]]) {
        const shown = await page.getAttribute(`[data-testid="bigram-cell-${i}-${j}"]`, 'data-value');
        assert.equal(shown, String(values[i * n + j]), `cell ${i},${j} vs the API`);
        assert.ok(Math.abs(Number(shown) - cli.probabilities[i][j]) < 1e-6, `cell ${i},${j}: page ${shown} vs CLI ${cli.probabilities[i][j]}`);
      }
      // Each row is a softmax over the whole vocabulary.
      const row = await page.$$eval('[data-testid^="bigram-cell-3-"]', (cells) => cells.reduce((sum, c) => sum + Number(c.dataset.value), 0));
      assert.ok(Math.abs(row - 1) < 1e-4, `row 3 sums to ${row}`);

      // Hovering a cell reads it out.
      await page.hover('[data-testid="bigram-cell-3-1"]');
      const readout = page.locator('[data-testid="bigram-cell-readout"]');
      await page.waitForFunction((el) => el.dataset.row === '3' && el.dataset.col === '1', await readout.elementHandle());
      assert.equal(await readout.getAttribute('data-value'), String(values[3 * n + 1]));
      const escape = (label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(await readout.textContent(), new RegExp(`${escape(answer.labels[3])}.*→.*${escape(answer.labels[1])}`));

      const svg = await saved(page, '[data-testid="save-svg-bigram"]');
      assert.equal(svg.name, 'bigram.svg');
      assert.match(svg.bytes.toString('utf8'), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const png = await saved(page, '[data-testid="save-png-bigram"]');
      assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);

      // A text in the box changes nothing: the whole vocabulary is asked for, with {model} alone.
      assert.ok(requests.length >= 1);
      for (const query of requests) assert.deepEqual(query, { model: 'm0' });
      requests.length = 0;
    });

    await withScreenshot(page, 'bigram-large', async () => {
      await page.goto(viewUrl(server.url, { view: 'bigram', model: 'm1', text: LARGE_QUERY }));
      const canvas = page.locator('[data-testid="bigram-table"] canvas');
      await canvas.waitFor({ timeout: 20000 });
      const answer = await api(server, '/api/bigram', { model: 'm1', text: LARGE_QUERY });
      const n = answer.size;
      assert.ok(n > 40, `${n} tokens: a canvas`);
      assert.equal(answer.vocab_size, (await api(server, '/api/models')).models[1].vocab_size);
      assert.equal(await page.getAttribute('[data-testid="bigram-shown"]', 'data-whole'), 'false');
      const cli = JSON.parse(await dikkat('bigram', '--model', large, '--text', LARGE_QUERY, '--format', 'json'));
      assert.deepEqual(cli.labels, answer.labels);
      const values = floats(answer.probabilities);
      const box = await canvas.boundingBox();
      // The labels are drawn on the canvas: the cells start at data-left, data-top.
      const at = await canvas.evaluate((c) => ({ left: Number(c.dataset.left), top: Number(c.dataset.top), cell: Number(c.dataset.cell), width: c.width, height: c.height }));
      assert.ok(at.left > 0 && at.top > 0, 'labels beside the cells');
      const readout = page.locator('[data-testid="bigram-cell-readout"]');
      for (const [i, j] of [[5, 9], [n - 1, 0], [40, 41]]) {
        const x = ((at.left + (j + 0.5) * at.cell) / at.width) * box.width;
        const y = ((at.top + (i + 0.5) * at.cell) / at.height) * box.height;
        await canvas.hover({ position: { x, y } });
        await page.waitForFunction(([el, r, c]) => el.dataset.row === r && el.dataset.col === c, [await readout.elementHandle(), String(i), String(j)]);
        const shown = await readout.getAttribute('data-value');
        assert.equal(shown, String(values[i * n + j]), `cell ${i},${j} vs the API`);
        assert.ok(Math.abs(Number(shown) - cli.probabilities[i][j]) < 1e-6, `cell ${i},${j}: page ${shown} vs CLI ${cli.probabilities[i][j]}`);
      }
      const png = await saved(page, '[data-testid="save-png-bigram"]');
      assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
      // Over 96 tokens: exactly {model, text}, the request export-html records.
      assert.ok(requests.length >= 1);
      for (const query of requests) assert.deepEqual(query, { model: 'm1', text: LARGE_QUERY });
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});

async function translateWithCli(model, text) {
  return (await dikkat('translate', '--model', model, '--text', text, '--beam', '4', '--threads', '1')).replace(/\r?\n$/, '');
}

test('recurrent translator with Bahdanau attention: the alignment equals the CLI', { skip: reason ?? false, timeout: 120000 }, async () => {
  const model = await trainTinyRecurrent('bahdanau');
  const server = await startServer([model]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  const text = 'the cat sees my book';
  try {
    await withScreenshot(page, 'rnn-bahdanau', async () => {
      const info = (await api(server, '/api/models')).models[0];
      assert.equal(info.arch, 'rnn');
      assert.deepEqual(info.attention_kinds, ['cross']);

      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      const cli = JSON.parse(await dikkat('attention', '--model', model, '--text', text, '--kind', 'cross', '--layer', '1', '--head', '1', '--format', 'json', '--threads', '1'));
      const weights = cli.tables[0].weights;
      const [i, j] = [weights.length - 1, Math.min(2, weights[0].length - 1)];
      const cell = page.locator(`[data-testid="attention-table"][data-kind="cross"][data-layer="1"][data-head="1"] [data-testid="cell-${i}-${j}"]`);
      const shown = await cell.getAttribute('data-value', { timeout: 20000 });
      assert.ok(Math.abs(Number(shown) - weights[i][j]) < 1e-6, `page ${shown} vs CLI ${weights[i][j]}`);
      const answer = await api(server, '/api/attention', { model: 'm0', text, kind: 'cross', layer: 1, head: 1 });
      assert.equal(shown, String(floats(answer.weights)[i * answer.cols + j]));
      assert.deepEqual(answer.row_labels, cli.row_labels);
      assert.equal(await page.locator('[data-testid="no-attention"]').count(), 0);

      // The translation box: the CLI's beam-4 translation and its alignment.
      await page.click('[data-testid="tab-translate"]');
      await page.click('[data-testid="translate-button"]');
      const expected = await translateWithCli(model, text);
      await page.locator('[data-testid="translation"]').waitFor({ timeout: 20000 });
      assert.equal(await page.textContent('[data-testid="translation"]'), expected);
      const aligned = await api(server, '/api/attention', { model: 'm0', text, target: expected, kind: 'cross', layer: 1, head: 1 });
      const crossCell = page.locator('[data-testid="attention-table"][data-kind="cross"] [data-testid="cell-0-0"]');
      assert.equal(await crossCell.getAttribute('data-value', { timeout: 20000 }), String(floats(aligned.weights)[0]));
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('recurrent translator without attention: no attention, still translates', { skip: reason ?? false, timeout: 120000 }, async () => {
  const model = await trainTinyRecurrent('none');
  const server = await startServer([model]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  const text = 'my friend sees the big tree';
  try {
    await withScreenshot(page, 'rnn-none', async () => {
      const info = (await api(server, '/api/models')).models[0];
      assert.deepEqual(info.attention_kinds, []);
      // Asked for the attention view, the page opens another and says there is no attention.
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      await page.locator('[data-testid="no-attention"]').waitFor({ timeout: 20000 });
      assert.equal(await page.textContent('[data-testid="no-attention"]'), en.noAttention);
      assert.equal(await page.locator('[data-testid="tab-attention"]').count(), 0, 'no attention tab');

      await page.click('[data-testid="tab-translate"]');
      await page.click('[data-testid="translate-button"]');
      const expected = await translateWithCli(model, text);
      assert.ok(expected.length > 0, 'the tiny model translates to something');
      await page.locator('[data-testid="translation"]').waitFor({ timeout: 20000 });
      assert.equal(await page.textContent('[data-testid="translation"]'), expected);
      assert.equal(await page.textContent('[data-testid="translation-no-attention"]'), en.noAttention);
      assert.equal(await page.locator('[data-testid="attention-table"]').count(), 0);
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
