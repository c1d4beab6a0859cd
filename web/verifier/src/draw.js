// fairdraw draw specification v1 (docs/spec/draw-v1.md): labels, population digest, subseed,
// score, ranking, exact and rate modes, stratified draws. Scores are ranked as their eight
// big-endian 32-bit words, the rate cut-off is BigInt: all selection arithmetic is exact. A
// population is checked, laid out and scored in one pass (checkedPopulation).

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { PrefixHasher, wordsToBytes, wordsToHex } from './scores.js';
import { runSync } from './steps.js';

export const UTF8 = new TextEncoder();
export const MAX_LABEL_BYTES = 1024;

/** A draw input that breaks a rule; `reason` is the spec's name for it (section 15). */
export class DrawError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

export function concat(...parts) {
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

export function lp(bytes) {
  return concat(u32(bytes.length), bytes);
}

export function tag(name) {
  return concat(UTF8.encode(`fairdraw/v1/${name}`), new Uint8Array([0]));
}

export const toHex = bytesToHex;

/** Bytes from hex of either case; throws on anything else. */
export function fromHex(text, what = 'value') {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new DrawError('bad_hex', `${what} is not hex`);
  }
  return hexToBytes(text.toLowerCase());
}

export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function bytesEqual(a, b) {
  return a.length === b.length && compareBytes(a, b) === 0;
}

// Section 3, rule 3: white space a label may not start or end with.
const WHITE_SPACE = new Set(
  '\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
    '\u2028\u2029\u202f\u205f\u3000',
);
// What canonical_label (and rate parsing) strips from both ends.
const STRIPPABLE = new Set([...WHITE_SPACE, '\t', '\n', '\x0b', '\x0c', '\r', '\x85', '\ufeff']);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function isWellFormed(text) {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Check one label's rules 1–4 (not duplicates); return its UTF-8 bytes. */
export function checkLabel(label, position = 1, { nfc = true } = {}) {
  const where = `label ${position}`;
  if (typeof label !== 'string') throw new DrawError('type', `${where} is not a string`);
  if (!isWellFormed(label)) throw new DrawError('encoding', `${where} holds a lone surrogate`);
  const encoded = UTF8.encode(label);
  if (encoded.length === 0) throw new DrawError('empty', `${where} is empty`);
  if (encoded.length > MAX_LABEL_BYTES) {
    throw new DrawError('too_long', `${where} is ${encoded.length} bytes long (at most 1024)`);
  }
  if (CONTROL.test(label)) throw new DrawError('control', `${where} holds a control character`);
  const chars = [...label];
  if (WHITE_SPACE.has(chars[0]) || WHITE_SPACE.has(chars[chars.length - 1])) {
    throw new DrawError('whitespace', `${where} starts or ends with white space`);
  }
  if (nfc && label.normalize('NFC') !== label) {
    throw new DrawError('not_nfc', `${where} is not in Unicode Normalization Form C`);
  }
  return encoded;
}

/** Check a whole population (section 3); return the labels' UTF-8 bytes in input order. */
export function checkPopulation(labels) {
  const population = runSync(checkedPopulation(labels));
  return Array.from({ length: labels.length }, (_, i) =>
    population.bytes.slice(population.offsets[i], population.offsets[i + 1]),
  );
}

// A label of printable ASCII that does not start or end with a space keeps every rule of
// section 3 but length and uniqueness: no other test is needed (it is its own NFC and UTF-8).
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// UTF-16 code-unit order (JavaScript's string order) is UTF-8 byte order unless a string holds
// a code unit from U+D800 up: then the bytes are compared.
const ABOVE_BMP_ORDER = /[\uD800-\uFFFF]/;
// How many labels between two progress steps.
const CHUNK = 2048;

/**
 * Check a whole population (section 3) in one pass, in input order (the first label that breaks
 * a rule is the one reported), laying the labels' UTF-8 bytes end to end; given a subseed, score
 * every label on the way (section 6). Yields {progress: {scope, done, total}} steps (see
 * steps.js). Returns {labels, bytes, offsets, ascii, codeUnitOrder, subseed, scores}: label i is
 * bytes[offsets[i]…offsets[i+1]], its score the 8 words scores[8i…8i+8].
 */
export function* checkedPopulation(labels, { subseed = null, scope = null } = {}) {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new DrawError('empty_population', 'the population is empty');
  }
  const n = labels.length;
  let size = 0;
  for (const label of labels) if (typeof label === 'string') size += label.length;
  let bytes = new Uint8Array(Math.max(size, 16));
  const offsets = new Uint32Array(n + 1);
  const hasher = subseed ? new PrefixHasher(concat(tag('score'), subseed), MAX_LABEL_BYTES) : null;
  const scores = hasher ? new Uint32Array(n * 8) : null;
  let ascii = true;
  let codeUnitOrder = true;
  let nfcCounts = null;
  const seen = new Set();
  let at = 0;
  yield { progress: { scope, done: 0, total: n } };
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    const position = i + 1;
    if (typeof label === 'string' && label.length <= MAX_LABEL_BYTES && PLAIN.test(label)) {
      if (at + label.length > bytes.length) bytes = grown(bytes, at + label.length);
      for (let j = 0; j < label.length; j++) bytes[at++] = label.charCodeAt(j);
    } else {
      const encoded = checkLabel(label, position, { nfc: false });
      const normal = label.normalize('NFC');
      if (normal !== label) {
        if (nfcCounts === null) {
          nfcCounts = new Map();
          for (const other of labels) {
            if (typeof other === 'string') {
              const key = other.normalize('NFC');
              nfcCounts.set(key, (nfcCounts.get(key) || 0) + 1);
            }
          }
        }
        if (nfcCounts.get(normal) > 1) {
          throw new DrawError('duplicate', `label ${position} is, once normalised, another label`);
        }
        throw new DrawError('not_nfc', `label ${position} is not in Unicode Normalization Form C`);
      }
      ascii = false;
      if (codeUnitOrder && ABOVE_BMP_ORDER.test(label)) codeUnitOrder = false;
      if (at + encoded.length > bytes.length) bytes = grown(bytes, at + encoded.length);
      bytes.set(encoded, at);
      at += encoded.length;
    }
    if (seen.has(label)) throw new DrawError('duplicate', `label ${position} appears twice`);
    seen.add(label);
    offsets[position] = at;
    if (hasher) hasher.hashInto(bytes, offsets[i], at - offsets[i], scores, 8 * i);
    if (position % CHUNK === 0) yield { progress: { scope, done: position, total: n } };
  }
  if (n % CHUNK) yield { progress: { scope, done: n, total: n } };
  return { labels, bytes: bytes.subarray(0, at), offsets, ascii, codeUnitOrder, subseed, scores };
}

