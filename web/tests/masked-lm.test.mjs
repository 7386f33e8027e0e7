// A masked language model on the page: the fill-the-blank view shows the API's guesses, and the
// attention view's training-step slider shows each kept step's table, served and exported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, dikkat, assetArgs, viewUrl, trainTinyBert } from './helpers.mjs';

const reason = skipReason();

/** Moves a range input to `index` as a user's drag would (an input event). */
async function slide(page, index) {
  await page.$eval('[data-testid="step-slider"]', (el, value) => {
    el.value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, index);
}

/** The shown value of cell (i, j) of the layer 1 head 1 table. */
async function cellValue(page, i, j) {
  const cell = page.locator(`[data-testid="attention-table"][data-layer="1"][data-head="1"] [data-testid="cell-${i}-${j}"]`);
  return Number(await cell.getAttribute('data-value', { timeout: 20000 }));
}

test('fill the blank and watch a head learn', { skip: reason ?? false, timeout: 180000 }, async () => {
  const model = await trainTinyBert();
  const server = await startServer([model]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  try {
    await withScreenshot(page, 'masked-lm-fill', async () => {
      const text = 'the cat s[MASK]t on the mat';
      await page.goto(viewUrl(server.url, { view: 'fill', text }));
      const first = page.locator('[data-testid="fill-mask"] [data-testid="fill-candidate"]').first();
      await first.waitFor({ timeout: 20000 });
      const answer = await api(server, '/api/fill', { model: 'm0', text });
      assert.equal(await first.getAttribute('data-token'), String(answer.masks[0].candidates[0].token));
      assert.equal(answer.masks[0].candidates[0].token_str, 'a');
      assert.equal(await page.textContent('[data-testid="fill-filled"]'), 'the cat sat on the mat');
    });

    await withScreenshot(page, 'masked-lm-slider', async () => {
      const text = 'a dog ran';
      const { models } = await api(server, '/api/models');
      const steps = models[0].checkpoints.map((c) => c.step);
      assert.deepEqual(steps, [0, 100, 200, 300, 400]);
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      const [i, j] = [2, 5];
      const latest = await cellValue(page, i, j);
      // Bidirectional: a query weighs keys after it.
      assert.ok(latest > 0, 'a key after its query carries weight');
      assert.equal(await page.textContent('[data-testid="step-readout"]'), '400');
      for (const index of [0, 2]) {
        await slide(page, index);
        const file = models[0].checkpoints[index].file;
        const fromApi = floats((await api(server, '/api/attention', { model: 'm0', text, kind: 'self', layer: 1, head: 1, checkpoint: file })).weights);
        const want = fromApi[i * Math.sqrt(fromApi.length) + j];
        await page.waitForFunction(([w]) => {
          const cell = document.querySelector('[data-testid="attention-table"] [data-testid="cell-2-5"]');
          return cell && Number(cell.dataset.value) === w;
        }, [want], { timeout: 20000 });
        assert.equal(await page.textContent('[data-testid="step-readout"]'), String(steps[index]));
      }
      assert.notEqual(await cellValue(page, i, j), latest, 'step 200 is not the latest');
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }

  // Exported with --snapshots: the slider works from file:// with nothing else to ask.
  const file = join(mkdtempSync(join(tmpdir(), 'dikkat-export-')), 'view.html');
  await dikkat('export-html', '--model', model, '--text', 'a dog ran', '--snapshots', '-o', file, ...assetArgs(), '--threads', '1');
  const pageUrl = pathToFileURL(file).href;
  const offline = await launch();
  const guarded = await guardedPage(offline, (url) => url.href.split('#')[0] === pageUrl);
  try {
    await withScreenshot(guarded.page, 'masked-lm-export', async () => {
      await guarded.page.goto(pageUrl);
      const latest = await cellValue(guarded.page, 2, 5);
      await slide(guarded.page, 1);
      await guarded.page.waitForFunction((w) => {
        const cell = document.querySelector('[data-testid="attention-table"] [data-testid="cell-2-5"]');
        return cell && Number(cell.dataset.value) !== w;
      }, latest, { timeout: 20000 });
      assert.equal(await guarded.page.textContent('[data-testid="step-readout"]'), '100');
      assert.equal(await guarded.page.locator('[data-testid="error"]').count(), 0, 'every request was in the export');
    });
    assert.deepEqual(guarded.outside, [], 'the exported page asked for nothing');
    assert.deepEqual(guarded.errors, [], 'no script errors');
  } finally {
    await offline.close();
  }
});
