// Pieces every view uses: a titled panel with save buttons, error and loading lines, labelled inputs.
import { h } from './dom.js';
import { t } from './i18n.js';
import { saveButtons } from './save.js';

/**
 * A titled box. With `save: {name, figure}` it carries "Save SVG"/"Save PNG" for figure();
 * `attrs` are extra attributes (data-* that say what the panel shows, for tests and tools).
 */
export function panel(title, body, { save, testid, attrs } = {}) {
  return h('section', { class: 'panel', 'data-testid': testid, ...attrs },
    h('header', { class: 'panel-head' }, h('h3', { text: title }), save && saveButtons(save.figure, save.name)),
    body);
}

export function errorLine(error) {
  const field = error && error.field ? ` (${error.field})` : '';
  return h('p', { class: 'error', role: 'alert', 'data-testid': 'error' }, `${error && error.message ? error.message : String(error)}${field}`);
}

function loadingLine() {
  return h('p', { class: 'muted', text: t('loading') });
}

export function note(text, testid) {
  return h('p', { class: 'note', 'data-testid': testid, text });
}

const latestWork = new WeakMap();

/**
 * Runs `work`, putting its result (a node or nodes) into `host`, or the error if it fails.
 * Only the latest work asked of a host may fill it: a slow answer to an older question
 * (another head picked meanwhile) is dropped.
 */
export async function fill(host, work) {
  const token = {};
  latestWork.set(host, token);
  host.replaceChildren(loadingLine());
  let content;
  try {
    content = [await work()].flat(Infinity).filter(Boolean);
  } catch (error) {
    content = [errorLine(error)];
    console.error(error);
  }
  if (latestWork.get(host) === token) host.replaceChildren(...content);
}

export function labelled(text, input) {
  return h('label', { class: 'field' }, h('span', { text }), input);
}

/** A number box that reports every valid number as it is typed. */
export function numberInput({ value, min, max, step, testid, onchange }) {
  return h('input', {
    type: 'number', value, min, max, step, 'data-testid': testid,
    oninput: (e) => { if (e.target.value !== '' && e.target.validity.valid) onchange(Number(e.target.value)); },
  });
}

export function select({ options, value, testid, onchange }) {
  const el = h('select', { 'data-testid': testid, onchange: (e) => onchange(e.target.value) },
    options.map(([v, text]) => h('option', { value: v, text, selected: String(v) === String(value) })));
  return el;
}

/** A row of toggle buttons, one pressed. */
export function switcher({ options, value, testid, onchange }) {
  return h('div', { class: 'switch', role: 'group', 'data-testid': testid },
    options.map(([v, text]) => h('button', {
      type: 'button', 'aria-pressed': String(v === value), 'data-value': v, text,
      onclick: () => onchange(v),
    })));
}
