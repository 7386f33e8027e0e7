// Bundles the page into exactly three files: index.html, app.js, app.css.
//
//   node web/build.mjs --outdir DIR
//
// The C++ build embeds these three files into the binary. `dikkat export-html` inlines them into
// one self-contained HTML file by replacing two lines of index.html, so index.html must keep
// exactly one `<link rel="stylesheet" href="app.css">` line and exactly one
// `<script defer src="app.js"></script>` line (relative URLs, so file:// works too). app.js is an
// IIFE, not an ES module, so that the inlined script also runs from file://.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function outdirFromArgs(argv) {
  const at = argv.indexOf('--outdir');
  if (at === -1 || !argv[at + 1]) {
    console.error('usage: node build.mjs --outdir DIR');
    process.exit(2);
  }
  return resolve(argv[at + 1]);
}

const outdir = outdirFromArgs(process.argv.slice(2));
await mkdir(outdir, { recursive: true });

const common = { bundle: true, minify: true, target: ['es2020', 'chrome100'], logLevel: 'warning', legalComments: 'none' };
await build({ ...common, entryPoints: [join(here, 'src/main.js')], outfile: join(outdir, 'app.js'), format: 'iife' });
await build({ ...common, entryPoints: [join(here, 'src/app.css')], outfile: join(outdir, 'app.css') });
await copyFile(join(here, 'src/index.html'), join(outdir, 'index.html'));
