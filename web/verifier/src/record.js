// Verification of a fairdraw draw record (ceremony specs v1 and v2), check by check, with the
// names and order of fairdraw's Python report (src/fairdraw/ceremony/verify.py). What this page
// cannot check yet is reported as "not checked" with the reason, so the verdict is then
// "incomplete", never "passed".

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DRAND_CHAINS, verifyDrandRound } from './drand.js';
import { canonicalJson, canonicalText } from './jcs.js';
import { checkKeyedPicks, checkScoresEntry, drawLabels, isKeyed, keyedPicks } from './keyed.js';
import { checkMembershipEntry, memberOpenings, membershipRoot } from './membership.js';
import { steeringOf } from './steering.js';
import { wordsToHex } from './scores.js';
import { runAsync, runSync } from './steps.js';
import {
  UTF8,
  bytesEqual,
  checkLabel,
  concat,
  checkedPopulation,
  compareScored,
  drawOf,
  fromHex,
  layOut,
  lp,
  parseRate,
  parseSalt,
  populationDigestSteps,
  scoreWords,
  subseedOf,
  tag,
  toHex,
  underCutoff,
} from './draw.js';

export const V1 = 'fairdraw/ceremony/v1';
export const V2 = 'fairdraw/ceremony/v2';
export const RECORD_MEDIA_TYPES = {
  [V1]: 'application/vnd.fairdraw.draw-record.v1+json',
  [V2]: 'application/vnd.fairdraw.draw-record.v2+json',
};
export const EVENT_MEDIA_TYPES = {
  [V1]: 'application/vnd.fairdraw.ceremony-event.v1+json',
  [V2]: 'application/vnd.fairdraw.ceremony-event.v2+json',
};
const EVENT_KINDS = {
  [V1]: ['announce', 'commit', 'reveal', 'randomness', 'seed', 'draw', 'abort'],
  [V2]: [
    'announce',
    'commit',
    'witness',
    'timestamp',
    'reveal',
    'randomness',
    'seed',
    'draw',
    'abort',
  ],
};
const GENESIS = '0'.repeat(64);
const OFFICE = 'office';

export const STEERING = 'who could have chosen the outcome';
export const PUBLIC_RECORDS = 'public records';
export const OUTCOME = 'outcome';
export const ABORTED = 'the ceremony was aborted';
export const NOT_IN_PAGE = 'not checked in this page yet; use fairdraw verify';

/** A failed check's reason. */
export class VerificationError extends Error {}

function fail(message) {
  throw new VerificationError(message);
}