function grown(bytes, needed) {
  const more = new Uint8Array(Math.max(needed, bytes.length * 2));
  more.set(bytes);
  return more;
}

/** The UTF-8 bytes of many strings, end to end: {bytes, offsets}, string i being
 * bytes[offsets[i]…offsets[i+1]]. Anything but a string is encoded as TextEncoder does. */
export function layOut(texts) {
  const offsets = new Uint32Array(texts.length + 1);
  let bytes = new Uint8Array(16);
  let at = 0;
  texts.forEach((text, i) => {
    if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) {
      if (at + text.length > bytes.length) bytes = grown(bytes, at + text.length);
      for (let j = 0; j < text.length; j++) bytes[at++] = text.charCodeAt(j);
    } else {
      const encoded = UTF8.encode(text);
      if (at + encoded.length > bytes.length) bytes = grown(bytes, at + encoded.length);
      bytes.set(encoded, at);
      at += encoded.length;
    }
    offsets[i + 1] = at;
  });
  return { bytes, offsets };
}

/** Section 6 for strings laid out by layOut (or a checked population): 8 words a score. */
export function scoreWords(subseed, laid) {
  const { bytes, offsets } = laid;
  const n = offsets.length - 1;
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, offsets[i + 1] - offsets[i]);
  const hasher = new PrefixHasher(concat(tag('score'), subseed), longest);
  const words = new Uint32Array(8 * n);
  for (let i = 0; i < n; i++) hasher.hashInto(bytes, offsets[i], offsets[i + 1] - offsets[i], words, 8 * i);
  return words;
}

