// With DIKKAT_SCREENSHOTS=DIR, writes a PNG of each main view into DIR (for docs/screenshots/).
import { test } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, viewUrl, trainTinyTranslator, FIXTURES } from './helpers.mjs';

const target = process.env.DIKKAT_SCREENSHOTS;
const reason = skipReason() ?? (target ? null : 'set DIKKAT_SCREENSHOTS to a folder to write the screenshots');

test('screenshots of every main view', { skip: reason ?? false, timeout: 180000 }, async () => {
  const dir = resolve(target);
  mkdirSync(dir, { recursive: true });
  const translator = await trainTinyTranslator();
  // m0: a character GPT, m1: seed 248 (it kept its step-0 weights), m2: a translator (with metrics).
  const server = await startServer([join(FIXTURES, 'shakespeare-cpu'), join(FIXTURES, 'seed248'), translator]);
  const browser = await launch();
  const { page } = await guardedPage(browser, server.host);
  const shot = async (name, selector) => {
    const element = page.locator(selector).first();
    await element.waitFor({ timeout: 20000 });
    await page.waitForTimeout(200); // let the last frame paint
    await element.screenshot({ path: join(dir, `${name}.png`) });
  };
  try {
    await withScreenshot(page, 'screenshots', async () => {
      const text = 'ROMEO: But soft, what light';
      await page.goto(viewUrl(server.url, { view: 'attention', text }));
      await page.selectOption('[data-testid="layer-select"]', '2');
      await page.locator('[data-testid="head-view"][data-layer="2"]').waitFor({ timeout: 20000 });
      await page.hover('[data-testid="head-view"] [data-testid="query-20"]');
      await shot('attention-head-view', '[data-testid="head-view"]');
      await shot('attention-model-view', '[data-testid="model-view"]');

      await page.goto(viewUrl(server.url, { view: 'trace', text }));
      await page.click('[data-testid="step-h.0.attn.weights"]');
      await shot('trace', '[data-testid="view-trace"]');

      await page.goto(viewUrl(server.url, { view: 'next', text }));
      await shot('next-token', '[data-testid="next-token"]');

      await page.goto(viewUrl(server.url, { view: 'embeddings', model: 'm2' }));
      await page.click('[data-testid="dims-switch"] button[data-value="3"]');
      await shot('embeddings-3d', '[data-testid="embeddings"]');

      await page.goto(viewUrl(server.url, { view: 'translate', model: 'm2', text: 'the cat sees my big book' }));
      await page.click('[data-testid="translate-button"]');
      await page.locator('[data-testid="attention-table"][data-kind="cross"]').waitFor({ timeout: 20000 });
      await shot('translation-cross-attention', '[data-testid="view-translate"]');

      await page.goto(viewUrl(server.url, { view: 'training', model: 'm2' }));
      await page.locator('[data-testid="train-last"]').waitFor({ timeout: 20000 });
      await shot('training-curves', '[data-testid="training"]');
    });
  } finally {
    await browser.close();
    await server.stop();
  }
});