function show(value) {
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Times: exactly YYYY-MM-DDTHH:MM:SSZ and a real time; returned as Unix seconds (a safe integer).

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseTime(value, what = 'time') {
  const match = typeof value === 'string' ? TIME.exec(value) : null;
  if (!match) fail(`${what} must look like 2026-05-12T09:00:00Z, not ${show(value)}`);
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  const real =
    y >= 1 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  if (!real) fail(`${what} ${show(value)} is not a real time`);
  return date.getTime() / 1000;
}

function formatTime(seconds) {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures.

export function keyId(raw) {
  return toHex(sha256(raw));
}

function publicKeyFromHex(text, what) {
  const raw = fromHex(text, what);
  if (raw.length !== 32) fail(`${what} is not a 32-byte Ed25519 public key`);
  return raw;
}

/** tag ‖ canonical JSON of the value; `known`: canonical texts made before (see canonicalText),
 * to which the value's is added. */
function signed(tagName, value, known) {
  const text = canonicalText(value, known);
  if (known) known.set(value, text);
  return concat(tag(tagName), UTF8.encode(text));
}

export function verifySignature(raw, tagName, value, signatureHex, what = 'the signature', known = null) {
  let signature;
  try {
    signature = fromHex(signatureHex, 'signature');
  } catch {
    fail(`${what} is not hex`);
  }
  let good = false;
  try {
    good = signature.length === 64 && ed25519.verify(signature, signed(tagName, value, known), raw, {
      zip215: false,
    });
  } catch {
    good = false;
  }
  if (!good) fail(`${what} does not verify`);
}

/** The office key a verifier gives: a PEM SubjectPublicKeyInfo (RFC 8410) or 64 hex digits. */
export function parsePublicKeyFile(text) {
  const trimmed = String(text).trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(trimmed);
    if (!match) throw new Error('the key file holds no PEM PUBLIC KEY block');
    const der = Uint8Array.from(atob(match[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    const prefix = fromHex('302a300506032b6570032100');
    if (der.length !== 44 || !bytesEqual(der.subarray(0, 12), prefix)) {
      throw new Error('the PEM key is not an Ed25519 public key');
    }
    return der.slice(12);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new Error('the key file is neither PEM nor 64 hex digits');
  }
  return fromHex(trimmed);
}

export function eventHash(signedEvent) {
  return toHex(sha256(canonicalJson(signedEvent)));
}

// ---------------------------------------------------------------------------------------------
// Sources (ceremony spec v1 section 3, v2 section 2).

const TAKES_VALUE = { local: false, dice: true, drand: true, nist: true, 'public-record': true };
const BEACONS = new Set(['drand', 'nist']);
const CLASS = {
  local: 'secret',
  dice: 'entered',
  drand: 'beacon',
  nist: 'beacon',
  'public-record': 'beacon',
};
const DUE_MEMBER = { drand: 'round_time', nist: 'pulse_time', 'public-record': 'time' };

function isInt(value) {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function requireInt(spec, name, low, high = null) {
  const value = spec[name];
  if (!isInt(value) || value < low) fail(`source ${show(spec.id)}: ${name} must be an integer ≥ ${low}`);
  if (high !== null && value > high) fail(`source ${show(spec.id)}: ${name} must be at most ${high}`);
  return value;
}

function sourceType(spec) {
  if (!(spec.type in TAKES_VALUE)) fail(`source ${show(spec.id)}: unknown type ${show(spec.type)}`);
  return spec.type;
}

function checkSource(spec, participants, announced) {
  try {
    checkLabel(spec.id);
  } catch (err) {
    fail(`a source id must be a label: ${err.message}`);
  }
  const id = show(spec.id);
  switch (sourceType(spec)) {
    case 'local':
    case 'dice':
      if (!participants.has(spec.participant)) {
        fail(`source ${id}: participant ${show(spec.participant)} unknown`);
      }
      if (spec.type === 'dice') {
        requireInt(spec, 'count', 1);
        requireInt(spec, 'sides', 2, 100);
      }
      break;
    case 'drand': {
      const chain = DRAND_CHAINS[spec.chain];
      if (!Object.hasOwn(DRAND_CHAINS, spec.chain)) fail(`source ${id}: unknown drand chain ${show(spec.chain)}`);
      if (spec.chain_hash !== chain.chainHash) fail(`source ${id}: chain_hash is not the pinned chain's`);
      const round = requireInt(spec, 'round', 1);
      const due = chain.genesis + (round - 1) * chain.period;
      if (parseTime(spec.round_time, 'round_time') !== due) {
        fail(`source ${id}: round ${round} is due at ${formatTime(due)}`);
      }
      if (due <= announced) fail(`source ${id}: drand round ${round} was due before the announcement`);
      break;
    }
    case 'nist':
      requireInt(spec, 'chain_index', 1);
      requireInt(spec, 'pulse_index', 1);
      if (parseTime(spec.pulse_time, 'pulse_time') <= announced) {
        fail(`source ${id}: the NIST pulse is not due after the announcement`);
      }
      break;
    case 'public-record': {
      if (typeof spec.description !== 'string' || !spec.description.trim()) {
        fail(`source ${id}: describe the public record`);
      }
      if ('time' in spec || 'publisher' in spec) {
        try {
          checkLabel(spec.publisher);
        } catch (err) {
          fail(`source ${id}: name the publisher: ${err.message}`);
        }
        if (parseTime(spec.time, `source ${id} time`) <= announced) {
          fail(`source ${id}: the public record must be drawn after the announcement`);
        }
      } else {
        if (typeof spec.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(spec.date)) {
          fail(`source ${id}: date must be YYYY-MM-DD`);
        }
        if (spec.date <= formatTime(announced).slice(0, 10)) {
          fail(`source ${id}: the public record must be published after the announcement's day`);
        }
      }
      requireInt(spec, 'draws', 1);
      requireInt(spec, 'bits', 1);
      break;
    }
    default:
  }
}

function checkEntropy(sources) {
  const types = sources.map(sourceType);
  if (types.some((t) => BEACONS.has(t))) return;
  let outcomes = 1n;
  for (const spec of sources) {
    if (spec.type === 'local') outcomes *= 1n << 256n;
    else if (spec.type === 'dice') outcomes *= BigInt(spec.sides) ** BigInt(spec.count);
    else if (spec.type === 'public-record') outcomes *= 1n << BigInt(spec.bits);
  }
  if (outcomes < 1n << 128n) {
    fail(
      `the announced sources total ${outcomes.toString(2).length - 1} bits of entropy; at least ` +
        '128 are needed unless a drand or NIST beacon is a source',
    );
  }
}

export function publicRecordKey(groups) {
  return groups
    .map((group) => `${[...group].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => `${n}.`).join('')}/`)
    .join('');
}

/** The bytes a value gives the seed (v1 section 2.3) and what of it this page did not verify. */
function valueBytes(spec, value) {
  const id = show(spec.id);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`source ${id}: malformed value`);
  switch (spec.type) {
    case 'dice': {
      const rolls = value.rolls;
      if (!Array.isArray(rolls) || rolls.length !== spec.count) {
        fail(`source ${id}: exactly ${spec.count} rolls are needed`);
      }
      rolls.forEach((roll, index) => {
        if (!isInt(roll) || roll < 1 || roll > spec.sides) {
          fail(`source ${id}: roll ${index + 1} is ${show(roll)}, not 1 to ${spec.sides}`);
        }
      });
      return { bytes: UTF8.encode(rolls.join(',')), deferred: null };
    }
    case 'public-record': {
      const groups = value.numbers;
      const good =
        Array.isArray(groups) &&
        groups.length === spec.draws &&
        groups.every((g) => Array.isArray(g) && g.length > 0 && g.every((n) => isInt(n) && n >= 0));
      if (!good) fail(`source ${id}: give ${spec.draws} non-empty list(s) of whole numbers`);
      return { bytes: UTF8.encode(publicRecordKey(groups)), deferred: null };
    }
    case 'drand': {
      if (!isInt(value.round) || value.round !== spec.round) {
        fail(`source ${id}: the announcement named round ${spec.round}, not ${show(value.round)}`);
      }
      const signature = fromHex(value.signature, `source ${id} signature`);
      let previous = null;
      if (spec.chain === 'default') previous = fromHex(value.previous_signature, `source ${id} previous_signature`);
      else if (value.previous_signature !== undefined) fromHex(value.previous_signature, 'previous_signature');
      const randomness = sha256(signature);
      if (value.randomness !== undefined && !bytesEqual(fromHex(value.randomness, 'randomness'), randomness)) {
        fail(`source ${id}: randomness is not H(signature)`);
      }
      if (!verifyDrandRound(spec.chain, value.round, signature, previous)) {
        fail(`source ${id}: drand round ${value.round} of ${spec.chain} does not verify with the chain's key`);
      }
      return { bytes: randomness, deferred: null };
    }
    case 'nist': {
      const pulse = value.pulse && typeof value.pulse.pulse === 'object' ? value.pulse.pulse : value.pulse;
      if (!pulse || typeof pulse !== 'object' || typeof value.certificate !== 'string') {
        fail(`source ${id}: give the pulse and the certificate PEM`);
      }
      if (pulse.chainIndex !== spec.chain_index || pulse.pulseIndex !== spec.pulse_index) {
        fail(`source ${id}: the announcement named pulse ${spec.chain_index}/${spec.pulse_index}`);
      }
      const output = fromHex(pulse.outputValue, `source ${id} outputValue`);
      if (output.length !== 64) fail(`source ${id}: outputValue is not 64 bytes`);
      return { bytes: output, deferred: `NIST ${show(spec.id)}: its RSA signature and X.509 certificate` };
    }
    default:
      return fail(`source ${id} of type ${spec.type} takes no value`);
  }
}

// ---------------------------------------------------------------------------------------------
// v2 rules (ceremony spec v2, sections 2–5).

const ACT_MEMBERS = {
  commit: ['participant', 'source', 'commitment', 'signature'],
  witness: ['participant', 'announcement', 'time', 'signature'],
  reveal: ['participant', 'source', 'secret', 'closing', 'signature'],
  randomness: ['participant', 'source', 'value', 'signature'],
};
const ANNOUNCE_MEMBERS = [
  'office',
  'office_key',
  'policy',
  'scopes',
  'participants',
  'sources',
  'deadlines',
  'on_missing_reveal',
  'supersedes',
  'single_party_reason',
];
const SOURCE_MEMBERS = {
  local: ['participant'],
  dice: ['participant', 'count', 'sides'],
  drand: ['chain', 'chain_hash', 'round', 'round_time'],
  nist: ['chain_index', 'pulse_index', 'pulse_time'],
  'public-record': ['description', 'publisher', 'time', 'draws', 'bits'],
};
const SCOPE_MEMBERS = ['scope', 'population_digest', 'population_size', 'confidential', 'mode'];
const MODE_MEMBERS = { exact: ['k', 'alternates'], rate: ['rate'] };

function exactMembers(what, object, allowed) {
  const members = new Set(Object.keys(object));
  const allow = new Set(allowed);
  const extra = [...members].filter((m) => !allow.has(m)).sort();
  const missing = [...allow].filter((m) => !members.has(m)).sort();
  if (extra.length || missing.length) {
    const parts = [];
    if (extra.length) parts.push(`unknown members ${extra.join(', ')}`);
    if (missing.length) parts.push(`no ${missing.join(', ')}`);
    fail(`${what}: ${parts.join('; ')}`);
  }
}

export function announcedKeys(participants) {
  const keys = new Map();
  for (const entry of participants) {
    const key = entry.key;
    if (key === null || key === undefined) continue;
    let raw;
    try {
      raw = publicKeyFromHex(key.public_key, 'key');
    } catch (err) {
      fail(`participant ${show(entry.id)}: malformed key (${err.message})`);
    }
    if (key.algorithm !== 'ed25519' || key.key_id !== keyId(raw)) {
      fail(`participant ${show(entry.id)}: the key id is not the SHA-256 of its Ed25519 public key`);
    }
    keys.set(String(entry.id), raw);
  }
  return keys;
}

export function controllersOf(spec, keyed) {
  if (spec.type === 'drand' || spec.type === 'nist') return [spec.type];
  if (spec.type === 'public-record') {
    return ['publisher' in spec ? String(spec.publisher) : `public-record:${spec.id}`];
  }
  const participant = String(spec.participant);
  if (keyed.has(participant) || participant === OFFICE) return [participant];
  return [...new Set([participant, OFFICE])].sort();
}

function checkAnnouncementMembers(body) {
  exactMembers('the announcement', body, ANNOUNCE_MEMBERS);
  const reason = body.single_party_reason;
  if (reason !== null && (typeof reason !== 'string' || !reason.trim())) {
    fail('single_party_reason must be null or a non-empty string');
  }
  if (body.policy !== null && !Object.values(body.policy).every((v) => typeof v === 'string')) {
    fail("the policy's members must be strings");
  }
  for (const entry of body.participants) {
    const missing = ['id', 'role', 'key'].filter((m) => !(m in entry));
    if (missing.length) fail(`participant ${show(entry.id)}: missing ${missing.sort().join(', ')}`);
    for (const [member, value] of Object.entries(entry)) {
      if (!['id', 'role', 'key'].includes(member) && typeof value !== 'string') {
        fail(`participant ${show(entry.id)}: further members must be strings`);
      }
    }
    if (entry.id === OFFICE && entry.key !== null) {
      fail("the participant 'office' is the office: it signs with its key");
    }
  }
  const keyed = new Set(announcedKeys(body.participants).keys());
  for (const scope of body.scopes) {
    // membership spec v1, sections 5 and 9
    const optional = ['membership', 'scores'].filter((member) => member in scope);
    exactMembers(`scope ${show(scope.scope)}`, scope, [...SCOPE_MEMBERS, ...(MODE_MEMBERS[scope.mode] || []), ...optional]);
    try {
      checkMembershipEntry(scope);
      checkScoresEntry(scope);
    } catch (err) {
      fail(err.message);
    }
  }
  for (const spec of body.sources) {
    exactMembers(`source ${show(spec.id)}`, spec, ['id', 'type', 'controllers', ...(SOURCE_MEMBERS[spec.type] || [])]);
    const expected = controllersOf(spec, keyed);
    if (show(spec.controllers) !== show(expected)) {
      fail(
        `source ${show(spec.id)} names controllers ${show(spec.controllers)}; by the rule ` +
          `(ceremony spec v2, section 2.1) they are ${show(expected)}`,
      );
    }
  }
}

export function sourceClass(spec) {
  const kind = CLASS[spec.type];
  if (!kind) fail(`source ${show(spec.id)}: unknown type ${show(spec.type)}`);
  return kind;
}

export function dueOf(spec) {
  if (sourceClass(spec) !== 'beacon') return null;
  const member = DUE_MEMBER[spec.type];
  if (spec.type === 'public-record' && !(member in spec) && 'date' in spec) {
    return parseTime(`${spec.date}T00:00:00Z`, 'date');
  }
  return parseTime(spec[member], `source ${show(spec.id)} ${member}`);
}

function checkOrderV2(body, events) {
  const specs = new Map(body.sources.map((s) => [s.id, s]));
  const ids = [...specs.keys()];
  const secrets = new Set(ids.filter((i) => sourceClass(specs.get(i)) === 'secret'));
  const entered = new Set(ids.filter((i) => sourceClass(specs.get(i)) === 'entered'));
  const same = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
  const subset = (a, b) => [...a].every((x) => b.has(x));
  const committed = new Set();
  const hasValue = new Set();
  const revealed = new Set();
  const times = [];
  let seeded = false;
  let drawn = false;
  let aborted = false;
  for (const signedEvent of events.slice(1)) {
    const { kind, body: content, sequence } = signedEvent.event;
    const where = `event ${sequence} (${kind})`;
    if (drawn || aborted) fail(`${where}: nothing may follow the ${drawn ? 'draw' : 'abort'}`);
    if (kind === 'abort') {
      aborted = true;
    } else if (kind === 'commit' && !(revealed.size || hasValue.size)) {
      committed.add(content.source);
    } else if ((kind === 'witness' || kind === 'timestamp') && !revealed.size) {
      // anywhere before the first reveal
    } else if (kind === 'randomness' && entered.has(content.source)) {
      if (!same(committed, secrets) || revealed.size) {
        fail(`${where}: an entered value comes after every commitment and before the first reveal`);
      }
      hasValue.add(content.source);
      times.push(parseTime(signedEvent.event.time));
    } else if (kind === 'reveal' && same(committed, secrets) && same(hasValue, entered)) {
      revealed.add(content.source);
      times.push(parseTime(signedEvent.event.time));
    } else if (kind === 'randomness' && specs.has(content.source) && same(revealed, secrets)) {
      if (!same(committed, secrets) || !subset(entered, hasValue) || hasValue.has(content.source)) {
        fail(`${where}: a beacon comes after every other value`);
      }
      hasValue.add(content.source);
    } else if (kind === 'seed' && !seeded) {
      const others = new Set(ids.filter((i) => !secrets.has(i)));
      if (!same(committed, secrets) || !same(revealed, secrets) || !same(hasValue, others)) {
        fail(`${where}: the seed comes once every source has its value`);
      }
      seeded = true;
    } else if (kind === 'draw' && seeded) {
      drawn = true;
    } else {
      fail(`${where}: out of order (ceremony spec v2, section 4)`);
    }
  }
  const announced = parseTime(events[0].event.time);
  for (const spec of specs.values()) {
    const due = dueOf(spec);
    if (due === null) continue;
    if (due <= announced || times.some((t) => due <= t)) {
      fail(
        `the beacon ${show(spec.id)} is due at ${spec[DUE_MEMBER[spec.type]] ?? spec.date}, not ` +
          'after the announcement and every reveal and entered value',
      );
    }
  }
  return 'commitments, entered values, reveals, then beacons due after them';
}

function checkOrderV1(events) {
  let seeded = false;
  let ended = false;
  for (const signedEvent of events.slice(1)) {
    const { kind, sequence } = signedEvent.event;
    const where = `event ${sequence} (${kind})`;
    if (ended) fail(`${where}: nothing may follow a draw or an abort`);
    if (['commit', 'reveal', 'randomness'].includes(kind) && seeded) fail(`${where}: after the seed`);
    if (kind === 'draw' && !seeded) fail(`${where}: the draw comes after the seed`);
    seeded = seeded || kind === 'seed';
    ended = kind === 'draw' || kind === 'abort';
  }
  return 'every value before the seed, the draw after it, nothing after the end';
}

function closingOf(events, hashes) {
  for (let index = 0; index < events.length; index++) {
    if (events[index].event.kind === 'reveal') return hashes[index - 1];
  }
  return hashes[events.length - 1];
}

export function checkStatementSignature(kind, drawId, body, keys) {
  const members = ACT_MEMBERS[kind];
  exactMembers(`a ${kind} body`, body, members);
  const participant = body.participant;
  const key = typeof participant === 'string' ? keys.get(participant) : undefined;
  if (key === undefined) {
    if (body.signature !== null) fail(`the ${kind} of ${show(participant)} is signed, but the announcement gives no key`);
    return;
  }
  if (body.signature === null) fail(`${show(participant)} holds a key but did not sign their ${kind}`);
  const statement = {};
  for (const [member, value] of Object.entries(body)) if (member !== 'signature') statement[member] = value;
  statement.act = kind;
  statement.draw_id = drawId;
  verifySignature(key, 'participant', statement, body.signature, `the signature of ${show(participant)}`);
}

export function checkWitness(body, events, when) {
  if (body.participant === OFFICE) fail('the office cannot witness its own announcement');
  if (body.signature === null || body.signature === undefined) {
    fail(`${show(body.participant)} holds no key of their own: only a participant who signs can witness`);
  }
  if (body.announcement !== eventHash(events[0])) fail('the witness signed another announcement');
  const seen = parseTime(body.time, 'witness time');
  if (!(parseTime(events[0].event.time) <= seen && seen <= when)) {
    fail("the witness's time must be after the announcement and not after now");
  }
}

function statements(drawId, body, events, hashes) {
  const keys = announcedKeys(body.participants);
  const closing = closingOf(events, hashes);
  const signedBy = new Set();
  let witnesses = 0;
  for (const signedEvent of events.slice(1)) {
    const { kind, body: content, sequence } = signedEvent.event;
    if (!['commit', 'witness', 'reveal', 'randomness'].includes(kind)) continue;
    try {
      checkStatementSignature(kind, drawId, content, keys);
    } catch (err) {
      fail(`event ${sequence} (${kind}): ${err.message}`);
    }
    if (kind === 'randomness') {
      const source = body.sources.find((s) => s.id === content.source);
      if (!source) fail(`event ${sequence}: a value for an unknown source`);
      const roller = keys.has(source.participant) ? source.participant : null;
      if (content.participant !== roller) {
        fail(
          `the value of ${show(content.source)} must be ` +
            (roller ? `signed by ${show(roller)}` : 'entered by the office') +
            `, not ${show(content.participant)}`,
        );
      }
    }
    if (kind === 'reveal' && content.closing !== closing) {
      fail(`the reveal of ${show(content.source)} names another state than the one before the first reveal`);
    }
    if (kind === 'witness') {
      // As fairdraw's verification does, against the announcement only (a repeated witness is
      // refused when the office records it, not here).
      checkWitness(content, events, parseTime(signedEvent.event.time));
      witnesses += 1;
    }
    if (content.signature !== null) signedBy.add(content.participant);
  }
  return `${signedBy.size} participant(s) signed their own statements; ${witnesses} witness(es)`;
}

// ---------------------------------------------------------------------------------------------
// The checks.

function commitment(drawId, participant, secret) {
  if (secret.length < 32) fail('a secret must be at least 32 bytes long');
  return sha256(concat(tag('commit'), lp(UTF8.encode(drawId)), lp(UTF8.encode(participant)), secret));
}

function commitReveal(drawId, body, events, v2) {
  const local = new Map(body.sources.filter((s) => sourceType(s) === 'local').map((s) => [s.id, s]));
  const commits = new Map();
  const revealed = new Set();
  const commitDeadline = parseTime(body.deadlines.commit);
  const revealDeadline = parseTime(body.deadlines.reveal);
  for (const signedEvent of events.slice(1)) {
    const { kind, body: content, time } = signedEvent.event;
    if (kind === 'commit') {
      const source = local.get(content.source);
      if (!source || content.participant !== source.participant) {
        fail(`a commitment for ${show(content.source)} is not announced`);
      }
      if (revealed.size || commits.has(content.source)) fail(`the commitment of ${show(content.source)} is out of order`);
      if (parseTime(time) > commitDeadline) fail(`${show(content.source)} committed after the deadline`);
      commits.set(content.source, fromHex(content.commitment, 'commitment'));
    } else if (kind === 'reveal') {
      const source = local.get(content.source);
      const allCommitted = commits.size === local.size && [...local.keys()].every((k) => commits.has(k));
      if (!source || !allCommitted || revealed.has(content.source)) {
        fail(`the reveal of ${show(content.source)} is out of order`);
      }
      if (content.participant !== source.participant) {
        fail(`the reveal of ${show(content.source)} names ${show(content.participant)}, not the announced participant ${show(source.participant)}`);
      }
      if (parseTime(time) > revealDeadline) fail(`${show(content.source)} revealed after the deadline`);
      const secret = fromHex(content.secret, 'secret');
      if (!bytesEqual(commitment(drawId, source.participant, secret), commits.get(content.source))) {
        fail(`the secret revealed by ${show(source.participant)} does not match the commitment`);
      }
      revealed.add(content.source);
    } else if (['randomness', 'seed', 'draw'].includes(kind) && revealed.size !== local.size && !v2) {
      fail(`a ${kind} event came before every secret was revealed`);
    }
  }
  if (!local.size) return 'no local secrets were announced';
  const missing = [...local.keys()].filter((k) => !revealed.has(k));
  if (missing.length) return `${revealed.size} of ${local.size} secrets revealed; missing: ${missing.sort().join(', ')}`;
  return `${local.size} secret(s) committed before any reveal, each matching its commitment`;
}

/** The office key, each event's hash, and the canonical texts of the events (see canonicalText). */
function verifyEvents(events) {
  if (!Array.isArray(events) || !events.length) fail('there are no events');
  let office;
  let drawId;
  try {
    const announced = events[0].event.body.office_key;
    office = publicKeyFromHex(announced.public_key, 'the office key');
    drawId = events[0].event.draw_id;
    if (announced.key_id !== keyId(office) || announced.algorithm !== 'ed25519') {
      fail("the announcement's office key id is not the SHA-256 of its Ed25519 public key");
    }
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    fail(`the announcement does not name the office key: ${err.message}`);
  }
  const spec = events[0].event?.spec;
  if (!(spec in EVENT_MEDIA_TYPES)) fail(`event 0: not a fairdraw ceremony event (spec ${show(spec)})`);
  const officeId = keyId(office);
  let previous = GENESIS;
  let lastTime = null;
  const hashes = [];
  const texts = new Map();
  events.forEach((signedEvent, index) => {
    let where = `event ${index}`;
    try {
      const event = signedEvent.event;
      where = `event ${index} (${event.kind})`;
      if (event.media_type !== EVENT_MEDIA_TYPES[spec] || event.spec !== spec) fail(`${where}: not a ${spec} event like the announcement`);
      if (event.draw_id !== drawId) fail(`${where}: it belongs to draw ${show(event.draw_id)}`);
      if (event.sequence !== index) fail(`${where}: sequence ${event.sequence} out of place`);
      if (!EVENT_KINDS[spec].includes(event.kind) || (index === 0) !== (event.kind === 'announce')) {
        fail(`${where}: kind out of place`);
      }
      if (event.previous !== previous) {
        fail(`${where}: it does not link to the event before it (an event was removed, inserted, reordered or changed)`);
      }
      const when = parseTime(event.time, `${where} time`);
      if (lastTime !== null && when < lastTime) fail(`${where}: its time is earlier than the event before`);
      if (signedEvent.key_id !== officeId) fail(`${where}: signed by another key`);
      verifySignature(office, 'event', event, signedEvent.signature, `${where}: the office's signature`, texts);
      const text = canonicalText(signedEvent, texts);
      texts.set(signedEvent, text);
      previous = toHex(sha256(UTF8.encode(text)));
      hashes.push(previous);
      lastTime = when;
    } catch (err) {
      if (err instanceof VerificationError) throw err;
      fail(`${where}: malformed (${err.message})`);
    }
  });
  return { office, hashes, texts };
}

function publicValues(body, events) {
  const specs = new Map(body.sources.filter((s) => TAKES_VALUE[sourceType(s)]).map((s) => [s.id, s]));
  const seen = [];
  const deferred = [];
  for (const event of events) {
    const source = event.body.source;
    if (!specs.has(source) || seen.includes(source)) fail(`a value for source ${show(source)} is not expected`);
    const spec = specs.get(source);
    const { deferred: missing } = valueBytes(spec, event.body.value);
    if (missing) deferred.push(missing);
    const due = spec.round_time || spec.pulse_time || spec.time;
    if (due && parseTime(event.time) < parseTime(due)) fail(`the value of ${show(source)} was entered before it was due`);
    seen.push(source);
  }
  const kinds = seen.map((s) => `${specs.get(s).type} ${show(s)}`).join(', ') || 'none';
  if (deferred.length) {
    return {
      status: 'not checked',
      detail: `form and due times check out (${kinds}); ${deferred.join('; ')}: ${NOT_IN_PAGE}`,
    };
  }
  return { status: 'passed', detail: `verified: ${kinds}` };
}

function publicRecordsCheck(sources, values, given) {
  const records = sources.filter((s) => s.type === 'public-record');
  if (!records.length) return null;
  const recorded = new Map(values.map((e) => [e.body.source, e.body.value]));
  const missing = [];
  for (const spec of records) {
    if (!recorded.has(spec.id)) continue;
    const value = recorded.get(spec.id);
    const key = publicRecordKey(value.numbers);
    if (!(spec.id in given)) {
      missing.push(`${spec.id} (${spec.description}, ${spec.publisher ?? ''} ${spec.time ?? spec.date}): recorded ${key}`);
      continue;
    }
    const supplied = given[spec.id];
    const suppliedKey = typeof supplied === 'string' ? supplied.trim() : publicRecordKey(supplied);
    if (suppliedKey !== key) fail(`${spec.id}: the record says ${key}, its publisher ${suppliedKey}`);
  }
  if (missing.length) {
    return {
      status: 'not checked',
      detail: `compare with the numbers the publisher published: ${missing.join('; ')}`,
    };
  }
  return { status: 'passed', detail: 'the recorded numbers are the published ones' };
}

function seedOf(announceEvent, inputs) {
  let data = concat(tag('seed'), sha256(canonicalJson(announceEvent)));
  for (const [id, value] of inputs) data = concat(data, lp(UTF8.encode(id)), lp(value));
  return sha256(data);
}

function resultJson(entry, draw) {
  return {
    scope: entry.scope,
    subseed: draw.subseed,
    population_digest: entry.population_digest,
    population_size: entry.population_size,
    selected: draw.selected,
    alternates: draw.alternates,
  };
}

/** Whether two JSON values are the same value: what their canonical JSON texts' equality
 * says, without writing them (members in any order; an integer and a string differ). */
export function sameJson(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  let members = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key])) return false;
    members++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) members--;
  return members === 0;
}