/** Compare (score, label bytes) of strings i and j laid out with their score words (section 7). */
export function compareScored(words, laid, i, j) {
  const a = 8 * i;
  const b = 8 * j;
  for (let w = 0; w < 8; w++) {
    if (words[a + w] !== words[b + w]) return words[a + w] - words[b + w];
  }
  return compareLabels(laid, i, j);
}

/** Compare strings i and j laid out end to end (a checked population, layOut) by their bytes. */
function compareLabels(population, i, j) {
  const { bytes, offsets } = population;
  const a = offsets[i];
  const b = offsets[j];
  const m = offsets[i + 1] - a;
  const n = offsets[j + 1] - b;
  const common = Math.min(m, n);
  for (let x = 0; x < common; x++) {
    if (bytes[a + x] !== bytes[b + x]) return bytes[a + x] - bytes[b + x];
  }
  return m - n;
}

/** Section 4 for a checked population: yields the hash as a {sha256} step; returns its bytes. */
export function* populationDigestSteps(population, salt) {
  const { labels, bytes, offsets } = population;
  const n = labels.length;
  const head = concat(tag('population'), lp(salt));
  const data = new Uint8Array(head.length + 4 * n + bytes.length);
  data.set(head);
  const view = new DataView(data.buffer);
  let at = head.length;
  if (population.ascii) {
    // one byte a character: sort the strings themselves (natively), write their characters
    const sorted = labels.slice().sort();
    for (const label of sorted) {
      view.setUint32(at, label.length, false);
      at += 4;
      for (let j = 0; j < label.length; j++) data[at++] = label.charCodeAt(j);
    }
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    if (population.codeUnitOrder) order.sort((i, j) => (labels[i] < labels[j] ? -1 : 1));
    else order.sort((i, j) => compareLabels(population, i, j));
    for (const i of order) {
      const from = offsets[i];
      const length = offsets[i + 1] - from;
      view.setUint32(at, length, false);
      at += 4;
      data.set(bytes.subarray(from, from + length), at);
      at += length;
    }
  }
  return yield { sha256: data };
}
export function parseSeed(seed) {
  if (typeof seed !== 'string' || !/^[0-9a-fA-F]{64}$/.test(seed)) {
    throw new DrawError('bad_seed', 'the seed is not 64 hex digits');
  }
  return hexToBytes(seed.toLowerCase());
}

export function parseSalt(salt) {
  if (salt === undefined || salt === null || salt === '') return new Uint8Array(0);
  const bytes = typeof salt === 'string' ? fromHex(salt, 'the salt') : salt;
  if (bytes.length !== 0 && bytes.length !== 32) {
    throw new DrawError('bad_salt', 'the salt is neither empty nor 32 bytes');
  }
  return bytes;
}

function checkScope(scope) {
  try {
    checkLabel(scope);
  } catch (err) {
    throw new DrawError('bad_scope', `the scope breaks a label rule: ${err.message}`);
  }
}

function checkCount(value, what) {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DrawError('bad_count', `${what} must be a whole number ≥ 0`);
  }
}

export function populationDigest(labels, salt = '') {
  const saltBytes = parseSalt(salt);
  return toHex(runSync(populationDigestSteps(runSync(checkedPopulation(labels)), saltBytes)));
}

/** Section 5. */
export function subseedOf(seedBytes, scope) {
  return sha256(concat(tag('scope'), seedBytes, UTF8.encode(scope)));
}

/** Section 6: the 32 score bytes of a label. */
export function scoreBytes(subseed, label) {
  return wordsToBytes(scoreWords(subseed, layOut([label])), 0);
}

export function bytesToBigInt(bytes) {
  return bytes.length ? BigInt(`0x${toHex(bytes)}`) : 0n;
}

/** Section 7 for a checked population scored under `subseed`: its label indices in rank order
 * (by the score's 8 words, then by the label's UTF-8 bytes). */
