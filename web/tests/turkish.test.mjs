// The page in a Turkish browser: every tab of a GPT, a bigram model and a recurrent translator
// carries its Turkish label from i18n.js, and no English label (one that differs from its
// Turkish twin) shows in the tabs, headings, field labels or buttons of any view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipReason, startServer, launch, guardedPage, withScreenshot, viewUrl, trainTinyBigram, trainTinyRecurrent, FIXTURES } from './helpers.mjs';
import { DICTIONARIES } from '../src/i18n.js';

const reason = skipReason();
const { en, tr } = DICTIONARIES;

/**
 * The English labels that must not appear: each template's literal parts (around {name}
 * placeholders) of three or more characters, for every key whose English and Turkish differ.
 */
const ENGLISH = [...new Set(Object.keys(en)
  .filter((key) => en[key] !== tr[key])
  .flatMap((key) => en[key].split(/\{\w+\}/).map((part) => part.trim()))
  .filter((part) => part.length >= 3 && /\p{L}/u.test(part)))];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = ENGLISH.map((label) => [label, new RegExp(`(?<!\\p{L})${escape(label)}(?!\\p{L})`, 'u')]);

/** The texts of the tabs, headings, field labels and buttons on the page now. */
function shownLabels(page) {
  return page.$$eval('[data-testid="tabs"] button, h1, h2, h3, h4, .field > span, #view button, .panel-head button',
    (elements) => elements.map((el) => el.textContent.trim()).filter(Boolean));
}

/** Waits until the view has drawn (nothing left loading, a panel or the translate button there). */
async function viewDrawn(page) {
  await page.waitForFunction((loading) => {
    const view = document.querySelector('#view .view');
    if (!view) return false;
    if ([...view.querySelectorAll('p')].some((p) => p.textContent === loading)) return false;
    return Boolean(view.querySelector('h3, [data-testid="translate-button"], .note'));
  }, tr.loading, { timeout: 20000 });
}

test('a Turkish browser gets Turkish labels on every view', { skip: reason ?? false, timeout: 120000 }, async () => {
  const bigram = await trainTinyBigram('the cat sat on the mat. the dog sat on the log.\n'.repeat(30));
  const translator = await trainTinyRecurrent('bahdanau');
  const server = await startServer([join(FIXTURES, 'shakespeare-cpu'), bigram, translator]);
  const browser = await launch();
  const { page, outside, errors } = await guardedPage(browser, server.host, { locale: 'tr-TR' });
  try {
    for (const [model, text] of [['m0', 'To be, or not'], ['m1', 'the cat'], ['m2', 'the cat sees my book']]) {
      await withScreenshot(page, `turkish-${model}`, async () => {
        await page.goto(viewUrl(server.url, { view: '', model, text }));
        await page.locator('[data-testid="tabs"] button').first().waitFor({ timeout: 20000 });
        assert.equal(await page.getAttribute('html', 'lang'), 'tr');
        const tabs = await page.$$eval('[data-testid="tabs"] button', (buttons) => buttons.map((b) => [b.dataset.view, b.textContent]));
        assert.ok(tabs.length >= 5, `${model}: ${tabs.length} tabs`);
        for (const [view, label] of tabs) assert.equal(label, tr[`view_${view}`], `${model}: the ${view} tab`);
        if (model === 'm1') assert.equal(tabs[0][0], 'bigram', 'a bigram model opens on its table');

        for (const [view] of tabs) {
          await page.click(`[data-testid="tab-${view}"]`);
          await viewDrawn(page);
          if (view === 'translate') {
            await page.click('[data-testid="translate-button"]');
            await page.locator('[data-testid="attention-table"]').waitFor({ timeout: 20000 });
          }
          const shown = await shownLabels(page);
          for (const text of shown) {
            for (const [label, pattern] of PATTERNS) assert.ok(!pattern.test(text), `${model}, ${view}: English “${label}” in “${text}”`);
          }
          assert.ok(shown.includes(tr[`view_${view}`]), `${model}, ${view}: its tab`);
        }
      });
    }
    assert.deepEqual(outside, [], 'no request left the server');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
