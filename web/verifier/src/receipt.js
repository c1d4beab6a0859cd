// A member's check of its own draw (docs/spec/membership-v1.md, sections 6–7): its receipt
// against the public record, with the checks and statuses of `fairdraw check-member`.

import { fromHex } from './draw.js';
import { isKeyed, keyedOutcome } from './keyed.js';
import { RECEIPT_FORMAT, isTreeSize, memberScore, rateOutcome, receiptLeadsToRoot } from './membership.js';
import { eventHash, verdictOf, verifyRecord, verifySignature } from './record.js';

const HEX64 = /^[0-9a-f]{64}$/;
const MEMBERS = ['announcement', 'context', 'draw_id', 'format', 'label', 'office_key', 'opening', 'scope', 'signature', 'tree'];
const CUTOFF_MEMBERS = 'index,label,opening,path,rank';

/** Whether a parsed JSON file is a member's receipt (by its format). */
export function isReceipt(data) {
  return data !== null && typeof data === 'object' && data.format === RECEIPT_FORMAT;
}

/** Throws unless `data` has the receipt's form (section 6). */
export function checkReceiptForm(data) {
  const bad = (problem) => {
    throw new Error(`not a ${RECEIPT_FORMAT} receipt: ${problem}`);
  };
  if (!isReceipt(data)) bad('its format is not ' + RECEIPT_FORMAT);
  // `cutoff`: a receipt of a scope with keyed scores (section 9)
  const members = Object.keys(data).filter((m) => m !== 'cutoff').sort();
  if (members.join(',') !== MEMBERS.join(',')) bad('unknown or missing members');
  const tree = data.tree;
  if (!tree || typeof tree !== 'object' || Object.keys(tree).sort().join(',') !== 'index,path,root,size') bad('tree must have exactly size, index, path and root');
  if (!isTreeSize(tree.size)) bad("the tree's size is not a power of two up to 2^20");
  if (!Number.isInteger(tree.index) || tree.index < 0 || tree.index >= tree.size) bad("tree.index must be a whole number below the tree's size");
  if (!Array.isArray(tree.path) || !tree.path.every((h) => typeof h === 'string' && HEX64.test(h))) bad('tree.path must be a list of 64-hex-digit hashes');
  for (const name of ['opening', 'announcement']) if (typeof data[name] !== 'string' || !HEX64.test(data[name])) bad(`${name} must be 64 lowercase hex digits`);
  if (typeof tree.root !== 'string' || !HEX64.test(tree.root)) bad('root must be 64 lowercase hex digits');
  for (const name of ['draw_id', 'scope', 'label']) if (typeof data[name] !== 'string' || !data[name]) bad(`${name} must be a non-empty string`);
  if (typeof data.signature !== 'string' || !/^[0-9a-f]{128}$/.test(data.signature)) bad('signature must be 128 lowercase hex digits');
  if ('cutoff' in data) {
    if (!Array.isArray(data.cutoff)) bad('cutoff must be a list of picks');
    for (const pick of data.cutoff) {
      const shaped = pick !== null && typeof pick === 'object' && !Array.isArray(pick) && Object.keys(pick).sort().join(',') === CUTOFF_MEMBERS;
      if (!shaped) bad('each cutoff pick must have exactly label, rank, opening, index and path');
      if (typeof pick.label !== 'string' || !pick.label) bad("a cutoff pick's label must be a non-empty string");
      if (!Number.isInteger(pick.rank) || pick.rank < 1) bad("a cutoff pick's rank must be a whole number from 1");
      if (typeof pick.opening !== 'string' || !HEX64.test(pick.opening)) bad("a cutoff pick's opening must be 64 lowercase hex digits");
      if (!Number.isInteger(pick.index) || pick.index < 0 || pick.index >= tree.size) bad("a cutoff pick's index must be a whole number below the tree's size");
      if (!Array.isArray(pick.path) || !pick.path.every((h) => typeof h === 'string' && HEX64.test(h))) bad("a cutoff pick's path must be a list of 64-hex-digit hashes");
    }
  }
  const key = data.office_key;
  if (!key || key.algorithm !== 'ed25519' || typeof key.public_key !== 'string' || typeof key.key_id !== 'string') bad('office_key must be an ed25519 key');
}

function run(checks, name, check) {
  try {
    checks.push({ name, status: 'passed', detail: check() });
  } catch (err) {
    checks.push({ name, status: 'failed', detail: err.message });
  }
  return checks[checks.length - 1].status === 'passed';
}

const fail = (message) => {
  throw new Error(message);
};

/** The check "draw record" from the record's own report, less the complete recomputations. */
function recordCheck(report) {
  const kept = report.checks.filter((c) => !c.name.endsWith(': complete recomputation'));
  const failed = kept.filter((c) => c.status === 'failed');
  if (failed.length) return { name: 'draw record', status: 'failed', detail: failed.map((c) => `${c.name}: ${c.detail}`).join('; ') };
  const open = kept.filter((c) => c.status !== 'passed');
  if (open.length) return { name: 'draw record', status: 'not checked', detail: open.map((c) => `${c.name}: ${c.detail}`).join('; ') };
  return { name: 'draw record', status: 'passed', detail: `${kept.length} checks passed (recomputing the lists themselves is for the office's auditors, who hold them)` };
}

const key = (scoreHex, label) => [scoreHex, label];
function before([sa, la], [sb, lb]) {
  if (sa !== sb) return sa < sb;
  const a = new TextEncoder().encode(la);
  const b = new TextEncoder().encode(lb);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i];
  return a.length < b.length;
}

