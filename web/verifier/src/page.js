// The page: reads a record (embedded or loaded by the user), verifies it with record.js and
// says the verdict first, then each check in plain words. It makes no network request.

import { populationDigest } from './draw.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseStrictJson } from './jcs.js';
import { parsePublicKeyFile, verdictOf, verifyRecordAsync } from './record.js';
import { isKeyed } from './keyed.js';
import { checkReceiptForm, isReceipt } from './receipt.js';
import { renderReceipt } from './receipt-view.js';

const TEXT = {
  zh: {
    title: '抽签记录核验',
    keyTitle: '机关公钥指纹',
    checksTitle: '逐项检查',
    loadTitle: '载入文件',
    loadHelp:
      '把抽签记录（.json）、名单文件（每行一个）、机关公钥文件或名单回执拖到这里，或用下面的按钮选择。文件只在本机浏览器中读取，不会上传。',
    pickRecord: '抽签记录',
    pickReceipt: '名单回执',
    pickPopulations: '名单文件',
    pickKey: '机关公钥',
    footer: '本页离线运行，不联网。完整核验请使用 fairdraw verify。',
    toggle: 'English',
    none: '尚未载入抽签记录。请在下方选择或拖入记录文件。',
    checking: '正在核验……',
    recomputing: (scope, done, total) => `正在重算范围 ${scope}：${done} / ${total}`,
    broken: (why) => `本页核验时出错，未能得出结论：${why}`,
    pass: '此抽签记录的每一项检查都已通过，结果可以信任。',
    fail: (n) => `此抽签记录未通过核验：${n} 项检查失败。请不要信任它的结果。`,
    incomplete: (n) =>
      `没有发现错误，但有 ${n} 项检查未能完成，因此还不能确认此记录。`,
    confidentialOnly: (n) =>
      `没有发现错误：凡是公众能核验的各项都已通过。只有 ${n} 份涉密名单（按规定不予公开）的完整重算，须由机关或持有名单的审计人员完成，因此本页不能完全确认此记录。`,
    dropFiles:
      '公示文件尚未核对：请把下载的公示文件夹中的全部文件（含 manifest.json）拖到本页，即可逐一核对它们是否与机关签名时一致。',
    filesOnly: '没有发现错误。',
    keyGiven: '您提供的机关公钥与记录中签名所用的公钥一致。',
    keyEmbedded:
      '本页附带了一个机关公钥，但它和记录来自同一处，不能单独证明记录是真的。请把上面的指纹与机关在其网站或公告栏公布的公钥指纹逐组核对；一致时点击下面的按钮，或载入机关发布的公钥文件。',
    keyEmbeddedOther:
      '本页附带的公钥不是记录签名所用的公钥！请勿信任此页，向机关核实。',
    confirmKey: '指纹一致，我已核对',
    keyWhere: (where) => `本机关公布公钥指纹的位置：${where}`,
    audit: '本页为审计用副本，载有涉密名单及其盐值，只供本机关和审计人员使用，不得公开。',
    keyConfirmed: '您已核对指纹：记录由机关公布的公钥签名。',
    keyWrong: '您提供的机关公钥与记录中签名所用的公钥不一致！',
    keyMissing:
      '这是记录自己写明的签名公钥。记录内的公钥不能证明记录是真的：请把上面的指纹与机关公开发布的公钥指纹逐组核对，或载入机关发布的公钥文件。',
    passed: '通过',
    failed: '未通过',
    'not checked': '未检查',
    detail: '技术细节',
    badFile: (name, why) => `无法读取文件 ${name}：${why}`,
    assignTitle: (name, n) => `名单文件 ${name}（${n} 行）未能自动对应到某个范围：`,
    scope: '范围',
    salt: '盐值（保密名单，64 位十六进制）',
    apply: '应用',
    scopePrefix: '范围',
  },
  en: {
    title: 'Draw record verification',
    keyTitle: "Office key fingerprint",
    checksTitle: 'Each check',
    loadTitle: 'Load files',
    loadHelp:
      'Drop the draw record (.json), population files (one label per line), the office key file or a membership receipt here, or choose them below. Files are read in this browser only, never uploaded.',
    pickRecord: 'Draw record',
    pickReceipt: 'Membership receipt',
    pickPopulations: 'Population files',
    pickKey: 'Office public key',
    footer: 'This page works offline and makes no network request. For every check, use fairdraw verify.',
    toggle: '中文',
    none: 'No draw record loaded yet. Choose or drop a record file below.',
    checking: 'Checking…',
    recomputing: (scope, done, total) => `Recomputing scope ${scope}: ${done} / ${total}`,
    broken: (why) => `This page broke down while checking and reached no verdict: ${why}`,
    pass: 'Every check of this draw record passed: its result can be trusted.',
    fail: (n) => `This draw record failed verification: ${n} check(s) failed. Do not trust its result.`,
    incomplete: (n) =>
      `Nothing failed, but ${n} check(s) could not be made, so this record is not confirmed yet.`,
    confidentialOnly: (n) =>
      `Nothing failed: every check the public can make passed. Only the complete recomputation of ${n} confidential list(s) (not published, by the rules) is left to the office or an auditor holding them, so this page cannot fully confirm the record.`,
    dropFiles:
      " The publication's files are not checked yet: drop every file of the downloaded publication folder (manifest.json included) on this page to compare each with what the office signed.",
    filesOnly: 'Nothing failed so far.',
    keyGiven: 'The office key you gave is the key the record is signed with.',
    keyEmbedded:
      "This page carries an office key, but it comes from the same place as the record and cannot show by itself that the record is genuine. Compare the fingerprint above, group by group, with the one the office publishes on its website or notice board; if they match, press the button below, or load the office's published key file.",
    keyEmbeddedOther:
      'The key this page carries is NOT the key the record is signed with! Do not trust this page; ask the office.',
    confirmKey: 'The fingerprints match: I compared them',
    keyWhere: (where) => `Where the office publishes its key's fingerprint: ${where}`,
    audit: "An auditors' copy: it carries the confidential lists and their salts, for the office and its auditors only. Never publish it.",
    keyConfirmed: 'You compared the fingerprint: the record is signed with the key the office publishes.',
    keyWrong: 'The office key you gave is NOT the key the record is signed with!',
    keyMissing:
      "This is the key the record itself names. A key inside the record cannot show that the record is genuine: compare this fingerprint, group by group, with the one the office publishes, or load the office's published key file.",
    passed: 'passed',
    failed: 'failed',
    'not checked': 'not checked',
    detail: 'Technical detail',
    badFile: (name, why) => `Cannot read ${name}: ${why}`,
    assignTitle: (name, n) => `Population file ${name} (${n} lines) matches no scope by itself:`,
    scope: 'Scope',
    salt: 'Salt (confidential list, 64 hex digits)',
    apply: 'Apply',
    scopePrefix: 'scope',
  },
};

