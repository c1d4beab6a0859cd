// Keyed scores (membership spec v1, section 9), on a record of this test's own making: the
// membership vectors' `checks` record with every confidential scope announced with keyed scores
// (2023-09/CONF with two alternates), drawn again over their draw labels and signed again with
// the vectors' office key; and receipts with their cut-off picks, signed with it too. Each rule
// of section 9 is broken once. (membership.test.js runs the vectors' own keyed cases.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../src/jcs.js';
import { UTF8, checkedPopulation, concat, drawOf, fromHex, lp, scoreBytes, subseedOf, tag, toHex } from '../src/draw.js';
import { drawLabels, keyedPicks } from '../src/keyed.js';
import { memberLeaf, memberOpenings, paddingLeaf } from '../src/membership.js';
import { checkReceipt, checkReceiptForm } from '../src/receipt.js';
import { eventHash, verifyRecord } from '../src/record.js';
import { runSync } from '../src/steps.js';

const VECTORS = JSON.parse(readFileSync(new URL('../../../tests/vectors/membership-v1.json', import.meta.url), 'utf8'));
const PRIVATE = VECTORS.office_private_key;
const BASE = VECTORS.checks.record;
const POPULATIONS = VECTORS.checks.populations;
const KEY = BASE.events[0].event.body.office_key.public_key;
const CONF = '2023-09/CONF';
const RATE = '2023-09/RATE';

function sign(tagName, value) {
  return toHex(ed25519.sign(concat(tag(tagName), canonicalJson(value)), fromHex(PRIVATE)));
}

function seedOf(announce, events) {
  const body = announce.event.body;
  let data = concat(tag('seed'), sha256(canonicalJson(announce)));
  for (const spec of body.sources) {
    let value;
    if (spec.type === 'local') value = fromHex(events.find((e) => e.kind === 'reveal' && e.body.source === spec.id).body.secret);
    else {
      const given = events.find((e) => e.kind === 'randomness' && e.body.source === spec.id).body.value;
      value = spec.type === 'dice' ? UTF8.encode(given.rolls.join(',')) : sha256(fromHex(given.signature));
    }
    data = concat(data, lp(UTF8.encode(spec.id)), lp(value));
  }
  return toHex(sha256(data));
}

/** The result of a scope drawn from its list under `seed` (keyed: over its draw labels). */
function resultOf(entry, seed, drawId) {
  const { labels, salt } = POPULATIONS[entry.scope];
  const subseed = subseedOf(fromHex(seed), entry.scope);
  const params = entry.mode === 'exact' ? { mode: 'exact', k: entry.k, alternates: entry.alternates } : { mode: 'rate', rate: entry.rate };
  let draw;
  if (entry.scores === 'keyed' && salt) {
    const keyedLabels = drawLabels(memberOpenings(fromHex(salt), drawId, entry.scope, labels));
    const made = drawOf(runSync(checkedPopulation(keyedLabels, { subseed })), { seed, scope: entry.scope, ...params });
    draw = keyedPicks(made, labels, keyedLabels);
  } else {
    draw = drawOf(runSync(checkedPopulation(labels, { subseed })), { seed, scope: entry.scope, ...params });
  }
  return {
    scope: entry.scope,
    subseed: toHex(subseed),
    population_digest: entry.population_digest,
    population_size: entry.population_size,
    selected: draw.selected,
    alternates: draw.alternates,
  };
}

/** The base record with its scopes changed by `editScopes`, every event after the announcement
 * made again (closing, seed, results: `editResults` then changes them) and signed again. */
function keyedRecord(editScopes, editResults = () => {}) {
  const events = structuredClone(BASE.events).map((e) => e.event);
  editScopes(events[0].body.scopes);
  const signedEvents = [];
  let previous = '0'.repeat(64);
  for (const event of events) {
    event.previous = previous;
    if (event.kind === 'reveal') event.body.closing = previous;
    if (event.kind === 'seed') {
      event.body.announcement = eventHash(signedEvents[0]);
      event.body.seed = seedOf(signedEvents[0], events);
    }
    if (event.kind === 'draw') {
      const seed = events.find((e) => e.kind === 'seed').body.seed;
      event.body.results = events[0].body.scopes.map((entry) => resultOf(entry, seed, BASE.draw_id));
      editResults(event.body.results);
    }
    const signedEvent = { event, key_id: BASE.key_id, signature: sign('event', event) };
    previous = eventHash(signedEvent);
    signedEvents.push(signedEvent);
  }
  const payload = { media_type: BASE.media_type, spec: BASE.spec, draw_id: BASE.draw_id, events: signedEvents };
  return { ...payload, key_id: BASE.key_id, signature: sign('record', payload) };
}

