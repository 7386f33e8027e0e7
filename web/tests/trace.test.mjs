// The trace lists the server's steps; a step's numbers (one head of a per-head step) are the
// API's, and "show all" shows every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, api, floats, viewUrl, FIXTURES } from './helpers.mjs';

const reason = skipReason();

test('trace steps show the API numbers', { skip: reason ?? false, timeout: 120000 }, async () => {
  const server = await startServer([join(FIXTURES, 'shakespeare-cpu')]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  try {
    await withScreenshot(page, 'trace', async () => {
      const text = 'O Romeo, Romeo!';
      await page.goto(viewUrl(server.url, { view: 'trace', text }));
      const trace = await api(server, '/api/trace', { model: 'm0', text });
      await page.locator('[data-testid="trace-steps"] li').first().waitFor({ timeout: 20000 });
      const names = await page.$$eval('[data-testid="trace-steps"] li', (items) => items.map((li) => li.dataset.testid.slice(5)));
      assert.deepEqual(names, trace.steps.map((s) => s.name));

      await page.click('[data-testid="step-h.0.attn.weights"]');
      await page.click('[data-testid="trace-slice"] button[data-value="1"]'); // the second head
      const step = await api(server, '/api/trace/step', { model: 'm0', text, name: 'h.0.attn.weights' });
      const [, rows, cols] = step.shape;
      const values = floats(step.values);
      const cell = page.locator('[data-testid="trace-step"] [data-testid="cell-5-2"]');
      assert.equal(await cell.getAttribute('data-value', { timeout: 20000 }), String(values[rows * cols + 5 * cols + 2]));

      await page.click('[data-testid="step-embed.sum"]');
      await page.click('[data-testid="show-all"]');
      const embed = await api(server, '/api/trace/step', { model: 'm0', text, name: 'embed.sum' });
      assert.equal(await page.locator('[data-testid="step-numbers"] tbody tr').count(), embed.shape[0]);
      const last = floats(embed.values).at(-1);
      assert.equal(await page.locator('[data-testid="step-numbers"] tbody tr:last-child td:last-child').getAttribute('data-value'), String(last));
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a Turkish page describes every step in Turkish', { skip: reason ?? false, timeout: 120000 }, async () => {
  const server = await startServer([join(FIXTURES, 'shakespeare-cpu')]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host, { locale: 'tr-TR' });
  try {
    const text = 'O Romeo';
    await page.goto(viewUrl(server.url, { view: 'trace', text }));
    const trace = await api(server, '/api/trace', { model: 'm0', text });
    await page.locator('[data-testid="trace-steps"] li').first().waitFor({ timeout: 20000 });
    const shown = await page.$$eval('[data-testid="trace-steps"] li .muted', (items) => items.map((d) => d.textContent));
    assert.equal(shown.length, trace.steps.length);
    trace.steps.forEach((step, i) => {
      assert.ok(step.description_tr && step.description_tr !== step.description, `${step.name} has its own Turkish line`);
      assert.equal(shown[i], step.description_tr, step.name);
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
