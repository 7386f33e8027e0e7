// "Save as SVG" and "Save as PNG" for every figure. A figure is either an <svg> (saved as is;
// the PNG is the SVG drawn onto a canvas through an Image from a blob: URL, which the CSP's
// img-src allows) or a <canvas> (saved as PNG; its SVG wraps the PNG in an <image>).
import { t } from './i18n.js';
import { h } from './dom.js';

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function svgText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  if (!copy.getAttribute('width')) copy.setAttribute('width', svg.getBoundingClientRect().width);
  if (!copy.getAttribute('height')) copy.setAttribute('height', svg.getBoundingClientRect().height);
  return new XMLSerializer().serializeToString(copy);
}

function canvasAsSvg(canvas) {
  const { width, height } = canvas;
  const png = canvas.toDataURL('image/png');
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" href="${png}" xlink:href="${png}"/></svg>`;
}

async function svgAsPngBlob(svg) {
  const text = svgText(svg);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const scale = 2; // sharper than the screen's pixels
    const canvas = h('canvas', { width: image.width * scale, height: image.height * scale });
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function saveSvg(figure, name) {
  const text = figure instanceof HTMLCanvasElement ? canvasAsSvg(figure) : svgText(figure);
  download(new Blob([text], { type: 'image/svg+xml' }), `${name}.svg`);
}

export async function savePng(figure, name) {
  const blob = figure instanceof HTMLCanvasElement
    ? await new Promise((resolve) => figure.toBlob(resolve, 'image/png'))
    : await svgAsPngBlob(figure);
  download(blob, `${name}.png`);
}

/** The two buttons; getFigure() is asked at click time, so it saves what is shown now. */
export function saveButtons(getFigure, name) {
  const act = (save) => () => {
    const figure = getFigure();
    if (figure) save(figure, name);
  };
  return h('span', { class: 'save-buttons' },
    h('button', { type: 'button', class: 'small', 'data-testid': `save-svg-${name}`, onclick: act(saveSvg) }, t('saveSvg')),
    h('button', { type: 'button', class: 'small', 'data-testid': `save-png-${name}`, onclick: act(savePng) }, t('savePng')));
}