const keyedScopes = (scopes) => {
  for (const s of scopes) if (s.confidential) s.scores = 'keyed';
  scopes.find((s) => s.scope === CONF).alternates = 2;
};
const KEYED = keyedRecord(keyedScopes);
const scopeOf = (record, scope) => record.events[0].event.body.scopes.find((s) => s.scope === scope);
const resultIn = (record, scope) => record.events.at(-1).event.body.results.find((r) => r.scope === scope);
const statusOf = (report, name) => report.checks.find((c) => c.name === name)?.status;

/** A membership tree of a scope: each label's opening, index and path. */
function treeOf(record, scope) {
  const { labels, salt } = POPULATIONS[scope];
  const size = scopeOf(record, scope).membership.size;
  const saltBytes = fromHex(salt);
  const openings = memberOpenings(saltBytes, record.draw_id, scope, labels);
  const leaves = labels.map((label, i) => ({ label, opening: openings[i], leaf: memberLeaf(openings[i], record.draw_id, scope, label) }));
  for (let j = 0; j < size - labels.length; j++) leaves.push({ label: null, leaf: paddingLeaf(saltBytes, record.draw_id, scope, j) });
  leaves.sort((a, b) => (toHex(a.leaf) < toHex(b.leaf) ? -1 : 1));
  const levels = [leaves.map((l) => sha256(concat(new Uint8Array([0]), l.leaf)))];
  while (levels.at(-1).length > 1) {
    const up = [];
    const level = levels.at(-1);
    for (let i = 0; i < level.length; i += 2) up.push(sha256(concat(new Uint8Array([1]), level[i], level[i + 1])));
    levels.push(up);
  }
  const members = new Map();
  leaves.forEach((l, index) => {
    if (l.label === null) return;
    const path = levels.slice(0, -1).map((level, depth) => toHex(level[(index >> depth) ^ 1]));
    members.set(l.label, { opening: toHex(l.opening), index, path });
  });
  return { size, root: toHex(levels.at(-1)[0]), members };
}

/** A member's receipt, with the cut-off picks of section 9 (`edit` changes it before signing). */
function receiptOf(record, scope, label, edit = () => {}) {
  const tree = treeOf(record, scope);
  const entry = scopeOf(record, scope);
  const result = resultIn(record, scope);
  const mine = tree.members.get(label);
  const named = [];
  if (entry.mode === 'exact' && entry.k > 0) named.push(result.selected.at(-1));
  if (entry.mode === 'exact' && result.alternates.length) named.push(result.alternates.at(-1));
  const receipt = {
    format: 'fairdraw/member-receipt/v1',
    draw_id: record.draw_id,
    scope,
    label,
    opening: mine.opening,
    tree: { size: tree.size, index: mine.index, path: mine.path, root: tree.root },
    announcement: eventHash(record.events[0]),
    context: {},
    office_key: BASE.events[0].event.body.office_key,
    cutoff: named.map((p) => ({ label: p.label, rank: p.rank, ...tree.members.get(p.label) })),
  };
  edit(receipt, tree);
  return { ...receipt, signature: sign('member-receipt', receipt) };
}

const keyedScore = (record, scope, label) => {
  const seed = record.events.find((e) => e.event.kind === 'seed').event.body.seed;
  return toHex(scoreBytes(subseedOf(fromHex(seed), scope), treeOf(record, scope).members.get(label).opening));
};