function* checkScope(checker, entry, result, seed, population, drawId) {
  const name = `scope ${entry.scope}`;
  const subseed = subseedOf(seed, entry.scope);
  const keyed = isKeyed(entry);
  checker.run(`${name}: published scores`, () => {
    if (result.subseed !== toHex(subseed)) fail(`the subseed should be ${toHex(subseed)}`);
    if (keyed) return checkKeyedPicks(entry, result); // membership spec v1, section 9
    const picks = [...result.selected, ...result.alternates];
    const laid = layOut(picks.map((pick) => pick.label));
    const words = scoreWords(subseed, laid);
    picks.forEach((pick, i) => {
      if (wordsToHex(words, 8 * i) !== pick.score) fail(`label ${show(pick.label)} has a wrong score`);
    });
    // in rank order: by score, then by label bytes
    const ordered = picks.every((_, i) => i === 0 || compareScored(words, laid, i - 1, i) <= 0);
    if (!ordered || !picks.every((p, i) => p.rank === i + 1)) fail('the published picks are not in rank order');
    if (entry.mode === 'rate') {
      const rate = parseRate(entry.rate);
      for (const pick of result.selected) {
        if (!underCutoff(pick.score, rate)) fail(`label ${show(pick.label)} is above the rate's cut-off`);
      }
    } else if (result.selected.length !== entry.k) {
      fail(`${result.selected.length} selected, not k = ${entry.k}`);
    }
    return `${picks.length} published label(s): scores, ranks and cut-off check out`;
  });
  if (!population) {
    checker.skip(
      `${name}: complete recomputation`,
      'without the population file, it cannot be checked that nobody was left out or slipped in' +
        (entry.confidential ? ' (a confidential list: the office holds it)' : ''),
    );
    return;
  }
  // One pass over the list checks it, lays out its bytes and scores it; the digest and the draw
  // are made from that.
  yield* checker.runSteps(`${name}: complete recomputation`, function* recompute() {
    const labels = population.labels;
    const salt = population.salt || '';
    if (entry.confidential && !salt) fail('a confidential scope is checked with its salted population (give its salt)');
    const saltBytes = parseSalt(salt);
    // With keyed scores the list's own labels are not scored: their draw labels are.
    const checked = yield* checkedPopulation(labels, { subseed: keyed ? null : subseed, scope: entry.scope });
    const digest = toHex(yield* populationDigestSteps(checked, saltBytes));
    if (digest !== entry.population_digest) {
      fail(`this population's digest is ${digest}, not the announced ${entry.population_digest}`);
    }
    let openings = null;
    if (entry.membership) {
      checkMembershipEntry(entry);
      openings = memberOpenings(saltBytes, drawId, entry.scope, labels);
      const root = membershipRoot(labels, saltBytes, { drawId, scope: entry.scope, size: entry.membership.size, openings });
      if (root !== entry.membership.root) {
        fail(`the membership tree of this list has the root ${root}, not the announced ${entry.membership.root}`);
      }
    }
    yield { progress: { scope: entry.scope, done: labels.length, total: labels.length } }; // then the ranking
    // Keyed scores (membership spec v1, section 9): drawn over hex(opening(label)).
    if (keyed && !openings) checkScoresEntry(entry); // keyed scores without a tree: refused
    const keyedLabels = keyed ? drawLabels(openings) : null;
    const drawn = keyed ? yield* checkedPopulation(keyedLabels, { subseed, scope: entry.scope }) : checked;
    const made = drawOf(drawn, {
      seed: toHex(seed),
      scope: entry.scope,
      ...(entry.mode === 'exact'
        ? { mode: 'exact', k: entry.k, alternates: entry.alternates }
        : { mode: 'rate', rate: entry.rate }),
    });
    const draw = keyed ? keyedPicks(made, labels, keyedLabels) : made;
    if (!sameJson(resultJson(entry, draw), result)) {
      fail('the published result differs from the recomputed draw');
    }
    return `recomputed from ${labels.length} labels: identical`;
  });
}

