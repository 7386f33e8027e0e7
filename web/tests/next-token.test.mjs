// The next-token bars are a softmax of the API's raw logits at the page's temperature (with
// top-k), and the streaming generate box writes what `dikkat generate` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, dikkat, viewUrl, eventually, FIXTURES } from './helpers.mjs';

const MODEL = join(FIXTURES, 'shakespeare-cpu');
const reason = skipReason();

/** softmax(logits / T) in float64, written independently of the page's code. */
function softmax(logits, temperature) {
  const scaled = Array.from(logits, (l) => l / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

async function shownProbabilities(page) {
  return page.$$eval('[data-testid^="prob-"]', (rows) => rows.map((r) => [Number(r.dataset.testid.slice(5)), Number(r.dataset.value)]));
}

test('next-token probabilities and streamed generation', { skip: reason ?? false, timeout: 120000 }, async () => {
  const server = await startServer([MODEL]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  try {
    const text = 'ROMEO: What light';
    await withScreenshot(page, 'next-token', async () => {
      await page.goto(viewUrl(server.url, { view: 'next', text }));
      await page.locator('[data-testid="next-token-bars"]').waitFor({ timeout: 20000 });
      const { logits } = await api(server, '/api/logits', { model: 'm0', text });
      const values = floats(logits);

      await page.fill('[data-testid="temperature"]', '0.7');
      const expected = softmax(values, 0.7);
      const shown = await eventually(async () => {
        const rows = await shownProbabilities(page);
        return rows.length && Math.abs(rows[0][1] - Math.max(...expected)) < 1e-9 ? rows : undefined;
      }, { what: 'bars at temperature 0.7' });
      assert.equal(shown.length, 20);
      for (const [id, p] of shown) assert.ok(Math.abs(p - expected[id]) < 1e-9, `token ${id}: page ${p}, softmax ${expected[id]}`);

      // top-k 3: the three most likely, renormalised.
      await page.fill('[data-testid="top-k"]', '3');
      const top3 = await eventually(async () => {
        const rows = await shownProbabilities(page);
        return rows.length === 3 ? rows : undefined;
      }, { what: 'three bars' });
      const best = expected.map((p, id) => [id, p]).sort((a, b) => b[1] - a[1]).slice(0, 3);
      const mass = best.reduce((a, [, p]) => a + p, 0);
      for (const [id, p] of best) {
        const row = top3.find(([shownId]) => shownId === id);
        assert.ok(row && Math.abs(row[1] - p / mass) < 1e-9, `top-k token ${id}`);
      }

      // temperature 0: all the mass on the argmax.
      await page.fill('[data-testid="top-k"]', '0');
      await page.fill('[data-testid="temperature"]', '0');
      const argmax = expected.indexOf(Math.max(...expected));
      await page.locator(`[data-testid="prob-${argmax}"][data-value="1"]`).waitFor({ timeout: 5000 });
      assert.equal((await shownProbabilities(page)).length, 1);
    });

    await withScreenshot(page, 'generate', async () => {
      const [tokens, seed, temperature] = [40, 7, 0.8];
      await page.fill('[data-testid="temperature"]', String(temperature));
      await page.fill('[data-testid="gen-tokens"]', String(tokens));
      await page.fill('[data-testid="gen-seed"]', String(seed));
      // Count the changes of the output: the text grows one token event at a time.
      await page.$eval('[data-testid="generated"]', (el) => {
        window.generatedUpdates = 0;
        new MutationObserver((records) => { window.generatedUpdates += records.length; }).observe(el, { childList: true, characterData: true, subtree: true });
      });
      await page.click('[data-testid="generate-button"]');
      await page.locator('[data-testid="generate-done"]').waitFor({ state: 'visible', timeout: 60000 });
      const generated = await page.textContent('[data-testid="generated"]');
      const cli = await dikkat('generate', '--model', MODEL, '--prompt', text, '--tokens', String(tokens), '--seed', String(seed), '--temperature', String(temperature), '--threads', '1');
      assert.equal(`${text}${generated}\n`, cli);
      assert.ok(await page.evaluate(() => window.generatedUpdates) > 1, 'the text grew token by token');
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