// Plain words for each check of the report, in both languages.
const CHECKS = {
  'record format': ['这是一份 fairdraw 抽签记录', 'This is a fairdraw draw record'],
  'event signatures and hash chain': [
    '每一步都由机关签名并前后相连：没有步骤被删改、插入或调换',
    'Every step is signed by the office and linked to the one before: none was removed, inserted or changed',
  ],
  'record signature': ['整份记录由机关签名', 'The whole record is signed by the office'],
  'office key': [
    '签名公钥就是机关公开发布的公钥',
    'The signing key is the key the office publishes',
  ],
  'announcement and entropy rule': [
    '抽签公告符合规则，随机来源足够',
    'The announcement follows the rules and its random sources are enough',
  ],
  'commitments and reveals': [
    '参与者先承诺秘密再公开，公开的秘密与承诺一致',
    'Participants committed to their secrets before revealing them, and each secret matches',
  ],
  'order of the events': ['各步骤按规定顺序进行', 'The steps came in the required order'],
  "participants' signed statements": [
    '参与者用自己的密钥签署的声明都有效',
    "Participants' statements signed with their own keys are valid",
  ],
  timestamps: ['时间戳机构的时间戳有效', "The time-stamping authority's timestamps are valid"],
  'public randomness': [
    '公开随机数（骰子、信标、公开开奖号码）有效且在应到时间之后记录',
    'The public random values (dice, beacons, public draws) are valid and recorded after they were due',
  ],
  'public records': [
    '记录中的公开开奖号码与发布方公布的一致',
    "The public record's numbers are the ones its publisher published",
  ],
  'who could have chosen the outcome': [
    '没有任何一方能够单独选定抽签结果',
    'No single party could have chosen the outcome',
  ],
  outcome: ['抽签已完成', 'The draw was completed'],
  seed: ['随机种子可由公告和各随机来源重新算出', 'The seed is recomputed from the announcement and every source'],
  draw: ['抽签结果对应公告的各个范围', "The results match the announced scopes"],
};