class Checker {
  constructor() {
    this.checks = [];
  }

  add(name, status, detail) {
    this.checks.push({ name, status, detail });
  }

  /** Run a check: passed with the detail it returns (or the {status, detail} it returns),
   * failed if it throws. Returns whether it passed. */
  run(name, check) {
    try {
      const made = check();
      if (made && typeof made === 'object') this.add(name, made.status, made.detail);
      else this.add(name, 'passed', made);
    } catch (err) {
      this.add(name, 'failed', err?.message || String(err));
    }
    return this.checks[this.checks.length - 1].status === 'passed';
  }

  /** run() for a check made of steps (see steps.js): yields its steps. */
  *runSteps(name, check) {
    try {
      const made = yield* check();
      if (made && typeof made === 'object') this.add(name, made.status, made.detail);
      else this.add(name, 'passed', made);
    } catch (err) {
      this.add(name, 'failed', err?.message || String(err));
    }
    return this.checks[this.checks.length - 1].status === 'passed';
  }

  skip(name, why) {
    this.add(name, 'not checked', why);
  }
}

export function verdictOf(checks) {
  if (checks.some((c) => c.status === 'failed')) return 'failed';
  return checks.length && checks.every((c) => c.status === 'passed') ? 'passed' : 'incomplete';
}

