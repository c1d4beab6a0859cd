// fairdraw membership specification v1 (docs/spec/membership-v1.md): the membership tree of a
// confidential scope (openings, leaves, padding, RFC 9162 hashes), its announced member, and a
// member's receipt checked against the public record.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { checkLabel, compareBytes, concat, fromHex, lp, parseRate, scoreBytes, subseedOf, tag, toHex, u32, UTF8 } from './draw.js';

export const MEMBERSHIP_TREE = 'fairdraw/membership/v1';
export const RECEIPT_FORMAT = 'fairdraw/member-receipt/v1';
export const MAX_TREE_SIZE = 1 << 20;
const HEX64 = /^[0-9a-f]{64}$/;

function context(drawId, scope) {
  checkLabel(drawId);
  checkLabel(scope);
  return concat(lp(UTF8.encode(drawId)), lp(UTF8.encode(scope)));
}

/** Section 2: a member's opening, HMAC-SHA256 keyed with the list's salt. */
export function memberOpening(salt, drawId, scope, label) {
  checkLabel(label);
  return hmac(sha256, salt, concat(tag('member'), context(drawId, scope), UTF8.encode(label)));
}

/** Section 2: a member's leaf. */
export function memberLeaf(opening, drawId, scope, label) {
  checkLabel(label);
  return sha256(concat(tag('member-leaf'), opening, context(drawId, scope), UTF8.encode(label)));
}

/** Section 2: the openings of many labels (one HMAC key state, copied for each label). */
export function memberOpenings(salt, drawId, scope, labels) {
  const start = hmac.create(sha256, salt).update(concat(tag('member'), context(drawId, scope)));
  return labels.map((label) => {
    checkLabel(label);
    return start.clone().update(UTF8.encode(label)).digest();
  });
}

/** Section 3: padding leaf j. */
export function paddingLeaf(salt, drawId, scope, j) {
  return hmac(sha256, salt, concat(tag('member-pad'), context(drawId, scope), u32(j)));
}

const leafHash = (data) => sha256(concat(new Uint8Array([0]), data));
const nodeHash = (left, right) => sha256(concat(new Uint8Array([1]), left, right));

export function isTreeSize(size) {
  return Number.isInteger(size) && size >= 1 && size <= MAX_TREE_SIZE && (size & (size - 1)) === 0;
}

/** Section 4: the root of a salted list's tree (labels checked by the caller); `openings`: the
 * labels' openings, if made before (memberOpenings). */
export function membershipRoot(labels, salt, { drawId, scope, size, openings = null }) {
  if (!isTreeSize(size)) throw new Error(`a membership tree's size is a power of two from 1 to ${MAX_TREE_SIZE}`);
  if (labels.length > size) throw new Error(`the list has more members than the tree's ${size} leaves`);
  const opened = openings || memberOpenings(salt, drawId, scope, labels);
  const leaves = labels.map((label, i) => memberLeaf(opened[i], drawId, scope, label));
  for (let j = 0; j < size - labels.length; j++) leaves.push(paddingLeaf(salt, drawId, scope, j));
  leaves.sort(compareBytes);
  let level = leaves.map(leafHash);
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    level = next;
  }
  return toHex(level[0]);
}

/** Section 4: the root a leaf's path leads to (RFC 9162 2.1.3.2, a power-of-two tree). */
export function inclusionRoot(leaf, index, size, path) {
  if (!isTreeSize(size)) throw new Error('the tree size is not a power of two');
  const depth = Math.log2(size);
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new Error(`leaf index ${index} is outside a tree of ${size} leaves`);
  if (path.length !== depth) throw new Error(`a path in a tree of ${size} leaves has ${depth} hashes, not ${path.length}`);
  let node = leafHash(leaf);
  let at = index;
  for (const sibling of path) {
    node = at % 2 === 0 ? nodeHash(node, sibling) : nodeHash(sibling, node);
    at = Math.floor(at / 2);
  }
  return toHex(node);
}

/** Section 5: an announced scope's `membership`, if any, is well formed. */
export function checkMembershipEntry(scope) {
  if (!('membership' in scope)) return;
  const m = scope.membership;
  if (scope.confidential !== true) throw new Error(`scope ${JSON.stringify(scope.scope)}: only a confidential scope announces a membership tree`);
  const ok =
    m !== null && typeof m === 'object' && !Array.isArray(m) &&
    Object.keys(m).sort().join(',') === 'root,size,tree' &&
    m.tree === MEMBERSHIP_TREE && isTreeSize(m.size) && typeof m.root === 'string' && HEX64.test(m.root);
  if (!ok) throw new Error(`scope ${JSON.stringify(scope.scope)}: membership must be {"tree": "${MEMBERSHIP_TREE}", "size": a power of two up to ${MAX_TREE_SIZE}, "root": 64 lowercase hex digits}`);
}

/** The member's leaf, index and path from a receipt, and whether they lead to its root. */
export function receiptLeadsToRoot(receipt) {
  const leaf = memberLeaf(fromHex(receipt.opening, 'opening'), receipt.draw_id, receipt.scope, receipt.label);
  const path = receipt.tree.path.map((h) => fromHex(h, 'path'));
  return inclusionRoot(leaf, receipt.tree.index, receipt.tree.size, path) === receipt.tree.root;
}

/** The label's score hex under the record's seed. */
export function memberScore(seedHex, scope, label) {
  return toHex(scoreBytes(subseedOf(fromHex(seedHex, 'seed'), scope), label));
}

/**
 * Check 5 of a receipt in rate mode (membership spec v1, sections 7 and 9, the same for keyed
 * and ordinary scores): drawn iff the score is below the rate's cut-off.
 *
 * @param {object} entry the announced scope
 * @param {string} score the member's score (64 hex digits)
 * @param {string} outcome 'selected', 'alternate' or 'not selected', as the record has it
 * @param {Function} found (cutoff, reason, failed) => the check's result
 */
export function rateOutcome(entry, score, outcome, found) {
  const rate = parseRate(entry.rate);
  const threshold = ((rate.numerator << 256n) + rate.denominator - 1n) / rate.denominator;
  const cutoff = { mode: 'rate', rate: entry.rate, threshold: threshold.toString(16).padStart(64, '0') };
  const below = BigInt(`0x${score}`) * rate.denominator < rate.numerator << 256n;
  if (below === (outcome === 'selected')) {
    return found(cutoff, below ? `drawn: its score is below the rate's cut-off (${entry.rate} of all scores)` : `not drawn: its score is not below the rate's cut-off (${entry.rate} of all scores)`, false);
  }
  return found(cutoff, below ? "its score is below the rate's cut-off, yet the record does not select it" : "the record selects it, yet its score is not below the rate's cut-off", true);
}
