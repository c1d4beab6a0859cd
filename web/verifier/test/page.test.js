import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fingerprintGroups, parseLabelText } from '../src/page.js';

const PAGE = readFileSync(new URL('../../../src/fairdraw/data/verify.html', import.meta.url), 'utf8');

test('the key fingerprint is read aloud in groups of 4', () => {
  const id = '56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c';
  const groups = fingerprintGroups(id).split(' ');
  assert.equal(groups.length, 16);
  assert.ok(groups.every((g) => g.length === 4));
  assert.equal(groups.join(''), id);
});

test('label files: LF or CRLF, optional final newline and BOM, nothing trimmed', () => {
  assert.deepEqual(parseLabelText('\ufeffa\r\nb\n'), ['a', 'b']);
  assert.deepEqual(parseLabelText('a\nb'), ['a', 'b']);
  assert.deepEqual(parseLabelText('a\n\nb \n'), ['a', '', 'b ']);
  assert.deepEqual(parseLabelText(''), []);
});

test('the built page is one self-contained file that asks nothing of the network', () => {
  const scripts = [...PAGE.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.deepEqual(
    scripts.map((m) => m[1]),
    [' type="application/json" id="fairdraw-embedded"', ''],
  );
  assert.equal(scripts[0][2], 'null');
  const hash = createHash('sha256').update(scripts[1][2], 'utf8').digest('base64');
  assert.ok(PAGE.includes(`script-src 'sha256-${hash}'`), 'the CSP allows exactly this script');
  assert.ok(PAGE.includes("default-src 'none'"));
  assert.doesNotMatch(PAGE, /https?:\/\//);
  assert.doesNotMatch(PAGE, /\s(src|href)=/);
  assert.doesNotMatch(PAGE, /<link\b/);
  assert.ok(PAGE.includes('id="verdict"'));
  assert.ok(PAGE.includes('<html lang="zh-CN">'));
});
