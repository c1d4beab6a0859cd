// Builds the verifier into ONE self-contained HTML file: the bundled, minified script and the
// CSS inline, no network request (a Content-Security-Policy with the script's hash forbids
// any). Deterministic: same sources, same bytes (no timestamps; fixed target).
//
//   node build.mjs [--out PATH]   (default: ../../src/fairdraw/data/verify.html)

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out =
  outIndex >= 0 ? resolve(args[outIndex + 1]) : resolve(here, '../../src/fairdraw/data/verify.html');

const bundle = await build({
  entryPoints: [resolve(here, 'src/page.js')],
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
const script = bundle.outputFiles[0].text.trimEnd().replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const style = readFileSync(resolve(here, 'src/page.css'), 'utf8').trim();
const hash = createHash('sha256').update(script, 'utf8').digest('base64');
const page = readFileSync(resolve(here, 'src/page.html'), 'utf8')
  .replace('__SCRIPT_HASH__', `'sha256-${hash}'`)
  .replace('__STYLE__', () => style)
  .replace('__SCRIPT__', () => script);
writeFileSync(out, page);
console.log(`${out}: ${Buffer.byteLength(page)} bytes`);
