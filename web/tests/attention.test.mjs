// The attention view shows the very numbers the API and `dikkat attention` give: a small table
// (SVG cells) and a large one (canvas with a hover readout); the model view opens a head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, dikkat, viewUrl, FIXTURES } from './helpers.mjs';

const MODEL = join(FIXTURES, 'shakespeare-cpu');
const reason = skipReason();

test('attention cells equal the API and the CLI', { skip: reason ?? false, timeout: 120000 }, async () => {
  const server = await startServer([MODEL]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  try {
    await withScreenshot(page, 'attention-small', async () => {
      const text = 'To be, or not';
      const [layer, head, i, j] = [2, 3, 9, 4];
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      await page.selectOption('[data-testid="layer-select"]', String(layer));
      await page.selectOption('[data-testid="head-select"]', String(head));
      const cell = page.locator(`[data-testid="attention-table"][data-layer="${layer}"][data-head="${head}"] [data-testid="cell-${i}-${j}"]`);
      const shown = await cell.getAttribute('data-value', { timeout: 20000 });

      const answer = await api(server, '/api/attention', { model: 'm0', text, kind: 'self', layer, head });
      const fromApi = floats(answer.weights)[i * answer.cols + j];
      assert.equal(shown, String(fromApi));

      const cli = JSON.parse(await dikkat('attention', '--model', MODEL, '--text', text, '--layer', String(layer), '--head', String(head), '--format', 'json', '--threads', '1'));
      const fromCli = cli.tables[0].weights[i][j];
      assert.ok(Math.abs(Number(shown) - fromCli) < 1e-6, `page ${shown} vs CLI ${fromCli}`);
      assert.ok(Number(shown) > 0, 'a cell below the diagonal carries weight');

      // The model view: clicking layer 1, head 2 opens that head.
      await page.click('[data-testid="thumb-1-2"]');
      const opened = page.locator('[data-testid="attention-table"][data-layer="1"][data-head="2"] [data-testid="cell-0-0"]');
      assert.equal(await opened.getAttribute('data-value', { timeout: 20000 }), '1');
    });

    await withScreenshot(page, 'attention-large', async () => {
      // 60 tokens: the table is a canvas; hovering a cell shows its exact value.
      const text = 'First Citizen: Before we proceed any further, hear me speak.';
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      await page.selectOption('[data-testid="layer-select"]', '4');
      await page.selectOption('[data-testid="head-select"]', '1');
      const canvas = page.locator('[data-testid="attention-table"][data-layer="4"][data-head="1"] canvas');
      await canvas.waitFor({ timeout: 20000 });
      const answer = await api(server, '/api/attention', { model: 'm0', text, kind: 'self', layer: 4, head: 1 });
      const [i, j] = [50, 17];
      const box = await canvas.boundingBox();
      await canvas.hover({ position: { x: ((j + 0.5) / answer.cols) * box.width, y: ((i + 0.5) / answer.rows) * box.height } });
      const readout = page.locator('[data-testid="attention-table"] [data-testid="cell-readout"]');
      await page.waitForFunction((el) => el.dataset.row === '50' && el.dataset.col === '17', await readout.elementHandle());
      assert.equal(await readout.getAttribute('data-value'), String(floats(answer.weights)[i * answer.cols + j]));
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
