// Browser-free checks of the page's pure parts: sampling, the SSE parser, export matching, i18n.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distribution, topIds } from '../src/sampling.js';
import { sseParser, cleanParams } from '../src/api.js';
import { DICTIONARIES } from '../src/i18n.js';

test('temperature 0 puts all the mass on the argmax, lowest id on ties', () => {
  assert.deepEqual(Array.from(distribution(new Float32Array([1, 3, 3, 2]), { temperature: 0 })), [0, 1, 0, 0]);
});

test('softmax at a temperature', () => {
  const probs = distribution(new Float32Array([0, Math.log(3)]), { temperature: 1 });
  assert.ok(Math.abs(probs[0] - 0.25) < 1e-7 && Math.abs(probs[1] - 0.75) < 1e-7);
  const hot = distribution(new Float32Array([0, Math.log(3)]), { temperature: 2 });
  assert.ok(Math.abs(hot[1] - Math.sqrt(3) / (1 + Math.sqrt(3))) < 1e-7);
});

test('top-k then top-p, renormalised', () => {
  const logits = new Float32Array([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
  const k2 = distribution(logits, { topK: 2 });
  assert.ok(Math.abs(k2[0] - 0.625) < 1e-6 && Math.abs(k2[1] - 0.375) < 1e-6 && k2[2] === 0 && k2[3] === 0);
  const p70 = distribution(logits, { topP: 0.7 }); // 0.5 < 0.7, 0.5 + 0.3 >= 0.7: keep two
  assert.deepEqual(topIds(p70, 10), [0, 1]);
  const p50 = distribution(logits, { topP: 0.5 }); // the first token alone reaches 0.5
  assert.deepEqual(Array.from(p50), [1, 0, 0, 0]);
});

test('the SSE parser handles split chunks, comments and multi-line data', () => {
  const events = [];
  const parser = sseParser((name, data) => events.push([name, data]));
  parser.push(': keep-alive\n\nevent: tok');
  parser.push('en\ndata: {"id": 5, "text": "a"}\r\n\r\nevent: done\ndata: line one\ndata: line two\n');
  parser.push('\n');
  assert.deepEqual(events, [['token', { id: 5, text: 'a' }], ['done', 'line one\nline two']]);
});

test('request parameters are strings and unset ones are left out', () => {
  assert.deepEqual(cleanParams({ model: 'm0', layer: 2, target: '', size: undefined, compare: null }), { model: 'm0', layer: '2' });
});

test('English and Turkish have the same labels', () => {
  assert.deepEqual(Object.keys(DICTIONARIES.tr).sort(), Object.keys(DICTIONARIES.en).sort());
});

test('every label the code asks for exists', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const src = new URL('../src/', import.meta.url).pathname;
  const files = [...(await readdir(src)).map((f) => join(src, f)), ...(await readdir(join(src, 'views'))).map((f) => join(src, 'views', f))];
  const missing = [];
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    for (const [, key] of (await readFile(file, 'utf8')).matchAll(/\bt\('(\w+)'[,)]/g)) {
      if (!(key in DICTIONARIES.en)) missing.push(`${file}: ${key}`);
    }
  }
  for (const kind of ['self', 'encoder', 'decoder', 'cross']) if (!(`kind_${kind}` in DICTIONARIES.en)) missing.push(`kind_${kind}`);
  for (const view of ['bigram', 'attention', 'translate', 'trace', 'embeddings', 'next', 'training']) if (!(`view_${view}` in DICTIONARIES.en)) missing.push(`view_${view}`);
  assert.deepEqual(missing, []);
});