function report(drawId, checker, extra) {
  return { draw_id: drawId, verdict: verdictOf(checker.checks), checks: checker.checks, ...extra };
}

/** The report of the checks made so far (a copy: the checker goes on). */
function partial(drawId, checker, extra) {
  return { ...report(drawId, checker, extra), checks: [...checker.checks] };
}

/**
 * Verify a draw record.
 *
 * @param {object} record the record, as parsed JSON
 * @param {object} [options]
 * @param {Uint8Array|string} [options.publicKey] the office key from a source the verifier
 *   trusts (raw 32 bytes, 64 hex digits or PEM); without it the check "office key" is not made
 * @param {Object<string, {labels: string[], salt?: string}>} [options.populations] by scope
 * @param {Object<string, string|number[][]>} [options.publicRecords] by source id
 */
export function verifyRecord(record, options = {}) {
  return runSync(verification(record, options));
}

/**
 * verifyRecord, pausing now and then while it recomputes a scope (see steps.js): resolves to the
 * same report. `onProgress({progress: {scope, done, total}, report})` is called at each pause
 * (the first before anything is awaited), `report` being the checks made so far; an aborted
 * `signal` rejects it. In a secure context, population digests are hashed by WebCrypto.
 */
export function verifyRecordAsync(record, options = {}, { onProgress = null, signal = null } = {}) {
  return runAsync(verification(record, options), { onProgress, signal });
}