function outcomeOf(entry, result, seed, label) {
  const score = memberScore(seed, result.scope, label);
  const listed = [...result.selected, ...result.alternates];
  const pick = listed.find((p) => p.label === label);
  const outcome = !pick ? 'not selected' : result.selected.includes(pick) ? 'selected' : 'alternate';
  const rank = pick ? pick.rank : null;
  const found = (cutoff, reason, failed) => ({ outcome, rank, score, cutoff, reason, failed });
  if (pick && pick.score !== score) return found(null, `the record gives it the score ${pick.score}, not ${score}`, true);
  if (entry.mode === 'rate') return rateOutcome(entry, score, outcome, found);
  const k = entry.k;
  const last = result.selected.length ? result.selected[result.selected.length - 1] : null;
  const cutoff = { mode: 'exact', k, rank: last ? last.rank : null, score: last ? last.score : null };
  if (outcome === 'selected') return found(cutoff, `drawn: its score ranks ${rank} of the ${k} drawn`, false);
  if (!last) return found(cutoff, 'not drawn: this scope draws nobody (k = 0)', k !== 0);
  const mine = key(score, label);
  if (before(mine, key(last.score, last.label))) {
    return found(cutoff, `its score ${score} is below the last drawn's (${last.score}, rank ${last.rank}), yet the record does not select it`, true);
  }
  const listedAll = result.alternates.length === (entry.alternates || 0);
  if (outcome === 'not selected' && !listedAll) return found(cutoff, 'the record lists fewer alternates than announced, yet not this label', true);
  if (outcome === 'not selected' && result.alternates.length) {
    const tail = result.alternates[result.alternates.length - 1];
    if (before(mine, key(tail.score, tail.label))) return found(cutoff, "its score is below the last alternate's, yet the record does not list it", true);
  }
  return found(
    cutoff,
    outcome === 'alternate'
      ? `not drawn but alternate ${rank}: its score is above the last drawn's (${last.score})`
      : `not drawn: its score is above the last drawn's (${last.score}, rank ${last.rank}), so the ${k} drawn all scored lower`,
    false,
  );
}

/**
 * Check a member's receipt against a draw record (membership spec v1, section 7).
 *
 * @param {object} receipt the receipt, as parsed JSON (checkReceiptForm first)
 * @param {object} record the draw record, as parsed JSON
 * @param {object} [options] `publicKey` as verifyRecord takes it, or `report`: the record's
 *   verification report already made
 */
export function checkReceipt(receipt, record, { publicKey = null, report = null } = {}) {
  const checks = [recordCheck(report || verifyRecord(record, publicKey ? { publicKey } : {}))];
  const base = { draw_id: receipt.draw_id, scope: receipt.scope, label: receipt.label, outcome: null, rank: null, score: null, cutoff: null, reason: '' };
  const announce = record?.events?.[0];
  const signed = run(checks, 'receipt signature', () => {
    if (receipt.office_key.key_id !== record.key_id) fail(`the receipt is signed with key ${receipt.office_key.key_id.slice(0, 16)}…, the record with ${String(record.key_id).slice(0, 16)}…`);
    verifySignature(fromHex(receipt.office_key.public_key, 'public key'), 'member-receipt', Object.fromEntries(Object.entries(receipt).filter(([k]) => k !== 'signature')), receipt.signature, 'the member-receipt signature');
    return `signed by the record's office key ${record.key_id.slice(0, 16)}…`;
  });
  let entry = null;
  const drawn = run(checks, "receipt's draw", () => {
    if (receipt.draw_id !== record.draw_id) fail(`the receipt is for draw ${JSON.stringify(receipt.draw_id)}, the record is of ${JSON.stringify(record.draw_id)}`);
    if (receipt.announcement !== eventHash(announce)) fail("the receipt names another announcement than the record's");
    entry = (announce.event.body.scopes || []).find((s) => s.scope === receipt.scope) || null;
    if (!entry) fail(`the record announces no scope ${JSON.stringify(receipt.scope)}`);
    const tree = entry.membership;
    if (!tree) fail(`scope ${JSON.stringify(receipt.scope)} announced no membership tree`);
    if (tree.root !== receipt.tree.root || tree.size !== receipt.tree.size) fail("the receipt's tree is not the announced one");
    return `draw ${record.draw_id}, scope ${receipt.scope}: tree of ${tree.size} leaves, root ${tree.root.slice(0, 16)}…`;
  });
  const member = run(checks, 'membership', () => {
    if (!receiptLeadsToRoot(receipt)) fail("the label's leaf and path do not lead to the announced root");
    return `${JSON.stringify(receipt.label)} is in the list committed before the seed existed (leaf ${receipt.tree.index} of ${receipt.tree.size})`;
  });
  const events = record.events.map((e) => e.event);
  const seed = events.find((e) => e.kind === 'seed')?.body.seed;
  const result = events.find((e) => e.kind === 'draw')?.body.results.find((r) => r.scope === receipt.scope);
  if (!(signed && drawn && member) || !result || !seed) {
    const why = signed && drawn && member ? 'the record has no result for this scope' : "not derived: the receipt does not show this label's membership (see above)";
    checks.push({ name: 'drawn or not drawn', status: 'failed', detail: why });
    return { ...base, checks, verdict: verdictOf(checks) };
  }
  let found;
  if (isKeyed(entry)) found = keyedOutcome(entry, result, seed, receipt);
  else if ('cutoff' in receipt) found = { ...base, reason: 'the receipt carries cut-off picks, but its scope has no keyed scores', failed: true };
  else found = outcomeOf(entry, result, seed, receipt.label);
  checks.push({ name: 'drawn or not drawn', status: found.failed ? 'failed' : 'passed', detail: found.reason });
  return { ...base, outcome: found.outcome, rank: found.rank, score: found.score, cutoff: found.cutoff, reason: found.reason, checks, verdict: verdictOf(checks) };
}
