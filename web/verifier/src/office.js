// The office's rules (rfb_policy, the Xicheng civil air defense office): what its publication
// adds to a fairdraw record, checked as `rfb verify` checks it (src/rfb_policy/publish/verify.py),
// with the same check names, in the same order:
//
// * the officers' scope is recomputed completely (the record ranks every officer, so it
//   publishes their whole list);
// * a rehearsal (a ceremony on a replayed clock) is never taken for a draw; a demonstration
//   (`rfb demo`) is said to be one, in a check of its own;
// * every aborted attempt the record replaces is published beside it, signed by the same key
//   and aborted; the chain of replaced attempts is walked once, and a loop in it fails;
// * the groups are the officers' published ranking filled by the announced rules
//   (src/rfb_policy/rules/groups.py), every drawn object is assigned once, and each went to the
//   group its turn in the `YYYY-MM/assignment` deal gives it, or a declared 回避 move says where.
//
// fairdraw's own page does not load this module: only the office's build (office-page.js).

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fromHex, shuffle } from './draw.js';
import { resultsChecks } from './results.js';
import {
  ABORTED,
  OUTCOME,
  STEERING,
  dueOf,
  parseTime,
  verdictOf,
  keyId,
  verifyRecord,
  verifyRecordAsync,
  verifySignature,
} from './record.js';

export const ASSIGNMENT_FORMAT = 'rfb-assignment/1';
export const PUBLIC_LISTS_FORMAT = 'rfb-public-lists/1';
export const DEMO_CHECK = 'demo';
export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'rfb-publication-manifest/1';
export const MANIFEST_TAG = 'rfb-publication-manifest';
/** The files of a publication its manifest does not list (verify.html carries the manifest). */
export const UNLISTED = new Set([MANIFEST_NAME, 'verify.html']);
export const CHECKPOINT_NAME = 'log-checkpoint.json';
export const CHECKPOINT_FORMAT = 'fairdraw/log-checkpoint/v1';
export const CHECKPOINT_TAG = 'log-checkpoint';
const MAX_GROUPS = 3;
const MIN_GROUP_SIZE = 2;
const MONTH = /^(\d{4})-(\d{2})$/;

class PolicyError extends Error {}

const show = (value) => JSON.stringify(value);

/** The month a scope starts with (`2026-12/MAINT/base` → `2026-12`), or null. */
export function monthOfScope(scope) {
  const head = String(scope).split('/', 1)[0];
  const match = MONTH.exec(head);
  if (!match || Number(match[1]) === 0 || Number(match[2]) < 1 || Number(match[2]) > 12) return null;
  return head;
}

/** A record read with the office's rules, or a reason it cannot be (the check "files"). */
export function readMonthRecord(raw) {
  const where = 'record.json';
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(raw)) return { problem: `${where}: not a JSON object` };
  for (const name of ['media_type', 'spec', 'draw_id', 'key_id', 'signature']) {
    if (typeof raw[name] !== 'string') return { problem: `${where}: the member ${name} is missing or not text` };
  }
  if (!Array.isArray(raw.events) || raw.events.length === 0) {
    return { problem: `${where}: the member events is missing or empty` };
  }
  for (const [i, e] of raw.events.entries()) {
    const event = isObject(e) ? e.event : null;
    if (!isObject(event) || typeof event.kind !== 'string' || !isObject(event.body) || typeof e.signature !== 'string') {
      return { problem: `${where}: event ${i} is malformed` };
    }
  }
  const body = raw.events[0].event.body;
  if (!Array.isArray(body.scopes) || !body.scopes.every((s) => isObject(s) && typeof s.scope === 'string')) {
    return { problem: `${where}: the announcement has no list of scopes` };
  }
  const month = body.scopes.map((s) => monthOfScope(s.scope)).find((m) => m !== null);
  if (!month) {
    return {
      problem: `${where}: ${raw.draw_id}：不是人防办的月度抽取记录 / this record is not a monthly draw of rfb (no YYYY-MM/ scope)`,
    };
  }
  return { record: raw, month, body, policy: isObject(body.policy) ? body.policy : {} };
}

function eventsOf(record, kind) {
  return record.events.map((e) => e.event).filter((e) => e.kind === kind);
}

