// Keyed scores (docs/spec/membership-v1.md, section 9): a confidential scope announced with
// `"scores": "keyed"` is drawn over its members' draw labels, hex(opening(label)), and its
// picks are published as {label, rank}, with no score. Here: the announced member, the checks
// made without the list, the draw recomputed from the list and its salt, and a member's check 5
// (drawn or not drawn) from its receipt and the cut-off picks it carries.

import { checkLabel, fromHex, scoreBytes, subseedOf, toHex } from './draw.js';
import { inclusionRoot, memberLeaf, rateOutcome } from './membership.js';

export const KEYED = 'keyed';

const fail = (message) => {
  throw new Error(message);
};

/** Whether an announced scope has keyed scores. */
export function isKeyed(scope) {
  return scope !== null && typeof scope === 'object' && scope.scores === KEYED;
}

/** Section 9: an announced scope's `scores`, if any, is "keyed", beside a `membership`. */
export function checkScoresEntry(scope) {
  if (!('scores' in scope)) return;
  const name = JSON.stringify(scope.scope);
  if (scope.scores !== KEYED) fail(`scope ${name}: scores must be "${KEYED}", not ${JSON.stringify(scope.scores)}`);
  if (!('membership' in scope)) fail(`scope ${name}: only a scope with a membership tree has keyed scores`);
}

/**
 * Section 9, "Verification without the list": the picks are exactly {label, rank}, `label` a
 * label, none twice; the selected then the alternates ranked 1, 2, 3, …; in exact mode exactly
 * `k` selected and at most `alternates` alternates. No score, no order (there are no scores).
 * (The subseed is checked by the caller.) Returns the check's detail; throws its failure.
 */
export function checkKeyedPicks(entry, result) {
  if (!Array.isArray(result.selected) || !Array.isArray(result.alternates)) fail('the result lists no selected or alternates');
  const picks = [...result.selected, ...result.alternates];
  const seen = new Set();
  picks.forEach((pick, i) => {
    const shaped = pick !== null && typeof pick === 'object' && !Array.isArray(pick) && Object.keys(pick).sort().join(',') === 'label,rank';
    if (!shaped) fail(`pick ${i + 1} must be exactly {label, rank}: a scope with keyed scores publishes no score`);
    try {
      checkLabel(pick.label, i + 1);
    } catch (err) {
      fail(`pick ${i + 1}: ${err.message}`);
    }
    if (seen.has(pick.label)) fail(`label ${JSON.stringify(pick.label)} is listed twice`);
    seen.add(pick.label);
    if (pick.rank !== i + 1) fail('the published picks are not ranked 1, 2, 3, … in order');
  });
  if (entry.mode === 'exact') {
    if (result.selected.length !== entry.k) fail(`${result.selected.length} selected, not k = ${entry.k}`);
    if (result.alternates.length > (entry.alternates || 0)) fail(`${result.alternates.length} alternates listed, more than the ${entry.alternates || 0} announced`);
  }
  return `${picks.length} published label(s), ranks and count check out; keyed scores: no score is published, and whether they are the lowest is for the complete recomputation`;
}

/** The draw labels of a list (section 9): hex of each member's opening, in the list's order. */
export function drawLabels(openings) {
  return openings.map((opening) => toHex(opening));
}

/** A draw over the draw labels written with the members' own labels: {label, rank} picks. */
export function keyedPicks(draw, labels, labelsOfDraw) {
  const own = new Map(labelsOfDraw.map((d, i) => [d, labels[i]]));
  const back = (picks) => picks.map((p) => ({ label: own.get(p.label), rank: p.rank }));
  return { ...draw, selected: back(draw.selected), alternates: back(draw.alternates) };
}

// Ordering by (score, draw label bytes): both are lowercase hex of one length, so their
// strings compare as their bytes do.
const before = ([sa, da], [sb, db]) => (sa !== sb ? sa < sb : da < db);

/**
 * Section 9, check 5 for a scope with keyed scores, once checks 2–4 passed: the member's
 * outcome from its score and the cut-off picks of its receipt. Returns {outcome, rank, score,
 * cutoff, reason, failed}.
 */
