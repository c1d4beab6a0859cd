// Canonical JSON (RFC 8785, JCS) for the JSON a fairdraw record holds: objects, arrays, strings,
// integers, booleans and null. Like fairdraw's Python (src/fairdraw/canonical.py) it refuses
// anything that is not an integer within ±(2^53 − 1): records never hold floating-point numbers.

export class CanonicalError extends Error {}

const UTF8 = new TextEncoder();

function hasLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** The JCS text of a string: JSON.stringify escapes exactly what RFC 8785 escapes
 * (", \, \b \f \n \r \t, other controls as \u00xx) and writes everything else as it is. */
export function canonicalString(text) {
  if (hasLoneSurrogate(text)) throw new CanonicalError('a string holds a lone surrogate');
  return JSON.stringify(text);
}

function write(value, out, known) {
  if (value === null) {
    out.push('null');
  } else if (value === true || value === false) {
    out.push(value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new CanonicalError('canonical JSON in fairdraw never holds floating-point numbers');
    }
    if (!Number.isSafeInteger(value)) {
      throw new CanonicalError(`the integer ${value} is outside ±(2^53 − 1)`);
    }
    out.push(Object.is(value, -0) ? '0' : String(value));
  } else if (typeof value === 'bigint') {
    if (value > 9007199254740991n || value < -9007199254740991n) {
      throw new CanonicalError(`the integer ${value} is outside ±(2^53 − 1)`);
    }
    out.push(value.toString());
  } else if (typeof value === 'string') {
    out.push(canonicalString(value));
  } else if (known && known.has(value)) {
    out.push(known.get(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index) out.push(',');
      write(item, out, known);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    // Default string comparison in JavaScript is by UTF-16 code units, as RFC 8785 sorts keys.
    const keys = Object.keys(value).sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index) out.push(',');
      out.push(canonicalString(key), ':');
      write(value[key], out, known);
    });
    out.push('}');
  } else {
    throw new CanonicalError(`cannot write canonical JSON of a ${typeof value}`);
  }
}

/** The canonical JSON text of a value. `known`: a Map of objects (or arrays) inside it to their
 * canonical texts, made before, not to be written again (a record's events are signed one by
 * one, hashed and signed again as parts of the record). */
export function canonicalText(value, known = null) {
  const out = [];
  write(value, out, known);
  return out.join('');
}

/** The canonical JSON of a value, as UTF-8 bytes. */
export function canonicalJson(value, known = null) {
  return UTF8.encode(canonicalText(value, known));
}

/** JSON.parse, refusing what fairdraw's records never hold and JavaScript would silently
 * change: a number with a fraction or an exponent (`1.0` would read as 1) or an integer outside
 * ±(2^53 − 1) (it would be rounded). */
export function parseStrictJson(text) {
  // From one string or number to the next, outside strings; a string is skipped in one match.
  const next = /["\-0-9]/g;
  const restOfString = /[^"\\]*(?:\\[\s\S][^"\\]*)*"/y;
  for (let found = next.exec(text); found !== null; found = next.exec(text)) {
    const i = found.index;
    if (found[0] === '"') {
      restOfString.lastIndex = i + 1;
      if (!restOfString.test(text)) break; // not closed: JSON.parse says so
      next.lastIndex = restOfString.lastIndex;
      continue;
    }
    const match = /^-?\d+([.eE][-+\d.eE]*)?/.exec(text.slice(i, i + 400));
    const token = match ? match[0] : found[0];
    if (match && match[1]) throw new CanonicalError(`the number ${token} is not an integer`);
    if (!Number.isSafeInteger(Number(token))) {
      throw new CanonicalError(`the integer ${token} is outside ±(2^53 − 1)`);
    }
    next.lastIndex = i + token.length;
  }
  return JSON.parse(text);
}
