// fairdraw draw specification v1 (docs/spec/draw-v1.md): labels, population digest, subseed,
// score, ranking, exact and rate modes, stratified draws. All selection arithmetic is BigInt.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

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
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new DrawError('empty_population', 'the population is empty');
  }
  let nfcCounts = null;
  const seen = new Set();
  const encoded = [];
  labels.forEach((label, index) => {
    const position = index + 1;
    const bytes = checkLabel(label, position, { nfc: false });
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
    if (seen.has(label)) throw new DrawError('duplicate', `label ${position} appears twice`);
    seen.add(label);
    encoded.push(bytes);
  });
  return encoded;
}

export function parseSeed(seed) {
  if (typeof seed !== 'string' || !/^[0-9a-fA-F]{64}$/.test(seed)) {
    throw new DrawError('bad_seed', 'the seed is not 64 hex digits');
  }
  return hexToBytes(seed.toLowerCase());
}

function parseSalt(salt) {
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

/** Section 4: H("fairdraw/v1/population" 0x00 ‖ lp(salt) ‖ lp(l_1) ‖ …), labels sorted bytewise. */
export function populationDigestOfBytes(encoded, salt) {
  const sorted = [...encoded].sort(compareBytes);
  const hash = sha256.create().update(tag('population')).update(lp(salt));
  for (const bytes of sorted) hash.update(u32(bytes.length)).update(bytes);
  return hash.digest();
}

// UTF-16 code-unit order (JavaScript's string order) is UTF-8 byte order unless a string holds
// a code unit from U+D800 up: then the bytes are compared.
const ABOVE_BMP_ORDER = /[\uD800-\uFFFF]/;

/** The labels' population digest, sorting by string when that is the byte order. */
function digestOfLabels(labels, encoded, salt) {
  if (labels.some((label) => ABOVE_BMP_ORDER.test(label))) {
    return populationDigestOfBytes(encoded, salt);
  }
  const sorted = [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = sha256.create().update(tag('population')).update(lp(salt));
  for (const label of sorted) {
    const bytes = UTF8.encode(label);
    hash.update(u32(bytes.length)).update(bytes);
  }
  return hash.digest();
}

export function populationDigest(labels, salt = '') {
  const saltBytes = parseSalt(salt);
  return toHex(digestOfLabels(labels, checkPopulation(labels), saltBytes));
}

/** Section 5. */
export function subseedOf(seedBytes, scope) {
  return sha256(concat(tag('scope'), seedBytes, UTF8.encode(scope)));
}

/** Section 6: the 32 score bytes of a label. */
export function scoreBytes(subseed, label) {
  return scorer(subseed)(label);
}

/** Section 6 for many labels: the hash state after the tag and subseed, copied for each. */
export function scorer(subseed) {
  const prefix = sha256.create().update(tag('score')).update(subseed);
  return (label) => prefix.clone().update(UTF8.encode(label)).digest();
}

export function bytesToBigInt(bytes) {
  return bytes.length ? BigInt(`0x${toHex(bytes)}`) : 0n;
}

/** Section 7: every label as {label, score (bytes), key} in rank order. */
export function ranking(subseed, labels) {
  const score = scorer(subseed);
  const entries = labels.map((label) => {
    const bytes = score(label);
    return { label, score: bytes, hex: toHex(bytes) };
  });
  // by score, then by the label's UTF-8 bytes (equal scores: in practice never)
  entries.sort((a, b) =>
    a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : compareBytes(UTF8.encode(a.label), UTF8.encode(b.label)),
  );
  return entries;
}

function picks(entries, firstRank) {
  return entries.map((e, i) => ({ label: e.label, rank: firstRank + i, score: e.hex }));
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

/** Exact mode (section 8). */
export function drawExact({ seed, scope, labels, k, alternates = 0 }) {
  const seedBytes = parseSeed(seed);
  checkScope(scope);
  checkCount(k, 'k');
  checkCount(alternates, 'the number of alternates');
  const encoded = checkPopulation(labels);
  if (k > labels.length) throw new DrawError('k_too_large', `k = ${k} > n = ${labels.length}`);
  const subseed = subseedOf(seedBytes, scope);
  const ranked = ranking(subseed, labels);
  return {
    subseed: toHex(subseed),
    selected: picks(ranked.slice(0, k), 1),
    alternates: picks(ranked.slice(k, k + alternates), k + 1),
    population_digest: toHex(populationDigestOfBytes(encoded, new Uint8Array(0))),
  };
}

/** Rate mode (section 9). */
export function drawRate({ seed, scope, labels, rate }) {
  const seedBytes = parseSeed(seed);
  checkScope(scope);
  const exact = typeof rate === 'string' ? parseRate(rate) : rate;
  const encoded = checkPopulation(labels);
  const subseed = subseedOf(seedBytes, scope);
  const chosen = ranking(subseed, labels).filter((e) => underCutoff(e.score, exact));
  return {
    subseed: toHex(subseed),
    rate: rateText(exact),
    selected: picks(chosen, 1),
    alternates: [],
    population_digest: toHex(populationDigestOfBytes(encoded, new Uint8Array(0))),
  };
}

/** Shuffle (section 11). */
export function shuffle({ seed, scope, labels }) {
  const seedBytes = parseSeed(seed);
  checkScope(scope);
  const encoded = checkPopulation(labels);
  const subseed = subseedOf(seedBytes, scope);
  return {
    subseed: toHex(subseed),
    order: picks(ranking(subseed, labels), 1),
    population_digest: toHex(populationDigestOfBytes(encoded, new Uint8Array(0))),
  };
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
