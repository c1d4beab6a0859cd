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

test('the vectors check keyed receipts of both modes, passing and failing', () => {
  const scopes = VECTORS.checks.record.events[0].event.body.scopes;
  const keyed = new Set(scopes.filter((s) => s.scores === 'keyed').map((s) => s.scope));
  assert.deepEqual(new Set(scopes.filter((s) => keyed.has(s.scope)).map((s) => s.mode)), new Set(['exact', 'rate']));
  const cases = VECTORS.checks.cases.filter((c) => keyed.has(c.receipt.scope));
  assert.deepEqual(new Set(cases.map((c) => c.expected.verdict)), new Set(['incomplete', 'failed']));
  const good = cases.filter((c) => c.expected.verdict !== 'failed');
  assert.deepEqual(new Set(good.map((c) => c.expected.outcome)), new Set(['selected', 'alternate', 'not selected']));
});

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
  for (const scope of Object.keys(populations)) {
    // every scope, keyed ones (2023-09/KEYED, 2023-09/KRATE) drawn again over their openings
    assert.equal(report.checks.find((c) => c.name === `scope ${scope}: complete recomputation`).status, 'passed', scope);
  }
  for (const scope of ['2023-09/CONF', '2023-09/KEYED']) {
    const given = populations[scope];
    const other = { ...lists, [scope]: { labels: [...given.labels.slice(0, -1), 'CONF-x'], salt: given.salt } };
    const failed = verifyRecord(record, { publicKey: KEY, populations: other });
    assert.equal(failed.checks.find((c) => c.name === `scope ${scope}: complete recomputation`).status, 'failed', scope);
  }
});

// Keyed results changed and signed again (checks.tampered): the page's verification, without the
// lists and with them, is the one the vectors state, check by check.
for (const c of VECTORS.checks.tampered) {
  test(`tampered record ${c.name}`, () => {
    const base = VECTORS.checks.record;
    const record = { ...base, events: [...base.events.slice(0, -1), c.draw_event], signature: c.signature };
    const lists = Object.fromEntries(Object.entries(VECTORS.checks.populations).map(([s, p]) => [s, { labels: p.labels, salt: p.salt || '' }]));
    const without = verifyRecord(record, { publicKey: KEY });
    const withLists = verifyRecord(record, { publicKey: KEY, populations: lists });
    assert.deepEqual(without.checks.map((x) => [x.name, x.status]), c.expected.checks);
    assert.deepEqual(withLists.checks.map((x) => [x.name, x.status]), c.expected.checks_with_lists);
    assert.deepEqual([without.verdict, withLists.verdict], [c.expected.verdict, c.expected.verdict_with_lists]);
  });
}
