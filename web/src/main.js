// The page: model picker, the shared text (and target for translators), the tabs, and the
// active view. State lives in the URL's hash (view, model, text, target), so a view can be
// linked to and reloaded.
import { h, put } from './dom.js';
import { get, isExport, exportedText, exportedTarget, forgetAnswers } from './api.js';
import { t, language, setLanguage, LANGUAGES } from './i18n.js';
import { note, errorLine, select, switcher } from './ui.js';
import { attentionView } from './views/attention.js';
import { translateView } from './views/translate.js';
import { traceView } from './views/trace.js';
import { embeddingsView } from './views/embeddings.js';
import { nextTokenView } from './views/next-token.js';
import { trainingView } from './views/training.js';
import { bigramView } from './views/bigram.js';
import { fillView } from './views/fill.js';

// The bigram view comes first: a bigram model opens on its table.
const VIEWS = [bigramView, fillView, attentionView, translateView, traceView, embeddingsView, nextTokenView, trainingView];
const NEEDS_TEXT = new Set(['attention', 'translate', 'trace', 'next']);
const FIRST_GUESS = 'To be, or not to be';

const state = { models: [], modelId: null, view: 'attention', text: '', target: '' };
let cleanup = () => {};
let lastModelCheck = 0;
let pendingModelCheck = 0;

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of ['view', 'text', 'target']) if (params.has(key)) state[key] = params.get(key);
  if (params.has('model')) state.modelId = params.get('model');
}

function writeHash() {
  const params = new URLSearchParams({ view: state.view, model: state.modelId || '' });
  if (!isExport) params.set('text', state.text);
  if (state.target) params.set('target', state.target);
  history.replaceState(null, '', `#${params}`);
}

/**
 * A model with every field the views read. The server lists a run that has no weights yet with
 * only id, name, dir, ready and has_metrics.
 */
function withDefaults(model) {
  return {
    arch: '?', task: 'language_model', step: 0, vocab_size: 0, context: 0, n_embd: 0, layers: 0, heads: 0,
    encoder_layers: 0, attention_kinds: [], checkpoints: [], has_metrics: false, config: {}, ...model,
  };
}

async function loadModels() {
  state.models = (await get('/api/models', {}, { fresh: true })).models.map(withDefaults);
}

const currentModel = () => state.models.find((m) => m.id === state.modelId);

function viewsFor(model) {
  return model.ready ? VIEWS.filter((v) => v.available(model)) : [trainingView];
}

/**
 * A text the model can read: the guess when the vocabulary has all its characters, else the
 * model's first few ordinary tokens. (Asking /api/tokenize instead would log a 400.)
 */
async function defaultText(model) {
  const vocab = await get('/api/vocab', { model: model.id });
  const known = new Set(vocab.texts.join(''));
  if ([...FIRST_GUESS].every((c) => known.has(c))) return FIRST_GUESS;
  return vocab.texts.filter((text) => text && !/^[<⟨].*[>⟩]$/.test(text)).slice(0, 8).join('');
}

function modelInfo(model) {
  const facts = [
    [t('architecture'), model.arch],
    [t('step'), model.step],
    [t('vocabSize'), model.vocab_size],
    [t('context'), model.context],
    [t('embeddingSize'), model.n_embd],
    [t('layers'), model.encoder_layers ? `${model.encoder_layers} + ${model.layers}` : model.layers],
    [t('heads'), model.heads],
  ].filter(([, value]) => value !== 0); // recurrent and bigram models have no layers or heads
  return h('dl', { class: 'model-info', 'data-testid': 'model-info' },
    facts.map(([name, value]) => [h('dt', { text: name }), h('dd', { text: String(value) })]));
}

function inputs(model) {
  const textBox = h('textarea', { rows: 2, 'data-testid': 'text-input', readonly: isExport, 'aria-label': t('inputText') });
  textBox.value = state.text;
  const targetBox = model.task === 'translation' && h('input', { type: 'text', 'data-testid': 'target-input', readonly: isExport, placeholder: t('targetPlaceholder'), 'aria-label': t('targetText') });
  if (targetBox) targetBox.value = state.target;
  let timer = 0;
  const apply = () => {
    clearTimeout(timer);
    const text = textBox.value;
    const target = targetBox ? targetBox.value : '';
    if (text === state.text && target === state.target) return;
    Object.assign(state, { text, target });
    writeHash();
    renderView();
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(apply, 500); };
  for (const box of [textBox, targetBox].filter(Boolean)) {
    box.addEventListener('input', later);
    box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); apply(); } });
  }
  return h('div', { class: 'inputs' },
    h('label', { class: 'field grow' }, h('span', { text: model.task === 'translation' ? t('sourceText') : t('inputText') }), textBox),
    targetBox && h('label', { class: 'field grow' }, h('span', { text: t('targetText') }), targetBox),
    !isExport && h('button', { type: 'button', 'data-testid': 'apply-text', onclick: apply, text: t('apply') }),
    isExport && note(t('exportNote')));
}

