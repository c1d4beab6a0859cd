// The published results (results.json, rfb-published-results/1), checked as
// src/rfb_policy/publish/results.py checks them, with the same check names:
//
// * results.entries: each result entry is signed by the record's key and logs that very body,
//   as a result of this draw about the row's object; each row is the one its newest signed
//   result makes; the rows are the drawn objects, each once; a row's group and officers are
//   the ones assignment.json gives it;
// * results.files: every row of results.csv, results.xlsx and credit.json is the row of
//   results.json, and no row is missing or added.

import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson, canonicalText, parseStrictJson } from './jcs.js';
import { concat, fromHex, tag, toHex } from './draw.js';
import { keyId, verifySignature } from './record.js';
import { sheetRows } from './xlsx.js';

export const RESULTS_NAME = 'results.json';
export const RESULTS_FORMAT = 'rfb-published-results/1';
export const CREDIT_FORMAT = 'rfb-credit/2';
const RESULT_KIND = 'inspection.result';
const PENDING = '待报送';
const MOST = 5;
const MAX_AMOUNT = 2 ** 53 - 1;

/** The published columns (src/rfb_policy/publish/disclosure.py COLUMNS). */
export const COLUMNS = [
  ['id', '统一社会信用代码/编号'],
  ['name', '名称'],
  ['items', '抽查事项'],
  ['category', '检查结果'],
  ['findings', '检查情况'],
  ['handling', '处理情况'],
  ['penalty_decision', '处罚决定书文号'],
  ['penalty_amount', '罚款金额（元）'],
  ['inspected_on', '检查日期'],
  ['submission', '报送情况'],
  ['group', '检查组'],
  ['officers', '执法人员'],
];
const KEYS = COLUMNS.map(([key]) => key);
const TITLES = COLUMNS.map(([, title]) => title);
const titleOf = (key) => TITLES[KEYS.indexOf(key)];

/** The categories a stored result may hold (src/rfb_policy/model/results.py). */
const CATEGORIES = new Set([
  '未发现问题',
  '未发现开展本次抽查涉及的经营活动',
  '发现问题已责令改正',
  '发现问题待后续处理',
  '未按规定公示应当公示的信息',
  '公示信息隐瞒真实情况弄虚作假',
  '通过登记的住所（经营场所）无法联系',
  '不配合检查情节严重',
  '不配合检查',
  '无法联系',
  '未发现涉及本次抽查的情形',
]);

const show = (value) => JSON.stringify(value);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

class Unreadable extends Error {}

// -- a result's public fields (InspectionResult.from_json(body).public_fields()) ---------------

const WIDE = Object.fromEntries([...'０１２３４５６７８９，．－＋'].map((c, i) => [c, '0123456789,.-+'[i]]));

/** A fine as whole yuan (parse_amount), or null when the text is no amount. */
function parseAmount(text) {
  let t = [...String(text)].map((c) => WIDE[c] ?? c).join('').trim().replaceAll(' ', '');
  for (const prefix of ['¥', '￥']) if (t.startsWith(prefix)) t = t.slice(prefix.length);
  for (const suffix of ['元整', '元']) {
    if (t.endsWith(suffix)) {
      t = t.slice(0, -suffix.length);
      break;
    }
  }
  const match = /^([+-]?)([0-9][0-9,]*)(?:\.([0-9]+))?$/.exec(t);
  if (!match || !/^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$/.test(match[2])) return null;
  if (match[3] !== undefined && /[1-9]/.test(match[3])) return null;
  const amount = Number(match[2].replaceAll(',', ''));
  if ((match[1] === '-' && amount) || amount === 0 || amount > MAX_AMOUNT) return null;
  return amount;
}

function amountText(value) {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 1) throw new Unreadable(`the fine ${value} is no amount`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Unreadable(`the fine ${show(value)} is no amount`);
  const amount = parseAmount(value);
  return amount === null ? value : String(amount);
}