export function keyedOutcome(entry, result, seedHex, receipt) {
  const subseed = subseedOf(fromHex(seedHex, 'seed'), entry.scope);
  const scoreOf = (openingHex) => toHex(scoreBytes(subseed, openingHex));
  const score = scoreOf(receipt.opening);
  const mine = [score, receipt.opening];
  const pick = [...result.selected, ...result.alternates].find((p) => p.label === receipt.label);
  const outcome = !pick ? 'not selected' : result.selected.includes(pick) ? 'selected' : 'alternate';
  const rank = pick ? pick.rank : null;
  const found = (cutoff, reason, failed) => ({ outcome, rank, score, cutoff, reason, failed });

  // The picks the receipt must carry, in order: the last selected (k > 0), the last alternate.
  const named = [];
  if (entry.mode === 'exact') {
    if (entry.k > 0) named.push(result.selected.find((p) => p.rank === entry.k) || null);
    if (result.alternates.length) named.push(result.alternates[result.alternates.length - 1]);
  }
  const given = receipt.cutoff;
  if (!Array.isArray(given)) return found(null, 'the receipt of a scope with keyed scores carries no cut-off picks', true);
  const same = given.length === named.length && given.every((c, i) => named[i] && c.rank === named[i].rank && c.label === named[i].label);
  if (!same) {
    const wanted = named.map((p) => (p ? `${JSON.stringify(p.label)} (rank ${p.rank})` : `rank ${entry.k}`)).join(', ') || 'none';
    return found(null, `the receipt's cut-off picks are not the result's (they must be: ${wanted})`, true);
  }
  for (const c of given) {
    const leaf = memberLeaf(fromHex(c.opening, 'opening'), receipt.draw_id, receipt.scope, c.label);
    let root = null;
    try {
      root = inclusionRoot(leaf, c.index, receipt.tree.size, c.path.map((h) => fromHex(h, 'path')));
    } catch {
      root = null;
    }
    if (root !== receipt.tree.root) return found(null, `the cut-off pick ${JSON.stringify(c.label)}: its leaf and path do not lead to the announced root`, true);
  }

  if (entry.mode === 'rate') return rateOutcome(entry, score, outcome, found);

  const k = entry.k;
  const last = k > 0 ? given[0] : null;
  const tail = result.alternates.length ? given[given.length - 1] : null;
  const c = last ? [scoreOf(last.opening), last.opening] : null;
  const a = tail ? [scoreOf(tail.opening), tail.opening] : null;
  const cutoff = { mode: 'exact', k, rank: last ? last.rank : null, score: c ? c[0] : null };
  if (outcome === 'selected') {
    if (!c) return found(cutoff, 'the record selects it, yet this scope draws nobody (k = 0)', true);
    if (before(c, mine)) return found(cutoff, `the record selects it, yet its score ${score} orders after the last drawn's (${c[0]}, rank ${last.rank})`, true);
    return found(cutoff, `drawn: its score ranks ${rank} of the ${k} drawn`, false);
  }
  if (outcome === 'alternate') {
    if (c && before(mine, c)) return found(cutoff, `its score ${score} orders before the last drawn's (${c[0]}, rank ${last.rank}), yet the record lists it as an alternate`, true);
    if (before(a, mine)) return found(cutoff, `the record lists it as an alternate, yet its score orders after the last alternate's (${a[0]}, rank ${tail.rank})`, true);
    return found(cutoff, `not drawn but alternate ${rank}: its score is above the last drawn's${c ? ` (${c[0]})` : ''}`, false);
  }
  const bound = a || c;
  const boundPick = tail || last;
  if (bound && before(mine, bound)) {
    return found(cutoff, `its score ${score} orders before the last listed pick's (${bound[0]}, rank ${boundPick.rank}), yet the record does not list it`, true);
  }
  if (result.alternates.length < (entry.alternates || 0)) return found(cutoff, 'the record lists fewer alternates than announced, yet not this label', true);
  if (!last) return found(cutoff, 'not drawn: this scope draws nobody (k = 0)', false);
  return found(cutoff, `not drawn: its score is above the last drawn's (${c[0]}, rank ${last.rank}), so the ${k} drawn all scored lower`, false);
}
