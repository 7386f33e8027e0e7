// `dikkat export-html` writes one HTML file that works from file:// with the network cut off,
// answering the page's requests from the recorded ones: same attention values as the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { skipReason, assetArgs, launch, guardedPage, withScreenshot, dikkat, trainTinyTranslator, trainTinyBigram, FIXTURES } from './helpers.mjs';

const MODEL = join(FIXTURES, 'shakespeare-cpu');
const reason = skipReason();

test('an exported page shows the same attention offline', { skip: reason ?? false, timeout: 120000 }, async () => {
  const text = 'To be, or not';
  const file = join(mkdtempSync(join(tmpdir(), 'dikkat-export-')), 'view.html');
  await dikkat('export-html', '--model', MODEL, '--text', text, '-o', file, ...assetArgs(), '--threads', '1');
  const pageUrl = pathToFileURL(file).href;

  const browser = await launch();
  // Nothing but the file itself may load: no server, no network.
  const { page, outside, errors } = await guardedPage(browser, (url) => url.href.split('#')[0] === pageUrl);
  try {
    await withScreenshot(page, 'export', async () => {
      await page.goto(pageUrl);
      const [layer, head, i, j] = [3, 2, 11, 5];
      await page.selectOption('[data-testid="layer-select"]', String(layer));
      await page.selectOption('[data-testid="head-select"]', String(head));
      const cell = page.locator(`[data-testid="attention-table"][data-layer="${layer}"][data-head="${head}"] [data-testid="cell-${i}-${j}"]`);
      const shown = Number(await cell.getAttribute('data-value', { timeout: 20000 }));
      const cli = JSON.parse(await dikkat('attention', '--model', MODEL, '--text', text, '--layer', String(layer), '--head', String(head), '--format', 'json', '--threads', '1'));
      assert.ok(Math.abs(shown - cli.tables[0].weights[i][j]) < 1e-6, `export ${shown} vs CLI ${cli.tables[0].weights[i][j]}`);
      assert.equal(await page.inputValue('[data-testid="text-input"]'), text);

      // The other recorded views open too.
      await page.click('[data-testid="tab-trace"]');
      await page.locator('[data-testid^="step-"]').nth(4).click();
      await page.locator('[data-testid="step-numbers"]').waitFor({ timeout: 10000 });
      await page.click('[data-testid="tab-embeddings"]');
      await page.locator('[data-testid="embedding-canvas"]').waitFor({ timeout: 10000 });
      await page.click('[data-testid="tab-next"]');
      await page.locator('[data-testid="next-token-bars"]').waitFor({ timeout: 10000 });
      assert.equal(await page.locator('[data-testid="generate-button"]').count(), 0, 'no generating without a server');
      assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'every request was in the export');
    });
    assert.deepEqual(outside, [], 'the exported page asked for nothing');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
  }
});

test('an exported translator page shows each attention kind offline', { skip: reason ?? false, timeout: 120000 }, async () => {
  const model = await trainTinyTranslator();
  const text = 'my friend sees the big tree';
  const file = join(mkdtempSync(join(tmpdir(), 'dikkat-export-')), 'view.html');
  await dikkat('export-html', '--model', model, '--text', text, '-o', file, ...assetArgs(), '--threads', '1');
  const pageUrl = pathToFileURL(file).href;
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, (url) => url.href.split('#')[0] === pageUrl);
  try {
    await withScreenshot(page, 'export-translator', async () => {
      await page.goto(pageUrl);
      for (const kind of ['encoder', 'decoder', 'cross']) {
        await page.click(`[data-testid="kind-switch"] button[data-value="${kind}"]`);
        await page.selectOption('[data-testid="head-select"]', '2');
        const cell = page.locator(`[data-testid="attention-table"][data-kind="${kind}"][data-head="2"] [data-testid="cell-1-0"]`);
        const shown = Number(await cell.getAttribute('data-value', { timeout: 20000 }));
        const cli = JSON.parse(await dikkat('attention', '--model', model, '--text', text, '--kind', kind, '--layer', '1', '--head', '2', '--format', 'json', '--threads', '1'));
        assert.ok(Math.abs(shown - cli.tables[0].weights[1][0]) < 1e-6, `${kind}: export ${shown} vs CLI ${cli.tables[0].weights[1][0]}`);
      }
      await page.click('[data-testid="tab-translate"]');
      assert.equal(await page.locator('[data-testid="translate-button"]').count(), 0, 'no translating without a server');
      await page.click('[data-testid="tab-training"]');
      await page.locator('[data-testid="train-last"]').waitFor({ timeout: 10000 });
      assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'every request was in the export');
    });
    assert.deepEqual(outside, [], 'the exported page asked for nothing');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
  }
});

test('an exported bigram page shows its table offline', { skip: reason ?? false, timeout: 120000 }, async () => {
  const model = await trainTinyBigram('the cat sat on the mat. the dog sat on the log.\n'.repeat(30));
  const file = join(mkdtempSync(join(tmpdir(), 'dikkat-export-')), 'view.html');
  await dikkat('export-html', '--model', model, '--text', 'the cat', '-o', file, ...assetArgs(), '--threads', '1');
  const pageUrl = pathToFileURL(file).href;
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, (url) => url.href.split('#')[0] === pageUrl);
  try {
    await withScreenshot(page, 'export-bigram', async () => {
      await page.goto(pageUrl);
      const cli = JSON.parse(await dikkat('bigram', '--model', model, '--format', 'json'));
      const [i, j] = [4, 2];
      const shown = Number(await page.getAttribute(`[data-testid="bigram-cell-${i}-${j}"]`, 'data-value', { timeout: 20000 }));
      assert.ok(Math.abs(shown - cli.probabilities[i][j]) < 1e-6, `export ${shown} vs CLI ${cli.probabilities[i][j]}`);
      assert.equal(await page.locator('[data-testid="error"]').count(), 0, 'every request was in the export');
    });
    assert.deepEqual(outside, [], 'the exported page asked for nothing');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
  }
});
