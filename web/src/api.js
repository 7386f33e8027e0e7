// The one door to the server. Every view asks through here, so that in export mode
// (window.DIKKAT_EXPORT, written by `dikkat export-html`) the same calls are answered from the
// recorded requests instead of the network. Parameters are always strings and optional ones are
// left out when not set, so that a request matches its recorded twin exactly.

const exported = typeof window !== 'undefined' ? window.DIKKAT_EXPORT : undefined;

export const isExport = Boolean(exported);

export class ApiError extends Error {
  constructor(message, { status = 0, field } = {}) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Drops unset parameters (undefined, null, '') and makes the rest strings. */
export function cleanParams(params = {}) {
  const out = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    out[key] = String(value);
  }
  return out;
}

function sameParams(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && String(b[k]) === a[k]);
}

function fromExport(path, params) {
  const hit = exported.requests.find((r) => r.path === path && sameParams(params, r.params || {}));
  if (!hit) throw new ApiError(`not in this export: ${path}`, { status: 404 });
  return hit.response;
}

/** The text (and a translator's target, '' for its own translation) the export was made for. */
export function exportedText() {
  return exported?.text ?? '';
}
export function exportedTarget() {
  return exported?.target ?? '';
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: the status line has to do.
  }
  return new ApiError(body?.error || `${response.status} ${response.statusText}`, { status: response.status, field: body?.field });
}

const cache = new Map();
const CACHE_ENTRIES = 300;

/** Forgets every kept answer (a served run wrote a new checkpoint: its answers changed). */
export function forgetAnswers() {
  cache.clear();
}

function urlFor(path, params) {
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
}

/** GET a JSON answer. Answers are kept (a few hundred) unless `fresh` is asked for. */
export async function get(path, params = {}, { fresh = false } = {}) {
  const clean = cleanParams(params);
  if (isExport) return fromExport(path, clean);
  const url = urlFor(path, clean);
  if (!fresh && cache.has(url)) return cache.get(url);
  const pending = fetch(url, { headers: { Accept: 'application/json' } }).then(async (response) => {
    if (!response.ok) throw await errorFrom(response);
    return response.json();
  });
  if (!fresh) {
    cache.set(url, pending);
    pending.catch(() => cache.delete(url));
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value);
  }
  return pending;
}

export async function post(path, body) {
  if (isExport) throw new ApiError('not available in an exported page', { status: 405 });
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/**
 * POST and read the answer as Server-Sent Events through the body's ReadableStream (EventSource
 * cannot POST). Calls onEvent(name, data) per event as it arrives; resolves when the stream ends.
 */
export async function postEvents(path, body, onEvent, signal) {
  if (isExport) throw new ApiError('not available in an exported page', { status: 405 });
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorFrom(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = sseParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(value);
  }
  parser.push('\n\n');
}

/** An incremental text/event-stream parser (the WHATWG rules, without retry). */
export function sseParser(onEvent) {
  let buffer = '';
  let name = '';
  let data = [];
  const dispatch = () => {
    if (data.length) {
      const text = data.join('\n');
      let parsed = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Plain text data stays a string.
      }
      onEvent(name || 'message', parsed);
    }
    name = '';
    data = [];
  };
  return {
    push(chunk) {
      buffer += chunk;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') dispatch();
        else if (line.startsWith(':')) continue;
        else {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'event') name = value;
          else if (field === 'data') data.push(value);
        }
      }
    },
  };
}

/**
 * Live metrics rows: every row, then new ones as the run appends them; `onReset` when a resumed
 * run rewrote the file (the rows then start again). Returns a closer.
 */
export function metricsStream(model, onRow, onReset) {
  if (isExport) return () => {};
  const source = new EventSource(urlFor('/api/metrics/stream', cleanParams({ model })));
  source.addEventListener('metrics', (event) => onRow(JSON.parse(event.data)));
  source.addEventListener('reset', () => onReset());
  return () => source.close();
}

/** base64 of little-endian float32 -> Float32Array (the platform is little-endian in practice). */
export function floats(base64, expectedLength) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const values = new Float32Array(bytes.buffer);
  if (expectedLength !== undefined && values.length !== expectedLength) {
    throw new ApiError(`expected ${expectedLength} numbers, got ${values.length}`);
  }
  return values;
}