function resultsOf(record) {
  const draw = eventsOf(record, 'draw')[0];
  return draw && Array.isArray(draw.body.results) ? draw.body.results : [];
}

/** The lists a record publishes whole: a scope whose every member is selected (the officers'). */
export function rankedEveryone(record) {
  const lists = {};
  for (const result of resultsOf(record)) {
    const size = result.population_size;
    if (Number.isInteger(size) && Array.isArray(result.selected) && result.selected.length === size) {
      lists[result.scope] = { labels: result.selected.map((p) => p.label), salt: '' };
    }
  }
  return lists;
}

// -- the groups and the deal (src/rfb_policy/rules/groups.py) ----------------------------------

function checkRules(groups, size) {
  if (!(groups >= 1 && groups <= MAX_GROUPS)) {
    throw new PolicyError(`a month has 1 to ${MAX_GROUPS} groups (3组以下), not ${groups}`);
  }
  if (!(size >= MIN_GROUP_SIZE)) {
    throw new PolicyError(`a group has at least ${MIN_GROUP_SIZE} officers (执法人员不得少于两人)`);
  }
}

function integer(text, fallback) {
  if (text === undefined) return fallback;
  const value = String(text).trim();
  if (!/^[+-]?\d+$/.test(value)) throw new PolicyError(`the record announces group rules that break R8: ${show(text)}`);
  return Number(value);
}

/** The announced group rules. */
export function groupRules(policy) {
  const rules = {
    groups: integer(policy.groups, 3),
    groupSize: integer(policy.group_size, 2),
    requireAPost: (policy.require_a_post ?? 'false') === 'true',
    aPosts: String(policy.a_posts ?? '').split(',').filter((c) => c),
  };
  if (!(rules.groups >= 1 && rules.groups <= MAX_GROUPS) || !(rules.groupSize >= MIN_GROUP_SIZE)) {
    throw new PolicyError('the record announces group rules that break R8');
  }
  return rules;
}

/** Fill the groups from the officers' ranking, as the announced rules say. */
export function groupsFromRanking(ranking, { groups, groupSize, requireAPost, aPosts }) {
  checkRules(groups, groupSize);
  if (ranking.length < groups * groupSize) {
    throw new PolicyError(`${ranking.length} officers cannot form ${groups} groups of ${groupSize}`);
  }
  const order = [...ranking];
  const members = Array.from({ length: groups }, () => []);
  if (requireAPost) {
    const leads = new Set(aPosts);
    for (const group of members) {
      const at = order.findIndex((c) => leads.has(c));
      if (at < 0) throw new PolicyError('not enough A岗 officers for one in every group');
      group.push(order.splice(at, 1)[0]);
    }
  }
  for (const group of members) while (group.length < groupSize) group.push(order.shift());
  return members.map((m, i) => ({ number: i + 1, members: m }));
}

/** What the office's rules make of a record: its groups, its drawn objects, the deal order. */
export function monthOutcome(month) {
  const { record, policy } = month;
  const results = resultsOf(record);
  if (!results.length) throw new PolicyError(`${record.draw_id}：记录中没有抽取结果 / the record has no draw`);
  const seeds = eventsOf(record, 'seed');
  if (!seeds.length) throw new PolicyError(`${month.month}：记录中没有种子 / the record has no seed`);
  const officers = `${month.month}/inspectors`;
  const ranked = results.find((r) => r.scope === officers);
  if (!ranked) {
    throw new PolicyError(`${month.month}：记录中没有执法人员排序 / the record has no scope ${officers}`);
  }
  const groups = groupsFromRanking(
    ranked.selected.map((p) => p.label),
    groupRules(policy),
  );
  const objects = [];
  const seen = new Set();
  for (const result of results) {
    if (result.scope === officers || !result.scope.startsWith(`${month.month}/`)) continue;
    for (const pick of result.selected) {
      if (!seen.has(pick.label)) objects.push(pick.label);
      seen.add(pick.label);
    }
  }
  const order = objects.length
    ? shuffle({ seed: seeds[0].body.seed, scope: `${month.month}/assignment`, labels: objects }).order.map((p) => p.label)
    : [];
  return { groups, objects, order };
}