function dayText(value) {
  if (value === undefined || value === null || value === '') return '';
  const text = String(value);
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || day.getUTCMonth() !== Number(match[2]) - 1 || Number(match[1]) < 1) {
    throw new Unreadable(`${show(value)} is not a date`);
  }
  return text;
}

const text = (value) => (value === undefined || value === null ? '' : String(value));

/** What a publication shows of a stored result body. */
export function publicFields(body) {
  const category = text(body.category ?? '');
  if (!CATEGORIES.has(category)) throw new Unreadable(`${show(category)} is not a result category`);
  const inspected = dayText(body.inspected_on);
  const submitted = dayText(body.submitted_on);
  const due = dayText(body.due);
  const late = Boolean(submitted && due && submitted > due);
  const fields = {
    category,
    findings: text(body.findings ?? ''),
    handling: text(body.handling ?? ''),
    penalty_decision: text(body.penalty_decision ?? ''),
    penalty_amount: amountText(body.penalty_amount),
    inspected_on: inspected,
    submission: submitted ? (late ? '逾期报送' : '按期报送') : '',
  };
  const name = text(body.object_name ?? '');
  if (name) fields.name = name;
  return fields;
}

// -- a published document (fairdraw.read_published_document) ---------------------------------

/** A result logged under schema v1 (audit log spec §6): its hash is over the text beside it. */
function legacyDocument(entry, data, where) {
  const payload = entry.payload;
  const text = data.body_text;
  if (typeof text !== 'string' || !['draw_id', 'object_id', 'result_hash'].every((n) => typeof payload[n] === 'string')) {
    throw new Error(`${where}: a schema v1 result without its text or its hash`);
  }
  if (toHex(sha256(new TextEncoder().encode(text))) !== payload.result_hash) {
    throw new Error(`${where}: the text beside it is not the one it logged`);
  }
  let same = false;
  try {
    same = canonicalText(parseStrictJson(text)) === canonicalText(data.body);
  } catch {
    same = false;
  }
  if (!same) throw new Error(`${where}: the body beside it is not its logged text`);
  return { seq: entry.seq, kind: RESULT_KIND, subject: payload.object_id, drawId: payload.draw_id, body: data.body };
}

export function readPublishedDocument(data, signer, signerId) {
  if (!isObject(data) || !isObject(data.body) || !isObject(data.entry)) {
    throw new Error('not a published document: no entry, or no body beside it');
  }
  const entry = data.entry;
  if (!isObject(entry.payload) || typeof data.hash !== 'string' || typeof data.key_id !== 'string') {
    throw new Error('not an audit log entry');
  }
  const where = `audit log entry ${entry.seq}`;
  const plain = {
    seq: entry.seq,
    previous: entry.previous,
    time: entry.time,
    actor: entry.actor,
    kind: entry.kind,
    payload: entry.payload,
  };
  if (toHex(sha256(concat(tag('log'), canonicalJson(plain)))) !== data.hash) {
    throw new Error(`${where}: its content is not the one its hash was taken over`);
  }
  if (data.key_id !== signerId) throw new Error(`${where}: signed by another key`);
  verifySignature(signer, 'log', plain, data.signature, `${where}: the log signature`);
  const payload = entry.payload;
  if (entry.kind === RESULT_KIND) return legacyDocument(entry, data, where);
  if (entry.kind !== 'document' || !['kind', 'subject', 'body_hash'].every((n) => typeof payload[n] === 'string')) {
    throw new Error(`${where}: it logs no document`);
  }
  if (payload.draw_id !== null && payload.draw_id !== undefined && typeof payload.draw_id !== 'string') {
    throw new Error(`${where}: its draw id is not text`);
  }
  if (toHex(sha256(concat(tag('document'), canonicalJson(data.body)))) !== payload.body_hash) {
    throw new Error(`${where}: the body beside it is not the one it logged`);
  }
  return { seq: entry.seq, kind: payload.kind, subject: payload.subject, drawId: payload.draw_id ?? null, body: data.body };
}