test('a keyed record verifies: its keyed scopes checked without their lists, and recomputed with them', () => {
  const report = verifyRecord(KEYED, { publicKey: KEY });
  for (const c of report.checks) {
    if (c.name.endsWith('complete recomputation')) assert.equal(c.status, 'not checked', c.name);
    else if (c.name !== 'who could have chosen the outcome') assert.equal(c.status, 'passed', `${c.name}: ${c.detail}`);
  }
  assert.match(report.checks.find((c) => c.name === `scope ${CONF}: published scores`).detail, /keyed scores: no score is published, and whether they are the lowest is for the complete recomputation/);
  for (const scope of [CONF, RATE]) {
    for (const p of [...resultIn(KEYED, scope).selected, ...resultIn(KEYED, scope).alternates]) assert.deepEqual(Object.keys(p), ['label', 'rank']);
  }
  assert.equal(resultIn(KEYED, CONF).alternates.length, 2);
  const lists = Object.fromEntries(Object.entries(POPULATIONS).map(([s, p]) => [s, { labels: p.labels, salt: p.salt || '' }]));
  const full = verifyRecord(KEYED, { publicKey: KEY, populations: lists });
  for (const scope of Object.keys(POPULATIONS)) assert.equal(statusOf(full, `scope ${scope}: complete recomputation`), 'passed', scope);
  // another list (one member changed, the digest then too) and the same list with ordinary
  // scores (another result) both fail
  const other = { ...lists, [CONF]: { labels: [...lists[CONF].labels.slice(0, -1), 'CONF-x'], salt: lists[CONF].salt } };
  assert.equal(statusOf(verifyRecord(KEYED, { publicKey: KEY, populations: other }), `scope ${CONF}: complete recomputation`), 'failed');
  const swapped = keyedRecord(keyedScopes, (results) => {
    const r = results.find((x) => x.scope === CONF);
    [r.selected[0].label, r.alternates[0].label] = [r.alternates[0].label, r.selected[0].label];
  });
  const swappedReport = verifyRecord(swapped, { publicKey: KEY, populations: lists });
  assert.equal(statusOf(swappedReport, `scope ${CONF}: published scores`), 'passed', 'no order can be checked without the list');
  assert.equal(statusOf(swappedReport, `scope ${CONF}: complete recomputation`), 'failed');
});

test('scores is "keyed" only, and only beside a membership tree', () => {
  const rule = 'announcement and entropy rule';
  const other = keyedRecord((scopes) => {
    keyedScopes(scopes);
    scopes.find((s) => s.scope === RATE).scores = 'hidden';
  });
  assert.equal(statusOf(verifyRecord(other), rule), 'failed');
  const bare = keyedRecord((scopes) => {
    keyedScopes(scopes);
    delete scopes.find((s) => s.scope === RATE).membership;
  });
  assert.equal(statusOf(verifyRecord(bare), rule), 'failed');
  const pub = keyedRecord((scopes) => {
    scopes[0].scores = 'keyed';
  });
  assert.equal(statusOf(verifyRecord(pub), rule), 'failed');
});

test('without the list, a keyed result is checked for its form, ranks and counts only', () => {
  const name = `scope ${CONF}: published scores`;
  const broken = {
    'a score published': (r) => (r.selected[0].score = '00'.repeat(32)),
    'a label twice': (r) => (r.alternates[0].label = r.selected[0].label),
    'ranks out of order': (r) => ([r.selected[0].rank, r.selected[1].rank] = [2, 1]),
    'one selected too few': (r) => r.selected.pop(),
    'more alternates than announced': (r) => r.alternates.push({ label: 'CONF-extra', rank: 6 }),
    'a label that is none': (r) => (r.selected[0].label = ' CONF-000'),
  };
  for (const [why, edit] of Object.entries(broken)) {
    const record = keyedRecord(keyedScopes, (results) => edit(results.find((x) => x.scope === CONF)));
    assert.equal(statusOf(verifyRecord(record), name), 'failed', why);
  }
  const ordinary = keyedRecord((scopes) => keyedScopes(scopes), (results) => {
    const r = results.find((x) => x.scope === RATE);
    r.selected = r.selected.map((p) => ({ ...p, score: '00'.repeat(32) }));
  });
  assert.equal(statusOf(verifyRecord(ordinary), `scope ${RATE}: published scores`), 'failed');
});

test('a keyed receipt: drawn, alternate and not drawn members, in both modes, check out', () => {
  const conf = resultIn(KEYED, CONF);
  const rate = resultIn(KEYED, RATE);
  const listed = new Set([...conf.selected, ...conf.alternates].map((p) => p.label));
  const members = [
    [CONF, conf.selected[0].label, 'selected'],
    [CONF, conf.selected.at(-1).label, 'selected'],
    [CONF, conf.alternates[0].label, 'alternate'],
    [CONF, POPULATIONS[CONF].labels.find((l) => !listed.has(l)), 'not selected'],
    [RATE, rate.selected[0].label, 'selected'],
    [RATE, POPULATIONS[RATE].labels.find((l) => !rate.selected.some((p) => p.label === l)), 'not selected'],
  ];
  for (const [scope, label, outcome] of members) {
    const receipt = receiptOf(KEYED, scope, label);
    checkReceiptForm(receipt);
    const found = checkReceipt(receipt, KEYED, { publicKey: KEY });
    assert.deepEqual(found.checks.map((c) => [c.name, c.status]), [
      ['draw record', 'not checked'],
      ['receipt signature', 'passed'],
      ["receipt's draw", 'passed'],
      ['membership', 'passed'],
      ['drawn or not drawn', 'passed'],
    ], `${label}: ${found.checks.at(-1).detail}`);
    assert.equal(found.outcome, outcome);
    assert.equal(found.score, keyedScore(KEYED, scope, label));
    if (scope === CONF) {
      assert.deepEqual(found.cutoff, { mode: 'exact', k: 3, rank: 3, score: keyedScore(KEYED, CONF, conf.selected.at(-1).label) });
    } else {
      assert.equal(found.cutoff.mode, 'rate');
    }
  }
});

