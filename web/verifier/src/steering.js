// Who could have chosen the outcome (ceremony spec v2, section 7): the record turned into the
// model of section 7.1, and the rule of section 7.2 applied as recorded and as attested (7.3).

import {
  announcedKeys,
  checkStatementSignature,
  checkWitness,
  controllersOf,
  dueOf,
  parseTime,
  sourceClass,
  V2,
} from './record.js';

const OFFICE = 'office';
const NEG_INF = [-Infinity, -1, -1];
const LATER = [Infinity, 2, 0];
export const MAX_PARTIES = 20;
const OUTSIDE_NAMES = {
  drand: ['drand 网络', 'the drand network'],
  nist: ['美国国家标准与技术研究院（NIST）随机信标', 'the NIST Randomness Beacon'],
};

function compare(a, b) {
  for (let i = 0; i < 3; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

const before = (a, b) => compare(a, b) < 0;
const later = (a, b) => (compare(a, b) >= 0 ? a : b);

function momentOf(signedEvent) {
  const { time, sequence } = signedEvent.event;
  return [parseTime(time), 1, sequence];
}

/** Every party with its name [Chinese, English], in display order. */
export function partyNames(body) {
  const office = String(body.office ?? OFFICE);
  const names = new Map([[OFFICE, [office, office]]]);
  for (const entry of body.participants || []) {
    if (entry.id === OFFICE) continue;
    const label = String(entry.name || entry.role || entry.id);
    const where = entry.organisation;
    names.set(entry.id, where ? [`${label}（${where}）`, `${label} (${where})`] : [label, label]);
  }
  for (const spec of body.sources || []) {
    for (const party of controllersOf(spec, new Set())) {
      if (!names.has(party)) names.set(party, OUTSIDE_NAMES[party] || [party, party]);
    }
  }
  return names;
}

function model(body, events, rerun, v2) {
  const keyed = v2 ? new Set(announcedKeys(body.participants).keys()) : new Set();
  const parties = [...partyNames(body).keys()];
  const bySource = new Map();
  const lastPart = new Map([[OFFICE, LATER]]);
  for (const signedEvent of events.slice(1)) {
    const { kind, body: content } = signedEvent.event;
    const moment = momentOf(signedEvent);
    if (content && typeof content === 'object' && 'source' in content) {
      if (!bySource.has(content.source)) bySource.set(content.source, {});
      bySource.get(content.source)[kind] = moment;
    }
    const who = content?.participant;
    if (typeof who === 'string') lastPart.set(who, later(lastPart.get(who) || NEG_INF, moment));
    if (kind === 'draw' || kind === 'abort') lastPart.set(OFFICE, moment);
  }
  const first = momentOf(events[0]);
  const values = [
    { id: 'announcement', controllers: new Set([OFFICE]), fixed: first, knowers: [[new Set(), first]] },
  ];
  for (const spec of body.sources) {
    const controllers = new Set(controllersOf(spec, keyed));
    const steps = bySource.get(spec.id) || {};
    const kind = sourceClass(spec);
    if (kind === 'beacon') {
      const due = [dueOf(spec), 0, 0];
      for (const party of controllers) lastPart.set(party, due);
      const knowers = [[new Set(), due]];
      if (rerun) knowers.push([rerun, NEG_INF]);
      values.push({ id: spec.id, controllers, fixed: spec.type === 'drand' ? NEG_INF : due, knowers });
      continue;
    }
    let fixed;
    let learned;
    if (kind === 'secret') {
      fixed = steps.commit || LATER;
      learned = steps.reveal || LATER;
    } else {
      fixed = steps.randomness || LATER;
      learned = fixed;
    }
    for (const party of controllers) {
      if (party !== OFFICE && !lastPart.has(party)) lastPart.set(party, fixed);
    }
    values.push({ id: spec.id, controllers, fixed, knowers: [[new Set([OFFICE]), learned]] });
  }
  return { parties, values, lastPart };
}

function subset(a, b) {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function knows(group, value, moment) {
  for (const c of value.controllers) if (group.has(c)) return true;
  return value.knowers.some(([parties, since]) => subset(parties, group) && before(since, moment));
}

function canChoose(m, group) {
  return m.values.some((chosen, index) => {
    if (![...chosen.controllers].some((c) => group.has(c))) return false;
    return m.values.every((value, other) => other === index || knows(group, value, chosen.fixed));
  });
}

function* combinations(items, size, start = 0, prefix = []) {
  if (prefix.length === size) {
    yield prefix;
    return;
  }
  for (let i = start; i <= items.length - (size - prefix.length); i++) {
    yield* combinations(items, size, i + 1, [...prefix, items[i]]);
  }
}

function analyse(m) {
  if (m.parties.length > MAX_PARTIES) {
    throw new Error(`the record has ${m.parties.length} parties; at most ${MAX_PARTIES} are analysed`);
  }
  const found = [];
  for (let size = 1; size <= m.parties.length; size++) {
    for (const members of combinations(m.parties, size)) {
      const group = new Set(members);
      if (!found.some((smaller) => subset(smaller, group)) && canChoose(m, group)) found.push(group);
    }
  }
  const order = (group) => m.parties.filter((p) => group.has(p));
  const coalitions = found.map(order);
  return {
    coalitions,
    alone: m.parties.filter((p) => coalitions.some((c) => c.length === 1 && c[0] === p)),
    abortAfterSeeing: m.parties.filter(
      (p) => m.lastPart.has(p) && m.values.every((v) => knows(new Set([p]), v, m.lastPart.get(p))),
    ),
  };
}

function attesters(body, events) {
  const dues = body.sources.map(dueOf).filter((d) => d !== null);
  const announced = parseTime(events[0].event.time);
  const keys = announcedKeys(body.participants);
  const drawId = String(events[0].event.draw_id);
  const found = [];
  for (const signedEvent of events) {
    const { kind, body: content, time } = signedEvent.event;
    if (kind !== 'witness') continue;
    try {
      checkStatementSignature('witness', drawId, content, keys);
      checkWitness(content, events.slice(0, 1), parseTime(time));
    } catch {
      continue; // only a witness whose own signature holds attests anything
    }
    const seen = parseTime(content.time);
    if (announced <= seen && dues.every((due) => seen < due)) found.push(String(content.participant));
  }
  return [...new Set(found)];
}

function formatTime(seconds) {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/** The analysis of a record's events: {status, coalitions, as_recorded, alone,
 * abort_after_seeing, witnesses, parties, announcement, first_beacon, en, zh}. */
export function steeringOf(body, events, announcementHash) {
  const names = partyNames(body);
  const witnesses = attesters(body, events);
  const v2 = events[0].event.spec === V2;
  const recorded = analyse(model(body, events, null, v2));
  const attested = analyse(model(body, events, new Set([OFFICE, ...witnesses]), v2));
  let status = 'passed';
  let shown = attested.coalitions;
  if (recorded.alone.length) {
    status = 'failed';
    shown = recorded.coalitions;
  } else if (attested.alone.length) {
    status = 'not checked';
  }
  const beacons = body.sources
    .map((s) => [dueOf(s), s.id])
    .filter(([due]) => due !== null)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const result = {
    status,
    coalitions: shown,
    as_recorded: recorded.coalitions,
    alone: status === 'failed' ? recorded.alone : attested.alone,
    abort_after_seeing: attested.abortAfterSeeing,
    witnesses,
    parties: Object.fromEntries([...names].map(([p, [zh, en]]) => [p, { zh, en }])),
    announcement: announcementHash,
    first_beacon: beacons.length ? { id: beacons[0][1], due: formatTime(beacons[0][0]) } : null,
    single_party_reason: body.single_party_reason ?? null,
  };
  result.en = sentence(result, 'en');
  result.zh = sentence(result, 'zh');
  return result;
}

export function sentence(s, lang) {
  const zh = lang === 'zh';
  const name = (p) => (s.parties[p] ? s.parties[p][zh ? 'zh' : 'en'] : p);
  const sep = zh ? '、' : ', ';
  const group = (members) => members.map(name).join(sep);
  const groups = (list) => list.map(group).join(zh ? '；或 ' : '; or ');
  if (s.status === 'failed') {
    const who = s.alone.map(name).join(sep);
    let text = zh
      ? `计算无误，但${who}一方即可决定本次抽取的结果。`
      : `The arithmetic is correct, but ${who} alone could have chosen the result.`;
    if (s.single_party_reason) {
      text += zh ? `机关说明的理由：${s.single_party_reason}` : ` The office's reason: ${s.single_party_reason}`;
    }
    return text;
  }
  if (s.status === 'not checked') {
    const beacon = s.first_beacon ? s.first_beacon.id : '?';
    const due = s.first_beacon ? s.first_beacon.due : '?';
    return zh
      ? `若公告确在外部随机值 ${beacon}（${due}）产生之前发布，要左右本次抽取须以下各方共谋：${groups(s.as_recorded)}。` +
          `但记录中只有本机关自己的时间能证明这一点，没有见证人签名：若公告是在其产生之后才作出的，本机关一方即可决定结果。` +
          `请将公告摘要 ${s.announcement} 与机关在 ${due} 之前公布的摘要核对。`
      : `If the announcement was made before the outside value ${beacon} (due ${due}), choosing ` +
          `this draw's outcome needed these to collude: ${groups(s.as_recorded)}. But only the ` +
          "office's own clock shows that, and no witness signed it: had it announced after that " +
          `value, the office alone could have chosen the result. Compare the announcement hash ` +
          `${s.announcement} with the one the office published before ${due}.`;
  }
  let text = zh
    ? `要左右本次抽取，须以下各方共谋：${groups(s.coalitions)}。`
    : `To choose this draw's outcome, these would have had to collude: ${groups(s.coalitions)}.`;
  if (s.abort_after_seeing.length) {
    const who = group(s.abort_after_seeing);
    text += zh
      ? `${who}可在看到结果后中止仪式，但中止会被记录，重新抽取须在新公告中注明。`
      : ` ${who} could have stopped the ceremony after seeing the outcome; an abort is recorded, and a new draw must name it.`;
  }
  return text;
}