// -- the checks ---------------------------------------------------------------------------------

const named = (problems) =>
  problems.slice(0, MOST).join('; ') + (problems.length > MOST ? `; and ${problems.length - MOST} more` : '');

function outcome(name, problems, passed) {
  return problems.length
    ? { name: `results.${name}`, status: 'failed', detail: named(problems) }
    : { name: `results.${name}`, status: 'passed', detail: passed };
}

function readRows(data, month) {
  if (!isObject(data) || data.format !== RESULTS_FORMAT) throw new Error(`not an ${RESULTS_FORMAT} file`);
  if (data.draw_id !== month.record.draw_id || data.month !== month.month) {
    throw new Error('the results of another draw or month');
  }
  if (!Array.isArray(data.rows)) throw new Error('no list of rows');
  return data.rows.map((item) => {
    const row = item?.row;
    if (!isObject(row) || show(Object.keys(row).sort()) !== show([...KEYS].sort())) {
      throw new Error(`a row without exactly the columns ${KEYS.join(', ')}`);
    }
    if (!Object.values(row).every((v) => typeof v === 'string')) throw new Error(`the row of ${show(row.id)} is not text`);
    if (!Array.isArray(item.signed)) throw new Error(`the row of ${show(row.id)} has no list of results`);
    return row;
  });
}

function signedOf(objectId, results, signer, signerId, drawId) {
  const documents = [];
  const problems = [];
  results.forEach((published, i) => {
    const position = i + 1;
    let document;
    try {
      document = readPublishedDocument(published, signer, signerId);
    } catch (err) {
      problems.push(`${objectId}: result ${position}: ${err.message}`);
      return;
    }
    if (document.kind !== RESULT_KIND || document.subject !== objectId) {
      problems.push(`${objectId}: result ${position} is not a result about it`);
    } else if (document.drawId !== drawId) {
      problems.push(`${objectId}: result ${position} is of another draw`);
    } else if (documents.length && !(document.seq > documents[documents.length - 1].seq)) {
      problems.push(`${objectId}: result ${position} was logged before the one above`);
    } else {
      documents.push(document);
    }
  });
  return { documents, problems };
}

function rowProblems(row, documents) {
  let made;
  if (!documents.length) {
    made = { category: PENDING, penalty_decision: '', penalty_amount: '' };
    for (const key of ['findings', 'handling', 'inspected_on', 'submission']) made[key] = '';
  } else {
    try {
      made = publicFields(documents[documents.length - 1].body);
    } catch (err) {
      return [`${row.id}: its latest result cannot be read: ${err.message}`];
    }
  }
  return Object.entries(made)
    .filter(([key, value]) => row[key] !== value)
    .map(([key, value]) => `${row.id}, ${titleOf(key)}: ${show(row[key])}, the signed result says ${show(value)}`);
}

function groupProblems(row, assignment) {
  if (!isObject(assignment) || !Array.isArray(assignment.groups ?? [])) return [];
  const groups = (assignment.groups ?? []).filter((g) => isObject(g) && Array.isArray(g.objects ?? []));
  if (groups.length !== (assignment.groups ?? []).length) return [];
  const group = groups.find((g) => (g.objects ?? []).includes(row.id));
  if (!group) return [];
  const name = `第${group.number}组`;
  const found = [];
  if (row.group !== name) found.push(`${row.id}, 检查组: ${show(row.group)}, assignment.json says ${show(name)}`);
  const certificates = [...row.officers.matchAll(/（([^（）]*)）/g)].map((m) => m[1]);
  if (show(certificates) !== show([...(group.members ?? [])])) {
    found.push(`${row.id}, 执法人员: not the members of ${name} in assignment.json`);
  }
  return found;
}

