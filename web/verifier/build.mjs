// Builds the verifier into self-contained HTML files: the bundled, minified script and the
// CSS inline, no network request (a Content-Security-Policy with the script's hash forbids
// any). Deterministic: same sources, same bytes (no timestamps; fixed target). Two pages:
//
//   fairdraw's (src/main.js): draw records, checked as `fairdraw verify` checks them;
//   the office's (src/office-page.js): with the office's rules (rfb verify's checks).
//
//   node build.mjs [--out-dir DIR]   (default: each page in its Python package's data folder)

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out-dir');
const outDir = outIndex >= 0 ? resolve(args[outIndex + 1]) : null;
const PAGES = [
  { entry: 'src/main.js', out: '../../src/fairdraw/data/verify.html', name: 'fairdraw-verify.html' },
  { entry: 'src/office-page.js', out: '../../src/rfb_policy/data/verify.html', name: 'rfb-verify.html' },
];

const style = readFileSync(resolve(here, 'src/page.css'), 'utf8').trim();
const html = readFileSync(resolve(here, 'src/page.html'), 'utf8');

for (const { entry, out, name } of PAGES) {
  const bundle = await build({
    entryPoints: [resolve(here, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'eof',
    write: false,
    logLevel: 'warning',
    absWorkingDir: here,
  });
  // Inside <script>, "</script" would end the element: escape it (and "<!--") as JavaScript allows.
  const script = bundle.outputFiles[0].text
    .trimEnd()
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const page = html
    .replace('__SCRIPT_HASH__', `'sha256-${hash}'`)
    .replace('__STYLE__', () => style)
    .replace('__SCRIPT__', () => script);
  const path = outDir ? resolve(outDir, name) : resolve(here, out);
  writeFileSync(path, page);
  console.log(`${path}: ${Buffer.byteLength(page)} bytes`);
}
