// Tiny DOM builders. Content goes in through textContent and attributes only, never through
// innerHTML, so no markup (and no inline style, which the CSP forbids) is ever parsed from data.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** An HTML element: h('div', {class: 'x', onclick: f}, child, 'text', [more]). */
export function h(tag, props, ...children) {
  return append(apply(document.createElement(tag), props), children);
}

/** An SVG element, with presentation attributes (they survive "save as SVG", CSS classes do not). */
export function s(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

/** Replaces el's children, skipping null/false/undefined (which replaceChildren would print). */
export function put(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