function entriesCheck(data, rows, month, drawn, assignment) {
  let signer;
  try {
    signer = fromHex(String(data.office_key.public_key), 'the results key');
    if (signer.length !== 32) throw new Error('not a 32-byte key');
  } catch (err) {
    return outcome('entries', [`${RESULTS_NAME}: no readable office key: ${err.message}`], '');
  }
  const signerId = keyId(signer);
  if (signerId !== month.record.key_id) {
    return outcome('entries', [`${RESULTS_NAME} names another key than the record`], '');
  }
  const ids = rows.map((r) => r.id);
  const problems = [
    ...drawn.filter((id) => !ids.includes(id)).map((id) => `${id}: drawn, but no row`),
    ...ids.filter((id) => !drawn.includes(id)).map((id) => `${id}: a row, but not drawn`),
    ...[...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))].sort().map((id) => `${id}: more than one row`),
  ];
  let signed = 0;
  let corrected = 0;
  let pending = 0;
  rows.forEach((row, i) => {
    const { documents, problems: found } = signedOf(row.id, data.rows[i].signed, signer, signerId, month.record.draw_id);
    problems.push(...found);
    if (found.length) return;
    signed += documents.length;
    corrected += documents.length > 1 ? 1 : 0;
    pending += documents.length ? 0 : 1;
    problems.push(...rowProblems(row, documents), ...groupProblems(row, assignment));
  });
  return outcome(
    'entries',
    problems,
    `each of the ${rows.length} row(s) is the one its newest signed result makes (${signed} result(s) signed by key ${signerId.slice(0, 16)}…; ${corrected} object(s) with a correction; ${pending} ${PENDING})`,
  );
}

/** A CSV file's records (RFC 4180, as Python's csv module writes and reads them). */
function csvTable(source) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      started = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
      started = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && source[i + 1] === '\n') i += 1;
      if (started || field !== '' || record.length) records.push([...record, field]);
      else records.push([]);
      record = [];
      field = '';
      started = false;
    } else {
      field += c;
      started = true;
    }
  }
  if (started || field !== '' || record.length) records.push([...record, field]);
  return records;
}

function table(records) {
  if (!records.length || show(records[0]) !== show(TITLES)) throw new Error(`the header is not ${TITLES.join(', ')}`);
  return records.slice(1).map((cells, i) => {
    if (cells.length !== KEYS.length) throw new Error(`row ${i + 2} has ${cells.length} cells, not ${KEYS.length}`);
    return Object.fromEntries(KEYS.map((key, k) => [key, cells[k]]));
  });
}

const DECODE = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const CREDIT = {
  unified_social_credit_code: 'id',
  name: 'name',
  result: 'category',
  findings: 'findings',
  handling: 'handling',
  penalty_decision: 'penalty_decision',
  penalty_amount: 'penalty_amount',
  inspected_on: 'inspected_on',
};

function creditRows(bytes) {
  const data = parseStrictJson(DECODE.decode(bytes));
  if (!isObject(data) || data.format !== CREDIT_FORMAT) throw new Error(`not an ${CREDIT_FORMAT} file`);
  return data.entries.map((entry) => {
    if (show(Object.keys(entry).sort()) !== show(Object.keys(CREDIT).sort())) {
      throw new Error(`an entry without exactly the members ${Object.keys(CREDIT).join(', ')}`);
    }
    const amount = entry.penalty_amount;
    if (amount !== null && typeof amount !== 'number' && typeof amount !== 'string') {
      throw new Error(`the penalty amount of ${show(entry.unified_social_credit_code)}`);
    }
    return Object.fromEntries(Object.entries(CREDIT).map(([member, key]) => [key, entry[member] === null ? '' : String(entry[member])]));
  });
}

const READERS = [
  ['results.csv', (bytes) => table(csvTable(DECODE.decode(bytes)))],
  ['results.xlsx', (bytes) => table(sheetRows(bytes))],
  ['credit.json', creditRows],
];