function* verification(record, options) {
  const { populations = {}, publicRecords = {} } = options;
  const checker = new Checker();
  const isObject = record !== null && typeof record === 'object' && !Array.isArray(record);
  const drawId = String(isObject && 'draw_id' in record ? record.draw_id : '?');
  const events = isObject && Array.isArray(record.events) ? record.events : [];
  const extra = { office_key_id: null, announcement_hash: null, seed: null, steering: null };

  checker.run('record format', () => {
    const spec = isObject ? record.spec : undefined;
    if (!Object.hasOwn(RECORD_MEDIA_TYPES, spec) || record.media_type !== RECORD_MEDIA_TYPES[spec]) {
      fail('this is not a fairdraw draw record, version 1 or 2');
    }
    const first = events[0] && typeof events[0] === 'object' ? events[0].event || {} : {};
    if (first.draw_id !== drawId) fail(`the record says draw ${show(drawId)}, its events draw ${show(first.draw_id)}`);
    if (first.spec !== spec) fail(`the record is ${spec}, its events ${first.spec}`);
    return `${record.media_type}, ${events.length} events`;
  });
  let office = null;
  let chain = null;
  if (
    !checker.run('event signatures and hash chain', () => {
      chain = verifyEvents(events);
      office = chain.office;
      return 'every event is signed by the office and linked to the one before it';
    })
  ) {
    return report(drawId, checker, extra);
  }
  const officeId = keyId(office);
  extra.office_key_id = officeId;
  extra.announcement_hash = chain.hashes[0];
  checker.run('record signature', () => {
    if (record.key_id !== officeId) fail("the record is signed by another key than the announcement's");
    const spec = events[0].event.spec;
    const payload = { media_type: RECORD_MEDIA_TYPES[spec], spec, draw_id: drawId, events };
    verifySignature(office, 'record', payload, record.signature, "the record's signature", chain.texts);
    return `signed by key ${officeId.slice(0, 16)}…`;
  });
  if (options.publicKey === undefined || options.publicKey === null || options.publicKey === '') {
    checker.skip(
      'office key',
      `the record names key ${officeId}; give the office's public key, as the office publishes ` +
        "it, to check that it is really the office's",
    );
  } else {
    checker.run('office key', () => {
      const trusted =
        typeof options.publicKey === 'string' ? parsePublicKeyFile(options.publicKey) : options.publicKey;
      if (!bytesEqual(trusted, office)) {
        fail(`the record is signed by key ${officeId.slice(0, 16)}…, not by the office's key ${keyId(trusted).slice(0, 16)}…`);
      }
      return `the record is signed by the office's key ${officeId.slice(0, 16)}…`;
    });
  }

  // The signatures are checked (most of the time before any recomputation): a pause, in which
  // a page can show the office key's fingerprint and the checks so far.
  yield { progress: { scope: null, done: 0, total: 0 }, report: partial(drawId, checker, extra) };

  const announce = events[0].event;
  const body = announce.body;
  const byKind = {};
  for (const e of events) (byKind[e.event.kind] ||= []).push(e.event);
  const v2 = announce.spec === V2;

  checker.run('announcement and entropy rule', () => {
    const announced = parseTime(announce.time);
    if (v2) checkAnnouncementMembers(body);
    for (const scope of body.scopes) {
      // (v1 too: membership spec v1, sections 5 and 9)
      checkMembershipEntry(scope);
      checkScoresEntry(scope);
    }
    const participants = new Set(body.participants.map((p) => p.id));
    for (const spec of body.sources) checkSource(spec, participants, announced);
    checkEntropy(body.sources);
    return `${body.scopes.length} scope(s), ${body.sources.length} source(s); every beacon is due after the announcement (${announce.time})`;
  });
  checker.run('commitments and reveals', () => commitReveal(drawId, body, events, v2));
  checker.run('order of the events', () => (v2 ? checkOrderV2(body, events) : checkOrderV1(events)));
  if (v2) {
    checker.run("participants' signed statements", () => statements(drawId, body, events, chain.hashes));
    if (byKind.timestamp) {
      checker.skip('timestamps', `the RFC 3161 timestamps are ${NOT_IN_PAGE}`);
    }
  }
  const values = byKind.randomness || [];
  checker.run('public randomness', () => publicValues(body, values));
  try {
    const made = publicRecordsCheck(body.sources, values, publicRecords);
    if (made) checker.add(PUBLIC_RECORDS, made.status, made.detail);
  } catch (err) {
    checker.add(PUBLIC_RECORDS, 'failed', err.message);
  }
  if (byKind.timestamp) {
    // A time-stamping authority can attest the announcement (spec v2, section 7.1): without
    // checking its token, this page cannot say who could have steered.
    checker.skip(STEERING, `with timestamps in the record, the analysis is ${NOT_IN_PAGE}`);
  } else {
    try {
      extra.steering = steeringOf(body, events, extra.announcement_hash);
      checker.add(STEERING, extra.steering.status, extra.steering.en);
    } catch (err) {
      checker.add(STEERING, 'failed', `the events cannot be analysed: ${err.message}`);
    }
  }

  if (byKind.abort) {
    checker.add(OUTCOME, 'failed', `${ABORTED}: ${byKind.abort[0].body.reason}; there is no draw`);
    return report(drawId, checker, extra);
  }
  const seeds = byKind.seed || [];
  let seed = null;
  const seeded = checker.run('seed', () => {
    if (seeds.length !== 1) fail('the record has no seed');
    const reveals = new Map((byKind.reveal || []).map((e) => [e.body.source, e.body]));
    const given = new Map(values.map((e) => [e.body.source, e.body]));
    const inputs = body.sources.map((spec) => {
      if (TAKES_VALUE[sourceType(spec)]) {
        if (!given.has(spec.id)) fail(`source ${show(spec.id)} has no value or reveal in the record`);
        return [spec.id, valueBytes(spec, given.get(spec.id).value).bytes];
      }
      if (!reveals.has(spec.id)) fail(`source ${show(spec.id)} has no value or reveal in the record`);
      return [spec.id, fromHex(reveals.get(spec.id).secret, `the secret of ${show(spec.id)}`)];
    });
    const expected = seedOf(events[0], inputs);
    if (toHex(expected) !== seeds[0].body.seed) fail(`the seed should be ${toHex(expected)}`);
    if (seeds[0].body.announcement !== extra.announcement_hash) fail('the seed event names another announcement');
    seed = expected;
    return `${toHex(expected)} recomputed from the announcement and ${inputs.length} source(s)`;
  });
  if (!seeded) return report(drawId, checker, extra);
  extra.seed = toHex(seed);
  const draws = byKind.draw || [];
  if (draws.length !== 1) {
    checker.add(OUTCOME, 'failed', 'the record has no draw yet');
    return report(drawId, checker, extra);
  }
  const results = draws[0].body.results;
  if (!Array.isArray(results) || show(results.map((r) => r.scope)) !== show(body.scopes.map((s) => s.scope))) {
    checker.add('draw', 'failed', 'results do not match the announced scopes');
    return report(drawId, checker, extra);
  }
  for (const [index, entry] of body.scopes.entries()) {
    const steps = checkScope(checker, entry, results[index], seed, populations[entry.scope], drawId);
    // each progress step, with the checks made so far
    for (let step = steps.next(); !step.done; ) {
      const value = step.value.progress ? { ...step.value, report: partial(drawId, checker, extra) } : step.value;
      step = steps.next(yield value);
    }
  }
  return report(drawId, checker, extra);
}

/** The names of the checks this page reports as not checked because it cannot make them yet. */
export function deferredChecks(report) {
  return report.checks.filter((c) => c.status === 'not checked' && c.detail.includes(NOT_IN_PAGE)).map((c) => c.name);
}
