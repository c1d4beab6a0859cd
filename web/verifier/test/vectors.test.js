// Every verification vector (tests/vectors/verify-*.json): this page's verifiers report the
// same checks, in the same order, with the same statuses and verdict, as the Python verifiers
// (tests/integration/test_verify_vectors.py runs the same files).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { verifyPublication } from '../src/office.js';
import { verifyRecord } from '../src/record.js';

const load = (name) =>
  JSON.parse(readFileSync(new URL(`../../../tests/vectors/${name}`, import.meta.url), 'utf8'));
const RECORDS = load('verify-records.json');
const PUBLICATIONS = load('verify-publications.json');
const statuses = (checks) => checks.map((c) => [c.name, c.status]);

/** A publication case's files: path → bytes. */
function filesOf(c) {
  const found = {};
  for (const [name, digest] of Object.entries(c.files)) {
    const held = PUBLICATIONS.blobs[digest];
    found[name] = held.text !== undefined ? new TextEncoder().encode(held.text) : Uint8Array.from(Buffer.from(held.base64, 'base64'));
  }
  return found;
}

/** What the page is given for a publication case: what rfb publish embeds, and the folder's
 * files dropped on it (its manifest with them). */
export function publicationInputs(c) {
  const files = filesOf(c);
  const json = (name) => (files[name] ? JSON.parse(new TextDecoder().decode(files[name])) : null);
  const superseded = {};
  for (const name of Object.keys(files)) {
    if (name.startsWith('superseded/')) superseded[name.slice('superseded/'.length, -'.json'.length)] = json(name);
  }
  const lists = {};
  for (const [scope, labels] of Object.entries(json('public-lists.json')?.lists ?? {})) {
    lists[scope] = { labels, salt: '' };
  }
  return {
    record: json('record.json'),
    options: {
      publicKey: c.public_key,
      populations: { ...lists, ...c.populations },
      assignment: json('assignment.json'),
      superseded,
      manifest: json('manifest.json'),
      log_checkpoint: json('log-checkpoint.json'),
      fileBytes: files,
      folderGiven: 'manifest.json' in files,
      dropped: Object.keys(files),
    },
  };
}

for (const c of RECORDS.cases) {
  test(`record vector ${c.name}`, () => {
    const report = verifyRecord(c.record, { publicKey: c.public_key, populations: c.populations });
    assert.deepEqual(statuses(report.checks), statuses(c.expected.checks));
    assert.equal(report.verdict, c.expected.verdict);
  });
}

for (const c of PUBLICATIONS.cases) {
  test(`publication vector ${c.name}`, () => {
    const { record, options } = publicationInputs(c);
    const report = verifyPublication(record, options);
    assert.deepEqual(statuses(report.checks), statuses(c.expected.checks));
    assert.equal(report.verdict, c.expected.verdict);
  });
}