// The check character of a 统一社会信用代码 (GB 32100-2015; src/rfb_policy/model/directory.py).
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isValidUscc(code) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const total = WEIGHTS.reduce((sum, w, i) => sum + USCC.indexOf(code[i]) * w, 0);
  return USCC[(31 - (total % 31)) % 31] === code[17];
}

function compare(name, found, expected, credit) {
  const wanted = new Map([...expected].filter(([id]) => !credit || isValidUscc(id)));
  const problems = [];
  const seen = new Set();
  for (const row of found) {
    const id = row.id ?? '';
    if (!wanted.has(id) || seen.has(id)) {
      problems.push(`${name}: a row for ${show(id)} that ${RESULTS_NAME} does not have`);
      continue;
    }
    seen.add(id);
    for (const [key, value] of Object.entries(row)) {
      if (value !== wanted.get(id)[key]) {
        problems.push(`${name}, ${id}, ${titleOf(key)}: ${show(value)}, ${RESULTS_NAME} says ${show(wanted.get(id)[key])}`);
      }
    }
  }
  for (const id of wanted.keys()) if (!seen.has(id)) problems.push(`${name}: no row for ${id}`);
  return problems;
}

function filesCheck(rows, given, folderGiven) {
  const expected = new Map(rows.map((r) => [r.id, r]));
  const problems = [];
  const absent = [];
  for (const [name, read] of READERS) {
    const bytes = given.get(name);
    if (bytes === undefined) {
      if (folderGiven) problems.push(`${name}: cannot be read: not in the folder`);
      else absent.push(name);
      continue;
    }
    let found;
    try {
      found = read(bytes);
    } catch (err) {
      problems.push(`${name}: cannot be read: ${err.message}`);
      continue;
    }
    problems.push(...compare(name, found, expected, name === 'credit.json'));
  }
  if (!problems.length && absent.length) {
    return {
      name: 'results.files',
      status: 'not checked',
      detail: `not given to this page: ${absent.join(', ')}; drop the publication's files here, or run rfb verify on its folder`,
    };
  }
  return outcome('files', problems, `results.csv, results.xlsx and credit.json: every row as in ${RESULTS_NAME} (${rows.length} row(s))`);
}

/**
 * The checks results.entries and results.files.
 *
 * @param {object} month the record read with the office's rules
 * @param {string[]} drawn the drawn objects, each once
 * @param {object|null} results the published results.json (null: not given)
 * @param {Map<string, Uint8Array>} given the publication's files given to the page, by path
 * @param {object|null} assignment the published assignment.json
 * @param {boolean} folderGiven whether the whole folder was given (a missing file is missing)
 */
export function resultsChecks(month, drawn, results, given, assignment, folderGiven) {
  const none = (detail) => [
    { name: 'results.entries', status: 'not checked', detail },
    { name: 'results.files', status: 'not checked', detail },
  ];
  let data = results;
  if (given.has(RESULTS_NAME)) {
    try {
      data = parseStrictJson(DECODE.decode(given.get(RESULTS_NAME)));
    } catch (err) {
      const detail = `${RESULTS_NAME} is malformed: ${err.message}`;
      return [{ name: 'results.entries', status: 'failed', detail }, { name: 'results.files', status: 'not checked', detail }];
    }
  }
  if (data === null || data === undefined) {
    return none(
      folderGiven
        ? `no ${RESULTS_NAME}: the published results cannot be checked against signed ones`
        : `${RESULTS_NAME} was not given to this page`,
    );
  }
  let rows;
  try {
    rows = readRows(data, month);
  } catch (err) {
    const detail = `${RESULTS_NAME} is malformed: ${err.message}`;
    return [{ name: 'results.entries', status: 'failed', detail }, { name: 'results.files', status: 'not checked', detail }];
  }
  return [entriesCheck(data, rows, month, drawn, assignment), filesCheck(rows, given, folderGiven)];
}