export function rankOrder(population, subseed) {
  const scored =
    population.scores && bytesEqual(population.subseed, subseed)
      ? population
      : runSync(checkedPopulation(population.labels, { subseed }));
  const { scores } = scored;
  const order = Array.from({ length: population.labels.length }, (_, i) => i);
  order.sort((i, j) => compareScored(scores, scored, i, j));
  return { order, scores };
}

/** Section 7: every label as {label, score (bytes), hex} in rank order. */
export function ranking(subseed, labels) {
  const { order, scores } = rankOrder(runSync(checkedPopulation(labels, { subseed })), subseed);
  return order.map((i) => ({
    label: labels[i],
    score: wordsToBytes(scores, 8 * i),
    hex: wordsToHex(scores, 8 * i),
  }));
}

function picks(population, ranked, from, to, firstRank) {
  const out = [];
  for (let r = from; r < to; r++) {
    const i = ranked.order[r];
    const score = wordsToHex(ranked.scores, 8 * i);
    out.push({ label: population.labels[i], rank: firstRank + r - from, score });
  }
  return out;
}

// Section 9: rates.
const DIGITS = /^[0-9]+$/;

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

function strip(text) {
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && STRIPPABLE.has(chars[start])) start++;
  while (end > start && STRIPPABLE.has(chars[end - 1])) end--;
  return chars.slice(start, end);
}

function decimal(text) {
  const [whole, fraction, ...rest] = text.split('.');
  if (rest.length || !DIGITS.test(whole) || (fraction !== undefined && !DIGITS.test(fraction))) {
    return null;
  }
  const digits = fraction || '';
  return [BigInt(whole + digits), 10n ** BigInt(digits.length)];
}

/** A rate as an exact fraction {numerator, denominator} in lowest terms (BigInt). */
export function parseRate(input) {
  if (typeof input !== 'string') throw new DrawError('bad_rate', 'a rate is text');
  const chars = strip(input.normalize('NFKC'));
  if (chars.length > 64) throw new DrawError('bad_rate', 'a rate is at most 64 characters');
  const text = chars.join('');
  let parsed = null;
  if (text.includes('/')) {
    const [a, b, ...rest] = text.split('/');
    if (!rest.length && DIGITS.test(a) && DIGITS.test(b) && BigInt(b) !== 0n) {
      parsed = [BigInt(a), BigInt(b)];
    }
  } else if (text.endsWith('%')) {
    const value = decimal(text.slice(0, -1));
    if (value) parsed = [value[0], value[1] * 100n];
  } else {
    parsed = decimal(text);
  }
  if (!parsed) throw new DrawError('bad_rate', `the rate ${JSON.stringify(input)} does not parse`);
  const [a, b] = parsed;
  const d = gcd(a, b) || 1n;
  const rate = { numerator: a / d, denominator: b / d };
  if (rate.numerator > rate.denominator) {
    throw new DrawError('rate_out_of_range', 'the rate is more than 1');
  }
  return rate;
}

export function rateText(rate) {
  return `${rate.numerator}/${rate.denominator}`;
}

/** score × b < a × 2^256 (section 9), all BigInt. */
export function underCutoff(scoreHexOrBytes, rate) {
  const score =
    typeof scoreHexOrBytes === 'string'
      ? BigInt(`0x${scoreHexOrBytes}`)
      : bytesToBigInt(scoreHexOrBytes);
  return score * rate.denominator < rate.numerator << 256n;
}

/**
 * A draw (section 8, 9 or 11) of a checked population: `mode` 'exact' ({k, alternates}), 'rate'
 * ({rate}) or 'shuffle'. The seed, scope and counts are checked here, in the order of section
 * 15; the population was checked by checkedPopulation (scored on the way when it was given the
 * scope's subseed). The result's population_digest is not made here (see populationDigestSteps).
 */
