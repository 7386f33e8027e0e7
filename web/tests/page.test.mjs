// The page around the views: a run without weights shows only training, the language follows
// the browser and the switch (remembered), and figures save as SVG and PNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, viewUrl, FIXTURES } from './helpers.mjs';

const reason = skipReason();

/** A run folder that has written metrics but no weights yet. */
function runWithoutWeights() {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-run-'));
  writeFileSync(join(dir, 'metrics.jsonl'), '{"step":0,"train_loss":4.1,"val_loss":4.2}\n{"step":1,"train_loss":4.0,"lr":0.0001,"tokens_per_s":1000}\n');
  return dir;
}

async function saved(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

test('waiting runs, languages and saving figures', { skip: reason ?? false, timeout: 120000 }, async () => {
  const run = runWithoutWeights();
  const server = await startServer([join(FIXTURES, 'shakespeare-cpu'), run]);
  const browser = await launch();
  try {
    const { page, outside, errors } = await guardedPage(browser, server.host);
    await withScreenshot(page, 'page-waiting', async () => {
      await page.goto(viewUrl(server.url, { view: 'attention', model: 'm1' }));
      await page.locator('[data-testid="waiting"]').waitFor({ timeout: 20000 });
      assert.deepEqual(await page.$$eval('[data-testid="tabs"] button', (tabs) => tabs.map((b) => b.dataset.view)), ['training']);
      assert.equal(await page.getAttribute('[data-testid="train-last"]', 'data-step', { timeout: 20000 }), '1');

      // The run writes its first checkpoint and another metrics line: the other views open.
      for (const file of ['config.json', 'tokenizer.json', 'model.safetensors']) copyFileSync(join(FIXTURES, 'shakespeare-cpu', file), join(run, file));
      appendFileSync(join(run, 'metrics.jsonl'), '{"step":2,"train_loss":3.9}\n');
      await page.locator('[data-testid="tab-attention"]').waitFor({ timeout: 20000 });
      assert.equal(await page.locator('[data-testid="waiting"]').count(), 0);
    });

    await withScreenshot(page, 'page-save', async () => {
      await page.goto(viewUrl(server.url, { view: 'attention', model: 'm0', text: 'To be' }));
      await page.locator('[data-testid="model-view"] svg image').first().waitFor({ timeout: 20000 });
      const svg = await saved(page, '[data-testid="head-view"] [data-testid^="save-svg-"]');
      assert.match(svg.name, /\.svg$/);
      assert.match(svg.bytes.toString('utf8'), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const png = await saved(page, '[data-testid="model-view"] [data-testid^="save-png-"]');
      assert.match(png.name, /\.png$/);
      assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
      assert.ok(png.bytes.length > 1000, 'the PNG has the thumbnails drawn');

      await page.click('[data-testid="tab-embeddings"]');
      await page.locator('[data-testid="embedding-canvas"]').waitFor({ timeout: 20000 });
      const embeddings = await saved(page, '[data-testid="embeddings"] [data-testid^="save-png-"]');
      assert.deepEqual([...embeddings.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
    });

    await withScreenshot(page, 'page-language', async () => {
      assert.equal(await page.textContent('[data-testid="tab-attention"]'), 'Attention');
      await page.click('[data-testid="language-switch"] button[data-value="tr"]');
      assert.equal(await page.textContent('[data-testid="tab-attention"]'), 'Dikkat');
      assert.equal(await page.textContent('[data-testid="tab-training"]'), 'Eğitim');
      await page.reload();
      await page.locator('[data-testid="tab-attention"]').waitFor();
      assert.equal(await page.textContent('[data-testid="tab-attention"]'), 'Dikkat', 'the choice is remembered');
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script or console errors');

    // A Turkish browser gets Turkish without asking.
    const turkish = await guardedPage(browser, server.host, { locale: 'tr-TR' });
    await turkish.page.goto(viewUrl(server.url, { view: 'attention', model: 'm0', text: 'To be' }));
    assert.equal(await turkish.page.textContent('[data-testid="tab-attention"]'), 'Dikkat');
    assert.equal(await turkish.page.getAttribute('html', 'lang'), 'tr');
  } finally {
    await browser.close();
    await server.stop();
  }
});