/** The drawn objects, each once, in scope order (MonthRecord.objects). */
function drawnObjects(month) {
  const officers = `${month.month}/inspectors`;
  const objects = [];
  for (const result of resultsOf(month.record)) {
    if (result.scope === officers || !result.scope.startsWith(`${month.month}/`)) continue;
    for (const pick of result.selected ?? []) if (!objects.includes(pick.label)) objects.push(pick.label);
  }
  return objects;
}

function outcome(name, passed, detail) {
  return { name: `assignment.${name}`, status: passed ? 'passed' : 'failed', detail };
}

/** The checks of a published assignment.json against the month's record. */
export function checkAssignment(month, published, recusals = null) {
  try {
    return assignmentChecks(month, published, recusals);
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    return [outcome('format', false, `malformed: ${err.name}: ${err.message}`)];
  }
}

function assignmentChecks(month, published, recusals) {
  if (published === null || typeof published !== 'object' || published.format !== ASSIGNMENT_FORMAT) {
    return [outcome('format', false, `not an ${ASSIGNMENT_FORMAT} file`)];
  }
  if (published.draw_id !== month.record.draw_id) return [outcome('draw_id', false, 'the assignment names another draw')];
  if (published.month !== month.month) return [outcome('month', false, 'the assignment names another month')];
  let made;
  try {
    made = monthOutcome(month);
  } catch (err) {
    if (err instanceof PolicyError) return [outcome('record', false, err.message)];
    throw err;
  }
  const { groups, objects, order } = made;
  const listed = Array.isArray(published.groups) ? published.groups : [];
  const shown = listed.map((g) => [g.number ?? null, [...(g.members ?? [])]]);
  const expected = groups.map((g) => [g.number, g.members]);
  const sameGroups = show(shown) === show(expected);
  const checks = [
    outcome(
      'groups',
      sameGroups,
      sameGroups
        ? `${groups.length} group(s) of the published ranking under the announced rules`
        : `published ${show(shown)}, the record gives ${show(expected)}`,
    ),
  ];
  const where = new Map();
  const repeated = [];
  for (const group of listed) {
    for (const id of group.objects ?? []) {
      if (where.has(id)) repeated.push(id);
      where.set(id, Math.trunc(Number(group.number ?? 0)));
    }
  }
  const drawn = new Set(objects);
  const missing = objects.filter((id) => !where.has(id)).sort();
  const strangers = [...where.keys()].filter((id) => !drawn.has(id)).sort();
  const fine = !(missing.length || strangers.length || repeated.length);
  checks.push(
    outcome(
      'objects',
      fine,
      fine
        ? `each of the ${objects.length} drawn objects assigned once`
        : `missing ${show(missing.slice(0, 3))}, not drawn ${show(strangers.slice(0, 3))}, twice ${show(repeated.slice(0, 3))}`,
    ),
  );
  const moves = new Map();
  for (const move of published.moves ?? []) moves.set(move.object_id, [move.from_group, move.to_group]);
  const wrong = [];
  order.forEach((id, turn) => {
    const dealt = (turn % groups.length) + 1;
    const went = where.get(id);
    const declared = moves.get(id);
    const declaredRight = declared !== undefined && declared[0] === dealt && declared[1] === went;
    if ((went === dealt && declared !== undefined) || (went !== dealt && !declaredRight)) wrong.push(id);
  });
  checks.push(
    outcome(
      'deal',
      !wrong.length,
      !wrong.length
        ? `every object in its dealt group, ${moves.size} 回避 move(s) declared`
        : `objects away from their dealt group without a declared move: ${show(wrong.slice(0, 3))}`,
    ),
  );
  if (recusals !== null && recusals !== undefined) {
    // the office's own record of who recused (an auditors' copy): every move is one
    checks.push(movesCheck(moves, recusals, new Map(groups.map((g) => [g.number, g.members]))));
  } else if (moves.size) {
    // who recused, and why, is internal: the public sees only that a move is declared
    checks.push({
      name: 'assignment.moves',
      status: 'not checked',
      detail: `${moves.size} 回避 move(s) declared: who recused himself, and why, stays internal, so a real conflict of interest cannot be told from an invented one here`,
    });
  } else {
    checks.push(outcome('moves', true, 'no 回避 move: every object went where it was dealt'));
  }
  return checks;
}

