// A translator: the translation box shows the server's translation and its cross-attention,
// and the attention view's kind switch opens encoder, decoder and cross tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, viewUrl, trainTinyTranslator } from './helpers.mjs';

const reason = skipReason();

async function translate(server, text) {
  const response = await fetch(`${server.url}/api/translate`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'm0', text, beam: 4, length_penalty: 1, max_len: 0 }),
  });
  return response.json();
}

test('translation box and translator attention kinds', { skip: reason ?? false, timeout: 120000 }, async () => {
  const model = await trainTinyTranslator();
  const server = await startServer([model]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  const text = 'the cat sees my book';
  try {
    await withScreenshot(page, 'translate', async () => {
      await page.goto(viewUrl(server.url, { view: 'translate', text }));
      await page.click('[data-testid="translate-button"]');
      const expected = await translate(server, text);
      await page.locator('[data-testid="translation"]').waitFor({ timeout: 20000 });
      assert.equal(await page.textContent('[data-testid="translation"]'), expected.translation);

      const cell = page.locator('[data-testid="attention-table"][data-kind="cross"] [data-testid="cell-1-2"]');
      const shown = await cell.getAttribute('data-value', { timeout: 20000 });
      const answer = await api(server, '/api/attention', { model: 'm0', text, target: expected.translation, kind: 'cross', layer: 1, head: 1 });
      assert.equal(shown, String(floats(answer.weights)[1 * answer.cols + 2]));
    });

    await withScreenshot(page, 'translator-attention', async () => {
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      for (const kind of ['encoder', 'decoder', 'cross']) {
        await page.click(`[data-testid="kind-switch"] button[data-value="${kind}"]`);
        await page.selectOption('[data-testid="head-select"]', '2');
        const cell = page.locator(`[data-testid="attention-table"][data-kind="${kind}"][data-head="2"] [data-testid="cell-0-0"]`);
        const shown = await cell.getAttribute('data-value', { timeout: 20000 });
        const answer = await api(server, '/api/attention', { model: 'm0', text, kind, layer: 1, head: 2 });
        assert.equal(shown, String(floats(answer.weights)[0]), kind);
      }
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