function describe(name, lang) {
  const index = lang === 'zh' ? 0 : 1;
  if (CHECKS[name]) return CHECKS[name][index];
  const theirs = state.plugin?.describe(name, lang);
  if (theirs) return theirs;
  const scoped = /^scope (.*): (published scores|complete recomputation)$/.exec(name);
  if (scoped) {
    const [, scope, what] = scoped;
    if (isKeyed(scopesOf(state.record).find((s) => s.scope === scope))) {
      // keyed scores (membership spec v1, section 9): the record holds no score
      if (what === 'published scores') {
        return lang === 'zh'
          ? `范围 ${scope}：分数以各成员的开启值为键，不予公布；公布的中选者、名次和人数都符合规则`
          : `Scope ${scope}: its scores are keyed by the members' openings and not published; the published picks, their ranks and their number follow the rules`;
      }
      return lang === 'zh'
        ? `范围 ${scope}：用完整名单及其盐值算出每个成员的开启值，重新抽签，结果完全相同（无人被漏掉或加入）`
        : `Scope ${scope}: each member's opening computed from the whole list and its salt, and drawn again: the result is identical (nobody left out or slipped in)`;
    }
    if (what === 'published scores') {
      return lang === 'zh'
        ? `范围 ${scope}：公布的每个中选者的分数、名次和界限都正确`
        : `Scope ${scope}: every published pick's score, rank and cut-off are right`;
    }
    return lang === 'zh'
      ? `范围 ${scope}：用完整名单重新抽签，结果完全相同（无人被漏掉或加入）`
      : `Scope ${scope}: drawn again from the whole list, the result is identical (nobody left out or slipped in)`;
  }
  return name;
}

export function fingerprintGroups(hex) {
  return hex.match(/.{1,4}/g).join(' ');
}

/** A label file (draw spec v1, section 13): UTF-8, LF or CRLF, optional final newline and BOM. */
export function parseLabelText(text) {
  let body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.endsWith('\n')) body = body.slice(0, -1);
  if (body === '') return [];
  return body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

const state = {
  plugin: null, // the office's rules (office-page.js), or null on fairdraw's own page
  extras: {}, // what else the page carries or was given: the plugin's files (assignment, …)
  lang: 'zh',
  record: null,
  publicKey: null,
  embeddedKey: null,
  keyConfirmed: false,
  populations: {},
  receipt: null, // a member's receipt (membership spec v1), checked against the record
  unassigned: [],
  problems: [],
};

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function scopesOf(record) {
  try {
    return record.events[0].event.body.scopes;
  } catch {
    return [];
  }
}

function assign(name, labels, salt = '') {
  const scopes = scopesOf(state.record);
  let digest = null;
  try {
    digest = populationDigest(labels, salt);
  } catch {
    digest = null;
  }
  const match = scopes.find((s) => s.population_digest === digest);
  if (match) {
    state.populations[match.scope] = { labels, salt, file: name };
    return true;
  }
  return false;
}

function reassign() {
  const waiting = state.unassigned;
  state.unassigned = [];
  for (const item of waiting) {
    if (!assign(item.name, item.labels, item.salt || '')) state.unassigned.push(item);
  }
}

let last = null; // the last report, and the record it is of
let running = null; // the verification under way: {controller, step (its last progress step)}

/** The report with the check "office key" passed once the citizen compared the fingerprint of
 * the key the page carries with the office's: only that check changes, the others stand. */
function compared(result) {
  if (!result || !state.keyConfirmed || state.publicKey || !state.embeddedKey) return result;
  if (embeddedKeyId() !== result.office_key_id) return result;
  const office = result.checks.find((c) => c.name === 'office key');
  if (!office || office.status !== 'not checked') return result;
  const checks = result.checks.map((c) =>
    c === office
      ? { name: c.name, status: 'passed', detail: `the record is signed by the key whose fingerprint you compared with the office's: ${result.office_key_id.slice(0, 16)}…` }
      : c,
  );
  return { ...result, checks, verdict: verdictOf(checks) };
}

