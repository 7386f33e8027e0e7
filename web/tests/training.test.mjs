// The training view follows a run live: serve its folder while `dikkat train` writes it, and the
// last plotted point ends up as the last line of metrics.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, viewUrl, eventually, BIN } from './helpers.mjs';

const reason = skipReason();

/** A small, repetitive text that a tiny GPT learns something from in a few seconds. */
function trainingText() {
  const words = 'to be or not that is the question whether tis nobler in the mind to suffer'.split(' ');
  let state = 1;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  return Array.from({ length: 400 }, () => Array.from({ length: 12 }, () => words[next() % words.length]).join(' ')).join('\n');
}

test('the training curve follows a run live', { skip: reason ?? false, timeout: 180000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dikkat-train-'));
  const data = join(dir, 'text.txt');
  const out = join(dir, 'run');
  writeFileSync(data, trainingText());
  const train = spawn(BIN, ['train', '--data', data, '--out', out, '--preset', 'shakespeare-cpu', '--n-layer', '2', '--n-head', '2',
    '--n-embd', '64', '--context', '64', '--batch-size', '8', '--steps', '1500', '--threads', '1', '--quiet'], { stdio: 'ignore' });
  const trained = new Promise((resolve) => train.on('exit', resolve));
  let running = true;
  trained.then(() => { running = false; });
  const metricsFile = join(out, 'metrics.jsonl');
  await eventually(() => (existsSync(metricsFile) ? true : undefined), { ms: 60000, what: 'metrics.jsonl' });

  const server = await startServer([out]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host);
  try {
    await withScreenshot(page, 'training', async () => {
      await page.goto(viewUrl(server.url, { view: 'training' }));
      const last = page.locator('[data-testid="train-last"]');
      const firstStep = Number(await last.getAttribute('data-step', { timeout: 30000 }));
      const wasLive = running;
      assert.equal(await trained, 0, 'dikkat train succeeded');
      const lines = readFileSync(metricsFile, 'utf8').trim().split('\n');
      const final = JSON.parse(lines.at(-1));
      await eventually(async () => (await last.getAttribute('data-step')) === String(final.step) || undefined,
        { ms: 30000, what: `the last point at step ${final.step}` });
      assert.equal(await last.getAttribute('data-loss'), String(final.train_loss));
      t.diagnostic(`first point shown at step ${firstStep} of ${final.step}; the run was ${wasLive ? 'still training' : 'done'}`);
      if (wasLive) assert.ok(firstStep < final.step, 'points were appended while the run trained');
    });
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    train.kill();
    await browser.close();
    await server.stop();
  }
});