export function drawOf(population, { seed, scope, mode, k, alternates = 0, rate }) {
  const seedBytes = parseSeed(seed);
  checkScope(scope);
  let exact = null;
  if (mode === 'exact') {
    checkCount(k, 'k');
    checkCount(alternates, 'the number of alternates');
    if (k > population.labels.length) {
      throw new DrawError('k_too_large', `k = ${k} > n = ${population.labels.length}`);
    }
  } else if (mode === 'rate') {
    exact = rate !== null && typeof rate === 'object' ? rate : parseRate(rate);
  }
  const subseed = subseedOf(seedBytes, scope);
  const ranked = rankOrder(population, subseed);
  const n = population.labels.length;
  if (mode === 'exact') {
    return {
      subseed: toHex(subseed),
      selected: picks(population, ranked, 0, k, 1),
      alternates: picks(population, ranked, k, Math.min(n, k + alternates), k + 1),
    };
  }
  if (mode === 'rate') {
    // the ranking is by score, so the labels under the cut-off are a prefix of it
    let under = 0;
    while (under < n && underCutoff(wordsToHex(ranked.scores, 8 * ranked.order[under]), exact)) under++;
    return {
      subseed: toHex(subseed),
      rate: rateText(exact),
      selected: picks(population, ranked, 0, under, 1),
      alternates: [],
    };
  }
  return { subseed: toHex(subseed), order: picks(population, ranked, 0, n, 1) };
}

function drawWith(seed, scope, labels, params) {
  const subseed = subseedOf(parseSeed(seed), scope);
  const population = runSync(checkedPopulation(labels, { subseed, scope }));
  const draw = drawOf(population, { seed, scope, ...params });
  const digest = toHex(runSync(populationDigestSteps(population, new Uint8Array(0))));
  return { ...draw, population_digest: digest };
}

/** Exact mode (section 8). */
export function drawExact({ seed, scope, labels, k, alternates = 0 }) {
  parseSeed(seed);
  checkScope(scope);
  checkCount(k, 'k');
  checkCount(alternates, 'the number of alternates');
  return drawWith(seed, scope, labels, { mode: 'exact', k, alternates });
}

/** Rate mode (section 9). */
export function drawRate({ seed, scope, labels, rate }) {
  parseSeed(seed);
  checkScope(scope);
  const exact = typeof rate === 'string' ? parseRate(rate) : rate;
  return drawWith(seed, scope, labels, { mode: 'rate', rate: exact });
}

/** Shuffle (section 11). */
export function shuffle({ seed, scope, labels }) {
  parseSeed(seed);
  checkScope(scope);
  return drawWith(seed, scope, labels, { mode: 'shuffle' });
}

/** Stratified draws (section 10), with the error order of section 15. */
export function drawStratified({ seed, strata }) {
  parseSeed(seed);
  if (!Array.isArray(strata) || strata.length === 0) {
    throw new DrawError('no_strata', 'a stratified draw needs at least one stratum');
  }
  const scopes = new Set();
  const owner = new Set();
  for (const stratum of strata) {
    checkScope(stratum.scope);
    if (scopes.has(stratum.scope)) {
      throw new DrawError('duplicate_scope', `two strata are named ${stratum.scope}`);
    }
    scopes.add(stratum.scope);
    const hasK = stratum.k !== undefined && stratum.k !== null;
    const hasRate = stratum.rate !== undefined && stratum.rate !== null;
    if (hasK === hasRate) {
      throw new DrawError('bad_stratum', `stratum ${stratum.scope} needs either k or a rate`);
    }
    if (hasRate) parseRate(stratum.rate);
    if (hasK) checkCount(stratum.k, 'k');
    checkCount(stratum.alternates ?? 0, 'the number of alternates');
    checkPopulation(stratum.labels);
    for (const label of stratum.labels) {
      if (owner.has(label)) throw new DrawError('overlapping_strata', 'a label is in two strata');
    }
    for (const label of stratum.labels) owner.add(label);
  }
  for (const stratum of strata) {
    if (stratum.k !== undefined && stratum.k !== null && stratum.k > stratum.labels.length) {
      throw new DrawError('k_too_large', `k > n in stratum ${stratum.scope}`);
    }
  }
  return strata.map((stratum) => {
    const result =
      stratum.rate !== undefined && stratum.rate !== null
        ? drawRate({ seed, scope: stratum.scope, labels: stratum.labels, rate: stratum.rate })
        : drawExact({ seed, ...stratum });
    return {
      scope: stratum.scope,
      subseed: result.subseed,
      selected: result.selected,
      alternates: result.alternates,
      population_digest: result.population_digest,
    };
  });
}