/** Verify the record again (it, its lists or its key changed), showing how far it is. */
function render() {
  if (running) running.controller.abort();
  running = null;
  last = null;
  if (state.record) {
    const record = state.record;
    const mine = { controller: new AbortController(), step: null };
    running = mine;
    // The key the page carries is trusted once the citizen compared its fingerprint; a key that
    // is not the record's signer is a failure at once (the page contradicts its own record).
    const embedded = state.embeddedKey && (state.keyConfirmed || !signedWithEmbeddedKey(record));
    const options = {
      ...state.extras,
      publicKey: state.publicKey ?? (embedded ? state.embeddedKey : null),
      populations: state.populations,
    };
    const verify = state.plugin ? state.plugin.verifyAsync : verifyRecordAsync;
    verify(record, options, {
      signal: mine.controller.signal,
      onProgress: (step) => {
        mine.step = step;
        show();
      },
    }).then(
      (result) => done(mine, { record, report: result }),
      (err) => done(mine, { record, report: null, error: err?.message || String(err) }),
    );
  }
  show();
}

function done(run, outcome) {
  if (running !== run) return; // another verification took its place
  running = null;
  last = outcome;
  show();
}

/** Show the page as things are, in its language, without verifying anything again. */
function show() {
  const t = TEXT[state.lang];
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t.title} · fairdraw`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t[node.dataset.i18n];
  $('lang').textContent = t.toggle;
  $('lang').lang = state.lang === 'zh' ? 'en' : 'zh-CN';

  $('audit').hidden = state.extras.audit !== true;
  $('audit').textContent = t.audit;
  const verdict = $('verdict');
  $('checks').replaceChildren();
  window.fairdrawReport = null;
  if (running) {
    // the checks made so far, and how far the long one is
    const partial = compared(running.step?.report ?? null);
    renderProgress(verdict, running.step?.progress, t);
    if (partial) {
      renderChecks(partial, t);
      renderKey(partial, t);
    } else {
      $('key').hidden = true;
    }
  } else if (!state.record) {
    verdict.removeAttribute('aria-busy');
    verdict.dataset.status = 'incomplete';
    verdict.textContent = t.none;
    $('key').hidden = true;
  } else if (!last.report) {
    verdict.removeAttribute('aria-busy');
    verdict.dataset.status = 'incomplete';
    verdict.textContent = t.broken(last.error);
  } else {
    const result = compared(last.report);
    last.report = result;
    window.fairdrawReport = result;
    const failed = result.checks.filter((c) => c.status === 'failed').length;
    const open = result.checks.filter((c) => c.status === 'not checked').length;
    const status = { passed: 'pass', failed: 'fail', incomplete: 'incomplete' }[result.verdict];
    verdict.removeAttribute('aria-busy');
    verdict.dataset.status = status;
    const unchecked = result.checks.filter((c) => c.status === 'not checked');
    const confidential = unchecked.filter((c) => /a confidential list/.test(c.detail)).length;
    const files = unchecked.some((c) => c.name === 'manifest.files') ? 1 : 0;
    let sentence;
    if (status === 'pass') sentence = t.pass;
    else if (status === 'fail') sentence = t.fail(failed);
    else if (confidential + files === open) {
      // what is left is for the holders of the confidential lists, or the files beside the page
      sentence = (confidential ? t.confidentialOnly(confidential) : t.filesOnly) + (files ? t.dropFiles : '');
    } else sentence = t.incomplete(open);
    verdict.textContent = (state.plugin?.verdictPrefix(result, state.lang) ?? '') + sentence;
    renderChecks(result, t);
    renderKey(result, t);
  }
  renderReceipt($('member'), state.receipt, state.record, running ? null : recordChecks(last?.report), state.lang);
  renderProblems(t);
}

/** The report's checks of the record itself (fairdraw's), without the office's of its
 * publication: what a member's receipt check counts as its check "draw record". */
function recordChecks(report) {
  if (!report) return null;
  const own = (c) => CHECKS[c.name] || /^scope .*: (published scores|complete recomputation)$/.test(c.name);
  return { ...report, checks: report.checks.filter(own) };
}

/** 100000 → "100 000" (a no-break space between groups of three). */
function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+$)/g, '\u00a0');
}

/** The verdict's place while the checks run: what the page is doing, and how far it is. */
function renderProgress(verdict, progress, t) {
  verdict.dataset.status = 'running';
  verdict.setAttribute('aria-busy', 'true');
  if (!progress?.scope) {
    verdict.textContent = t.checking;
    return;
  }
  const bar = element('progress', { max: String(progress.total), value: String(progress.done) });
  verdict.replaceChildren(t.recomputing(progress.scope, grouped(progress.done), grouped(progress.total)), bar);
}

function renderChecks(result, t) {
  const checks = $('checks');
  for (const check of result.checks) {
    const css = check.status.replace(' ', '-');
    checks.append(
      element(
        'li',
        { 'data-status': check.status },
        element('span', { class: `status ${css}` }, `${t[check.status]}`),
        ' — ',
        check.name === 'who could have chosen the outcome' && result.steering
          ? `${describe(check.name, state.lang)}：${result.steering[state.lang]}`.replace(
              /：/,
              state.lang === 'zh' ? '：' : ': ',
            )
          : describe(check.name, state.lang),
        element(
          'details',
          {},
          element('summary', {}, t.detail),
          element('code', {}, `${check.name}: ${check.detail}`),
        ),
      ),
    );
  }
}

function renderKey(result, t) {
  const section = $('key');
  if (!result.office_key_id) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  $('fingerprint').textContent = fingerprintGroups(result.office_key_id);
  const where = typeof state.extras.key_notice === 'string' ? state.extras.key_notice : '';
  $('keyWhere').hidden = !where;
  $('keyWhere').textContent = where ? t.keyWhere(where) : '';
  const office = result.checks.find((c) => c.name === 'office key');
  const confirm = $('confirmKey');
  confirm.textContent = t.confirmKey;
  confirm.hidden = true;
  let note = t.keyMissing;
  if (!state.publicKey && state.embeddedKey && embeddedKeyId() !== result.office_key_id) {
    note = t.keyEmbeddedOther;
  } else if (office?.status === 'failed') note = t.keyWrong;
  else if (office?.status === 'passed') note = state.publicKey ? t.keyGiven : t.keyConfirmed;
  else if (state.embeddedKey) {
    note = t.keyEmbedded;
    confirm.hidden = false;
  }
  $('keyNote').textContent = note;
}

/** Whether the record's office key (the announcement's signer, as it names it) is the key the
 * page carries; true when the record names none (its own checks then fail). */
function signedWithEmbeddedKey(record) {
  const named = record?.key_id;
  return typeof named !== 'string' || named === embeddedKeyId();
}

function embeddedKeyId() {
  return bytesToHex(sha256(state.embeddedKey));
}

function renderProblems(t) {
  const box = $('assign');
  box.replaceChildren();
  for (const problem of state.problems) box.append(element('p', { class: 'failed' }, problem));
  const scopes = scopesOf(state.record);
  state.unassigned.forEach((item) => {
    const select = element('select', { 'aria-label': t.scope });
    for (const s of scopes) select.append(element('option', { value: s.scope }, s.scope));
    const salt = element('input', { type: 'text', 'aria-label': t.salt, placeholder: t.salt, spellcheck: 'false' });
    salt.value = item.salt || '';
    const apply = element('button', { type: 'button' }, t.apply);
    apply.addEventListener('click', () => {
      state.unassigned = state.unassigned.filter((x) => x !== item);
      state.populations[select.value] = { labels: item.labels, salt: salt.value.trim(), file: item.name };
      render();
    });
    box.append(
      element(
        'div',
        { class: 'row' },
        element('span', {}, t.assignTitle(item.name, item.labels.length)),
        element('label', {}, `${t.scope} `, select),
        element('label', {}, `${t.salt} `, salt),
        apply,
      ),
    );
  });
}

function takeText(name, text) {
  const t = TEXT[state.lang];
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let value;
    try {
      value = parseStrictJson(trimmed);
    } catch (err) {
      state.problems.push(t.badFile(name, err.message));
      return;
    }
    if (isReceipt(value)) {
      try {
        checkReceiptForm(value);
        state.receipt = value;
      } catch (err) {
        state.problems.push(t.badFile(name, err.message));
      }
      return;
    }
    if (state.plugin?.takeJson(value, name, state)) return;
    if (typeof value.media_type === 'string' && value.media_type.includes('draw-record')) {
      if (state.record && JSON.stringify(value) === JSON.stringify(state.record)) return; // the same
      state.record = value;
      state.populations = {};
      reassign();
    } else if (Array.isArray(value.labels)) {
      const item = { name, labels: value.labels, salt: value.salt || '' };
      if (value.scope && !value.salt) {
        state.populations[value.scope] = { labels: value.labels, salt: '', file: name };
      } else if (value.scope) {
        state.populations[value.scope] = { labels: value.labels, salt: value.salt, file: name };
      } else if (!state.record || !assign(name, item.labels, item.salt)) {
        state.unassigned.push(item);
      }
    } else {
      state.problems.push(t.badFile(name, 'not a draw record or a population'));
    }
    return;
  }
  if (trimmed.startsWith('-----BEGIN') || /^[0-9a-fA-F]{64}$/.test(trimmed)) {
    try {
      state.publicKey = parsePublicKeyFile(trimmed);
    } catch (err) {
      state.problems.push(t.badFile(name, err.message));
    }
    return;
  }
  const labels = parseLabelText(text);
  if (!state.record || !assign(name, labels)) state.unassigned.push({ name, labels, salt: '' });
}

async function takeFiles(files) {
  state.problems = [];
  const list = [...files];
  const buffers = await Promise.all(list.map((file) => file.arrayBuffer()));
  const utf8 = new TextDecoder();
  const order = list.map((file, i) => {
    const bytes = new Uint8Array(buffers[i]);
    return { name: file.webkitRelativePath || file.name, bytes, text: utf8.decode(bytes) };
  });
  // A manifest first (it names the publication's files), then the record, so that population
  // files can be matched to its scopes.
  const rank = ({ name, text }) => (/(^|\/)manifest\.json$/.test(name) ? 0 : text.includes('draw-record') ? 1 : 2);
  order.sort((a, b) => rank(a) - rank(b));
  for (const { name, bytes, text } of order) {
    if (!state.plugin?.takeBytes?.(name, bytes, text, state)) takeText(name, text);
  }
  reassign();
  render();
  window.fairdrawLoads = (window.fairdrawLoads || 0) + 1; // for automation: files taken
}

function readEmbedded() {
  const node = $('fairdraw-embedded');
  if (!node) return;
  let value;
  try {
    value = parseStrictJson(node.textContent || 'null');
  } catch (err) {
    state.problems.push(`embedded data: ${err.message}`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const { record, public_key: _key, populations: _lists, ...extras } = value;
  if (record) state.record = record;
  state.extras = extras;
  if (value.public_key) {
    try {
      state.embeddedKey = parsePublicKeyFile(value.public_key);
    } catch (err) {
      state.problems.push(`embedded key: ${err.message}`);
    }
  }
  for (const [scope, p] of Object.entries(value.populations || {})) {
    state.populations[scope] = Array.isArray(p)
      ? { labels: p, salt: '' }
      : { labels: p.labels, salt: p.salt || '' };
  }
}

/** Start the page; `plugin`: the office's rules (office-page.js), or none. */
export function start(plugin = null) {
  state.plugin = plugin;
  if (/^en\b/i.test(new URLSearchParams(location.search).get('lang') || '')) state.lang = 'en';
  readEmbedded();
  $('confirmKey').addEventListener('click', () => {
    state.keyConfirmed = true;
    // Only the office key's check changes (see compared): the report stands, or the one under
    // way will.
    if (running || (last?.report && embeddedKeyId() === last.report.office_key_id)) show();
    else render();
  });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    show(); // the same report, in other words
  });
  for (const id of ['recordFile', 'populationFiles', 'keyFile', 'receiptFile']) {
    $(id).addEventListener('change', (event) => takeFiles(event.target.files));
  }
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    takeFiles(event.dataTransfer.files);
  });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    if (event.target.closest && event.target.closest('#drop')) return;
    takeFiles(event.dataTransfer.files);
  });
  render();
}