test('a keyed receipt whose cut-off picks, or whose outcome, do not hold fails check 5', () => {
  const conf = resultIn(KEYED, CONF);
  const listed = new Set([...conf.selected, ...conf.alternates].map((p) => p.label));
  const out = POPULATIONS[CONF].labels.find((l) => !listed.has(l));
  const last = (found) => found.checks.at(-1);
  const broken = {
    'no cut-off picks': (r) => delete r.cutoff,
    'only the last drawn': (r) => r.cutoff.pop(),
    'the picks swapped': (r) => r.cutoff.reverse(),
    'another rank': (r) => (r.cutoff[0].rank = 2),
    'another opening': (r, tree) => (r.cutoff[0].opening = tree.members.get(conf.selected[0].label).opening),
    'a sibling replaced': (r) => (r.cutoff[1].path[0] = '00'.repeat(32)),
  };
  for (const [why, edit] of Object.entries(broken)) {
    const found = checkReceipt(receiptOf(KEYED, CONF, out, edit), KEYED, { publicKey: KEY });
    assert.deepEqual(found.checks.slice(1, 4).map((c) => c.status), ['passed', 'passed', 'passed'], why);
    assert.equal(last(found).status, 'failed', why);
    assert.equal(found.verdict, 'failed', why);
  }
  // a not-drawn member's receipt given another member's label and place: signed again, its
  // membership fails, and nothing is derived
  const drawn = conf.selected[0].label;
  const claimed = checkReceipt(receiptOf(KEYED, CONF, out, (r) => (r.label = drawn)), KEYED, { publicKey: KEY });
  assert.equal(claimed.checks.find((c) => c.name === 'membership').status, 'failed');
  assert.equal(last(claimed).status, 'failed');
  // results the member's score contradicts: the office listed an outsider, or left one out
  const outsider = conf.alternates.at(-1).label;
  const shuffled = keyedRecord(keyedScopes, (results) => {
    const r = results.find((x) => x.scope === CONF);
    const mineAt = r.selected.findIndex((p) => p.label === drawn);
    r.selected[mineAt].label = outsider;
    r.alternates.at(-1).label = drawn;
  });
  for (const label of [drawn, outsider]) {
    const found = checkReceipt(receiptOf(shuffled, CONF, label), shuffled, { publicKey: KEY });
    assert.equal(last(found).status, 'failed', `${label}: ${last(found).detail}`);
  }
  // an ordinary receipt's cut-off picks are refused
  const plain = VECTORS.checks.cases.find((c) => c.name === 'exact-not-drawn').receipt;
  const { signature, ...unsigned } = plain;
  const withCutoff = { ...unsigned, cutoff: [] };
  const found = checkReceipt({ ...withCutoff, signature: sign('member-receipt', withCutoff) }, BASE, { publicKey: KEY });
  assert.equal(found.checks.at(-2).status, 'passed');
  assert.equal(last(found).status, 'failed');
  assert.ok(signature);
});

test("a keyed receipt's form: cut-off picks of exactly label, rank, opening, index and path", () => {
  const conf = resultIn(KEYED, CONF);
  const receipt = receiptOf(KEYED, CONF, conf.selected[0].label);
  checkReceiptForm(receipt);
  for (const edit of [
    (r) => (r.cutoff = {}),
    (r) => (r.cutoff[0].score = '00'.repeat(32)),
    (r) => (r.cutoff[0].opening = r.cutoff[0].opening.toUpperCase()),
    (r) => (r.cutoff[0].index = r.tree.size),
    (r) => (r.cutoff[0].rank = 0),
  ]) {
    const bad = structuredClone(receipt);
    edit(bad);
    assert.throws(() => checkReceiptForm(bad), /member-receipt\/v1/);
  }
});