function movesCheck(moves, recusals, members) {
  const recorded = new Map();
  for (const entry of recusals) {
    const officers = entry.officers || [];
    const group = members.get(entry.from_group) || [];
    if (!officers.length || !officers.every((o) => group.includes(o))) {
      return outcome('moves', false, `the recusal of ${entry.object_id} names no officer of group ${entry.from_group}`);
    }
    recorded.set(entry.object_id, [entry.from_group, entry.to_group]);
  }
  const same =
    recorded.size === moves.size && [...moves].every(([id, move]) => show(recorded.get(id)) === show(move));
  if (!same) return outcome('moves', false, 'the declared 回避 moves are not the ones the office recorded');
  return outcome(
    'moves',
    true,
    `${moves.size} 回避 move(s), each recorded with the officers of the dealt group who recused themselves (the office's internal records)`,
  );
}

// -- the replaced attempts ----------------------------------------------------------------------

function isAbortCheck(check) {
  return check.name === OUTCOME && String(check.detail).startsWith(ABORTED);
}

/** Whether an aborted ceremony was stopped once every value was known to the office (each
 * recorded, or a beacon or public record due at or before the abort): its outcome could then
 * have been seen. Null when not aborted or unreadable. */
export function outcomeKnownBeforeAbort(record) {
  try {
    const events = record.events.map((e) => e.event);
    const at = events.findIndex((e) => e.kind === 'abort');
    if (at < 0) return null;
    const aborted = parseTime(events[at].time);
    const recorded = new Set(
      events.slice(0, at).filter((e) => e.kind === 'reveal' || e.kind === 'randomness').map((e) => e.body.source),
    );
    return events[0].body.sources.every((spec) => {
      if (recorded.has(spec.id)) return true;
      const due = dueOf(spec);
      return due !== null && due <= aborted;
    });
  } catch {
    return null;
  }
}

function supersededChecks(month, superseded) {
  const checks = [];
  const seen = new Set([month.record.draw_id]);
  let current = month.record;
  for (;;) {
    const supersedes = current.events[0].event.body.supersedes;
    if (!supersedes || typeof supersedes !== 'object') break;
    const earlier = supersedes.draw_id;
    if (seen.has(earlier)) {
      checks.push({ name: 'supersedes', status: 'failed', detail: `the chain of replaced draws loops at ${earlier}` });
      break;
    }
    seen.add(earlier);
    const found = Object.hasOwn(superseded, earlier) ? superseded[earlier] : undefined;
    if (found === undefined) {
      checks.push({ name: 'supersedes', status: 'failed', detail: `replaces ${earlier}, not published here` });
      break;
    }
    const read = readMonthRecordLoosely(found);
    if (read) {
      checks.push({ name: 'supersedes', status: 'failed', detail: `replaces ${earlier}: ${read}` });
      break;
    }
    current = found;
    const report = verifyRecord(current, { publicKey: null });
    const aborted = report.checks.some(isAbortCheck);
    const otherFailures = report.checks.filter(
      (c) => c.status === 'failed' && !isAbortCheck(c) && c.name !== STEERING,
    );
    const fine =
      aborted &&
      !otherFailures.length &&
      eventsOf(current, 'abort').length > 0 &&
      current.key_id === month.record.key_id &&
      current.draw_id === earlier;
    const reason = eventsOf(current, 'abort')[0]?.body.reason ?? '';
    let detail = `replaces ${earlier}, published and aborted (${reason})`;
    if (outcomeKnownBeforeAbort(current)) {
      detail +=
        '; aborted once every value was known (recorded, or a beacon or lottery draw due by then): its outcome could have been seen';
    }
    checks.push({ name: 'supersedes', status: fine ? 'passed' : 'failed', detail });
  }
  checks.push({
    name: 'attempts',
    status: 'passed',
    detail: `${seen.size} attempt(s) this month, every one published: ${[...seen].sort().join(', ')}`,
  });
  return checks;
}