function renderView() {
  cleanup();
  cleanup = () => {};
  const host = document.getElementById('view');
  const model = currentModel();
  if (!host || !model) return;
  const views = viewsFor(model);
  if (!views.some((v) => v.id === state.view)) state.view = views[0].id;
  for (const tab of document.querySelectorAll('.tabs button')) tab.setAttribute('aria-pressed', String(tab.dataset.view === state.view));
  const view = views.find((v) => v.id === state.view);
  const container = h('div', { class: 'view', 'data-testid': `view-${view.id}` });
  put(host, container);
  if (NEEDS_TEXT.has(view.id) && !state.text) {
    container.append(note(t('typeText')));
    return;
  }
  const ctx = {
    model, text: state.text, target: model.task === 'translation' ? state.target : '',
    rerender: renderView,
    onTrainingRow: model.ready ? null : () => checkSoon(model),
  };
  cleanup = view.render(container, ctx) || (() => {});
  if (!isExport) noticeNewCheckpoint(model);
}

/**
 * While a run has no weights yet, look again as its metrics arrive: at most every 5 s, and
 * a row that arrives sooner is answered by one look when the 5 s are over.
 */
function checkSoon(model) {
  if (pendingModelCheck) return;
  const wait = Math.max(0, lastModelCheck + 5000 - Date.now());
  pendingModelCheck = setTimeout(() => {
    pendingModelCheck = 0;
    lastModelCheck = Date.now();
    noticeNewCheckpoint(model);
  }, wait);
}

/**
 * A served run keeps writing checkpoints and the server follows the latest, so kept answers go
 * stale: on each render (and while a run waits for its first weights, as its metrics arrive)
 * look at the model list again, and when the step moved, start afresh.
 */
async function noticeNewCheckpoint(shown) {
  const { models } = await get('/api/models', {}, { fresh: true }).catch(() => ({ models: [] }));
  const listed = models.map(withDefaults);
  const now = listed.find((m) => m.id === shown.id);
  if (!now || (now.step === shown.step && now.ready === shown.ready) || currentModel() !== shown) return;
  forgetAnswers();
  state.models = listed;
  await ensureText();
  renderShell();
}

function renderShell() {
  const app = document.getElementById('app');
  document.documentElement.lang = language();
  document.title = 'dikkat';
  const model = currentModel();
  const header = h('header', { class: 'top' },
    h('h1', { text: 'dikkat' }),
    h('span', { class: 'tagline muted', text: t('tagline') }),
    h('div', { class: 'spacer' }),
    state.models.length > 0 && h('label', { class: 'field inline' }, h('span', { text: t('model') }), select({
      options: state.models.map((m) => [m.id, m.ready ? `${m.name} (${m.arch})` : m.name]), value: state.modelId, testid: 'model-select',
      onchange: async (id) => { state.modelId = id; state.target = ''; await ensureText(); writeHash(); renderShell(); },
    })),
    switcher({ options: LANGUAGES.map((l) => [l, l.toUpperCase()]), value: language(), testid: 'language-switch', onchange: (l) => { setLanguage(l); renderShell(); } }));
  put(app, header);
  if (!model) {
    app.append(note(t('noModels')));
    return;
  }
  const views = viewsFor(model);
  put(app, header,
    h('div', { class: 'model-bar' }, model.ready ? modelInfo(model) : h('code', { text: model.dir }), !model.ready && note(t('waitingForCheckpoint'), 'waiting')),
    model.ready ? inputs(model) : null,
    h('nav', { class: 'tabs', 'data-testid': 'tabs' }, views.map((v) => h('button', {
      type: 'button', 'data-view': v.id, 'data-testid': `tab-${v.id}`, text: t('view_' + v.id),
      onclick: () => { state.view = v.id; writeHash(); renderView(); },
    }))),
    model.attention_kinds.length === 0 && model.ready ? note(t('noAttention'), 'no-attention') : null,
    h('main', { id: 'view' }));
  renderView();
}

async function ensureText() {
  if (isExport) state.text = exportedText(), state.target = exportedTarget();
  else if (!state.text && currentModel()?.ready) state.text = await defaultText(currentModel());
}

async function start() {
  readHash();
  try {
    await loadModels();
    if (!currentModel() && state.models.length) state.modelId = state.models[0].id;
    await ensureText();
  } catch (error) {
    renderShell();
    document.getElementById('app').append(errorLine(error));
    return;
  }
  writeHash();
  renderShell();
}

window.addEventListener('hashchange', async () => {
  readHash();
  if (!currentModel() && state.models.length) state.modelId = state.models[0].id;
  await ensureText();
  renderShell();
});

// The served page loads app.js with defer; an exported page may inline it in <head>.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
