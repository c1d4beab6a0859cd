// The membership spec v1 vectors (tests/vectors/membership-v1.json): this page's trees, paths
// and receipt checks give exactly what the Python implementation wrote.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fromHex } from '../src/draw.js';
import { inclusionRoot, memberLeaf, memberOpening, membershipRoot, paddingLeaf } from '../src/membership.js';
import { checkReceipt, checkReceiptForm } from '../src/receipt.js';
import { verifyRecord } from '../src/record.js';
import { toHex } from '../src/draw.js';

const VECTORS = JSON.parse(readFileSync(new URL('../../../tests/vectors/membership-v1.json', import.meta.url), 'utf8'));
const KEY = VECTORS.checks.record.events[0].event.body.office_key.public_key;

for (const c of VECTORS.cases) {
  test(`membership tree ${c.name}`, () => {
    const salt = fromHex(c.salt);
    const context = { drawId: c.draw_id, scope: c.scope, size: c.size };
    assert.equal(membershipRoot(c.labels, salt, context), c.expected.root);
    for (const m of c.expected.members) {
      const opening = memberOpening(salt, c.draw_id, c.scope, m.label);
      assert.equal(toHex(opening), m.opening);
      const leaf = memberLeaf(opening, c.draw_id, c.scope, m.label);
      assert.equal(toHex(leaf), m.leaf);
      assert.equal(inclusionRoot(leaf, m.index, c.size, m.path.map((h) => fromHex(h))), c.expected.root);
    }
    c.expected.padding.forEach((pad, j) => assert.equal(toHex(paddingLeaf(salt, c.draw_id, c.scope, j)), pad));
  });
}

test('no bad path leads to the root', () => {
  const c = VECTORS.cases.find((x) => x.name === VECTORS.bad_paths.case);
  for (const bad of VECTORS.bad_paths.paths) {
    const leaf = memberLeaf(fromHex(bad.opening), c.draw_id, c.scope, bad.label);
    let reached = null;
    try {
      reached = inclusionRoot(leaf, bad.index, c.size, bad.path.map((h) => fromHex(h)));
    } catch {
      reached = null; // a path of the wrong length is refused
    }
    assert.notEqual(reached, c.expected.root, bad.name);
  }
});

for (const c of VECTORS.checks.cases) {
  test(`receipt check ${c.name}`, () => {
    checkReceiptForm(c.receipt);
    const found = checkReceipt(c.receipt, VECTORS.checks.record, { publicKey: KEY });
    assert.deepEqual(found.checks.map((x) => [x.name, x.status]), c.expected.checks);
    assert.equal(found.verdict, c.expected.verdict);
    if (c.expected.checks.every(([, status]) => status !== 'failed')) {
      assert.deepEqual(
        { outcome: found.outcome, rank: found.rank, score: found.score, cutoff: found.cutoff },
        { outcome: c.expected.outcome, rank: c.expected.rank, score: c.expected.score, cutoff: c.expected.cutoff },
      );
    }
  });
}

test('a malformed receipt is refused', () => {
  const receipt = structuredClone(VECTORS.checks.cases[0].receipt);
  delete receipt.signature;
  assert.throws(() => checkReceiptForm(receipt), /member-receipt\/v1/);
});

test('with its lists, the record verifies and its trees are recomputed', () => {
  const { record, populations } = VECTORS.checks;
  const lists = Object.fromEntries(Object.entries(populations).map(([s, p]) => [s, { labels: p.labels, salt: p.salt || '' }]));
  const report = verifyRecord(record, { publicKey: KEY, populations: lists });
  assert.deepEqual(report.checks.filter((c) => c.status === 'failed'), []);
  assert.equal(report.checks.find((c) => c.name === 'scope 2023-09/CONF: complete recomputation').status, 'passed');
  const conf = populations['2023-09/CONF'];
  const other = { ...lists, '2023-09/CONF': { labels: [...conf.labels.slice(0, -1), 'CONF-x'], salt: conf.salt } };
  const failed = verifyRecord(record, { publicKey: KEY, populations: other });
  assert.equal(failed.checks.find((c) => c.name === 'scope 2023-09/CONF: complete recomputation').status, 'failed');
});