/** Why a replaced record cannot be read as a record at all, or null. */
function readMonthRecordLoosely(raw) {
  const read = readMonthRecord(raw);
  if (!read.problem) return null;
  return read.problem.includes('not a monthly draw') ? null : read.problem;
}

// -- the signed manifest (src/rfb_policy/publish/manifest.py) ---------------------------------

function manifestEntries(manifest) {
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== MANIFEST_FORMAT) {
    throw new Error(`not an ${MANIFEST_FORMAT} file`);
  }
  const found = new Map();
  for (const entry of manifest.files) {
    const name = String(entry.path);
    if (name.startsWith('/') || name.split('/').includes('..') || found.has(name)) {
      throw new Error(`the path ${show(name)} is not one file of the folder`);
    }
    if (typeof entry.sha256 !== 'string' || !Number.isInteger(entry.size)) throw new Error(`the entry of ${name} is malformed`);
    found.set(name, { sha256: entry.sha256, size: entry.size });
  }
  return found;
}

function base64Bytes(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The publication files a page was given: carried in base64 (`files`, the auditors' copy) or
 * dropped by the citizen (`fileBytes`), by path. */
function givenFiles(options) {
  const given = new Map();
  for (const [path, text] of Object.entries(options.files || {})) given.set(path, base64Bytes(text));
  for (const [path, bytes] of Object.entries(options.fileBytes || {})) given.set(path, bytes);
  return given;
}

/** The path a given file's name stands for: itself, or the one listed file of that base name. */
export function listedPath(entries, name) {
  if (entries.has(name)) return name;
  const base = name.split('/').pop();
  const matches = [...entries.keys()].filter((path) => path.split('/').pop() === base);
  return matches.length === 1 ? matches[0] : null;
}

/** The checks "manifest" and "manifest.files", as rfb verify makes them; a page checks the files
 * it was given (it cannot see the folder: a file the manifest does not list, rfb verify finds). */
export function manifestChecks(month, options) {
  const failed = (detail) => [{ name: 'manifest', status: 'failed', detail }];
  const manifest = options.manifest;
  if (manifest === undefined || manifest === null) {
    return failed(`no ${MANIFEST_NAME}: the publication's files cannot be checked`);
  }
  let entries;
  let signer;
  try {
    entries = manifestEntries(manifest);
    signer = fromHex(String(manifest.office_key.public_key), 'the manifest key');
    if (signer.length !== 32) throw new Error('the manifest key is not 32 bytes');
  } catch (err) {
    return failed(`${MANIFEST_NAME} is malformed: ${err.message}`);
  }
  if (manifest.draw_id !== month.record.draw_id || manifest.month !== month.month) {
    return failed(`${MANIFEST_NAME} is the manifest of another draw or month`);
  }
  const id = keyId(signer);
  if (id !== month.record.key_id) return failed(`${MANIFEST_NAME} is signed by another key than the record`);
  const { signature, ...body } = manifest;
  try {
    verifySignature(signer, MANIFEST_TAG, body, signature, `the ${MANIFEST_TAG} signature`);
  } catch (err) {
    return failed(`${MANIFEST_NAME}: ${err.message}`);
  }
  const checks = [
    { name: 'manifest', status: 'passed', detail: `${entries.size} file(s) listed, signed by key ${id.slice(0, 16)}… on ${manifest.published}` },
  ];
  const given = new Map();
  for (const [name, bytes] of givenFiles(options)) {
    const path = listedPath(entries, name);
    if (path) given.set(path, bytes);
  }
  const changed = [];
  for (const [path, bytes] of given) {
    const entry = entries.get(path);
    if (bytes.length !== entry.size || bytesToHex(sha256(bytes)) !== entry.sha256) changed.push(path);
  }
  const absent = [...entries.keys()].filter((path) => !given.has(path)).sort();
  // Given the whole folder (its manifest dropped with its files), the page knows what is
  // missing from it and what is in it unsigned, as rfb verify does.
  const folder = options.folderGiven === true;
  const unlisted = folder
    ? [...new Set((options.dropped || []).filter((name) => !UNLISTED.has(name.split('/').pop()) && !listedPath(entries, name)))].sort()
    : [];
  const problems = [
    ['changed since it was signed', changed.sort()],
    ['missing', folder ? absent : []],
    ['not in the manifest', unlisted],
  ].filter(([, names]) => names.length);
  if (problems.length) {
    checks.push({
      name: 'manifest.files',
      status: 'failed',
      detail: problems.map(([what, names]) => `${what}: ${names.join(', ')}`).join('; '),
    });
  } else if (absent.length) {
    checks.push({
      name: 'manifest.files',
      status: 'not checked',
      detail: `not given to this page: ${absent.join(', ')}; drop the publication's files here, or run rfb verify on its folder`,
    });
  } else {
    checks.push({ name: 'manifest.files', status: 'passed', detail: `all ${entries.size} file(s) as signed` });
  }
  return checks;
}

// -- the office's checkpoint of its audit log (src/rfb_policy/publish/log_checkpoint.py) -------

const HEX = /^[0-9a-f]+$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The check "log.checkpoint", as rfb verify makes it: signed by the record's key, taken after
 * the draw's last event, covering at least its events and their finalisation. */
export function logCheckpointCheck(month, options) {
  const name = 'log.checkpoint';
  const result = (passed, detail) => ({ name, status: passed ? 'passed' : 'failed', detail });
  const checkpoint = options.log_checkpoint;
  if (checkpoint === undefined || checkpoint === null) {
    return {
      name,
      status: 'not checked',
      detail: `no ${CHECKPOINT_NAME}: this publication carries no checkpoint of the office's audit log (published before rfb wrote one)`,
    };
  }
  const record = month.record;
  const events = record.events;
  const { signature, ...body } = checkpoint;
  const known = new Set(['format', 'size', 'head', 'time', 'key_id']);
  let office;
  try {
    if (checkpoint.format !== CHECKPOINT_FORMAT) throw new Error(`not a ${CHECKPOINT_FORMAT} checkpoint (member 'format')`);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length) throw new Error(`unknown members ${unknown.join(', ')}`);
    if (!Number.isInteger(checkpoint.size) || checkpoint.size < 0) throw new Error("member 'size' is a whole number ≥ 0");
    for (const [member, length] of [['head', 64], ['key_id', 64], ['signature', 128]]) {
      const value = checkpoint[member];
      if (typeof value !== 'string' || value.length !== length || !HEX.test(value)) {
        throw new Error(`a log checkpoint's ${member} is ${length} lower-case hex digits`);
      }
    }
    if (typeof checkpoint.time !== 'string' || !TIME.test(checkpoint.time)) throw new Error("member 'time' is not a time");
    office = fromHex(String(events[0].event.body.office_key.public_key), 'the office key');
  } catch (err) {
    return result(false, `${CHECKPOINT_NAME} cannot be read: ${err.message}`);
  }
  if (checkpoint.key_id !== record.key_id || keyId(office) !== checkpoint.key_id) {
    return result(false, `${CHECKPOINT_NAME} is signed by another key than the record`);
  }
  try {
    verifySignature(office, CHECKPOINT_TAG, body, signature, `the ${CHECKPOINT_TAG} signature`);
  } catch (err) {
    return result(false, `${CHECKPOINT_NAME}: ${err.message}`);
  }
  const last = String(events[events.length - 1].event.time);
  if (checkpoint.time < last) {
    return result(false, `${CHECKPOINT_NAME} was taken at ${checkpoint.time}, before the draw's last event (${last}): it cannot vouch for the entries that stored it`);
  }
  if (checkpoint.size < events.length + 1) {
    return result(false, `${CHECKPOINT_NAME} covers ${checkpoint.size} log entries, fewer than the record's ${events.length} events and their finalisation`);
  }
  return result(
    true,
    `signed by the record's key on ${checkpoint.time}: the office's audit log then had ${checkpoint.size} entries, the newest with hash ${checkpoint.head.slice(0, 16)}…, the draw's among them; the office and its auditors check that the log still extends it (fairdraw log verify --checkpoint ${CHECKPOINT_NAME})`,
  );
}

// -- the demonstration note (MonthRecord.demo_note) -------------------------------------------

export function demoNote(month, lang) {
  const events = month.record.events;
  const beacon = month.body.sources?.find?.((s) => s.type === 'drand');
  if (!beacon) {
    return lang === 'zh'
      ? '演示：虚构示例数据，时钟为回放时间，记录中的时间并非真实时间'
      : 'a demonstration on fictitious data, on a replayed clock: the times in the record are not real';
  }
  let minutes = 0;
  try {
    const announced = parseTime(events[0].event.time);
    const due = dueOf(beacon) ?? announced;
    minutes = Math.round((due - announced) / 60);
  } catch {
    minutes = 0;
  }
  return lang === 'zh'
    ? `演示：虚构示例数据；时钟回放至已记录的 drand ${beacon.chain} 第 ${beacon.round} 轮信标之前 ${minutes} 分钟，记录中的时间并非真实时间`
    : `a demonstration on fictitious data: its clock was replayed to ${minutes} minutes before the recorded drand ${beacon.chain} round ${beacon.round}, so the times in the record are not real`;
}

// -- the whole publication ---------------------------------------------------------------------

/**
 * Every check of an office's publication, as `rfb verify` makes them.
 *
 * @param {object} raw the record
 * @param {object} options as for verifyRecord, and
 * @param {object|null} [options.assignment] the published assignment.json (null: not given)
 * @param {Object<string, object>} [options.superseded] the replaced records by draw id
 */
export function verifyPublication(raw, options = {}) {
  const month = readMonthRecord(raw);
  if (month.problem) return unreadable(month);
  const populations = { ...rankedEveryone(raw), ...(options.populations || {}) };
  return withOfficeChecks(month, verifyRecord(raw, { ...options, populations }), options);
}

/** verifyPublication, pausing while it recomputes a scope (as verifyRecordAsync, whose
 * `onProgress` and `signal` it takes). */
export async function verifyPublicationAsync(raw, options = {}, progress = {}) {
  const month = readMonthRecord(raw);
  if (month.problem) return unreadable(month);
  const populations = { ...rankedEveryone(raw), ...(options.populations || {}) };
  const base = await verifyRecordAsync(raw, { ...options, populations }, progress);
  return withOfficeChecks(month, base, options);
}

function unreadable(month) {
  const checks = [{ name: 'files', status: 'failed', detail: month.problem }];
  return { draw_id: '', verdict: 'failed', checks, office_key_id: null, steering: null };
}

function withOfficeChecks(month, base, options) {
  const checks = [...base.checks];
  const failed = checks.some((c) => c.status === 'failed');
  checks.push(...manifestChecks(month, options));
  checks.push(logCheckpointCheck(month, options));
  if (month.policy.rehearsal === 'true') {
    checks.push({ name: 'rehearsal', status: 'failed', detail: 'a rehearsal with a replayed clock, not a draw' });
  }
  if (month.policy.demo === 'true') {
    checks.push({ name: DEMO_CHECK, status: 'passed', detail: `${demoNote(month, 'zh')} / ${demoNote(month, 'en')}` });
  }
  checks.push(...supersededChecks(month, options.superseded || {}));
  if (failed) {
    checks.push({ name: 'assignment', status: 'not checked', detail: 'the record itself does not verify' });
  } else if (options.assignment !== undefined && options.assignment !== null) {
    try {
      checks.push(...checkAssignment(month, options.assignment, options.recusals ?? null));
    } catch (err) {
      checks.push(outcome('record', false, err.message));
    }
  } else {
    checks.push({ name: 'assignment', status: 'not checked', detail: 'no assignment.json in this folder' });
  }
  const assignment = !failed && options.assignment !== null && typeof options.assignment === 'object' ? options.assignment : null;
  const given = new Map([...givenFiles(options)].map(([name, bytes]) => [name.split('/').pop(), bytes]));
  try {
    checks.push(
      ...resultsChecks(month, drawnObjects(month), options.results ?? null, given, assignment, options.folderGiven === true),
    );
  } catch (err) {
    const detail = `results.json is malformed: ${err.message}`;
    checks.push({ name: 'results.entries', status: 'failed', detail }, { name: 'results.files', status: 'not checked', detail });
  }
  return { ...base, checks, verdict: verdictOf(checks), demo: month.policy.demo === 'true' };
}
