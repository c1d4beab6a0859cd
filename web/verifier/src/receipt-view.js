// The page's section for a member's receipt (membership spec v1, section 7): dropped beside the
// record, it is checked as `fairdraw check-member` checks it, and said in plain words.

import { isKeyed } from './keyed.js';
import { checkReceipt } from './receipt.js';

const WORDS = {
  zh: {
    title: '名单回执核验',
    noRecord: '请先载入抽签记录，再核验回执。',
    pass: '回执核验通过：',
    fail: '回执核验未通过：请不要据此相信本单位的抽签结果。',
    incomplete: '回执没有发现错误，但抽签记录还有检查未能完成（见上）：',
    checks: {
      'draw record': '抽签记录本身的各项检查（完整名单重算除外）',
      'receipt signature': '回执由签署记录的机关密钥签名',
      "receipt's draw": '回执属于这次抽签、这个范围，成员树就是公告的那棵',
      membership: '本单位在种子产生之前承诺的名单中',
      'drawn or not drawn': '是否被抽中，可由分数和分界推出',
    },
    score: '本单位在公布的种子下的分数：',
    exactCut: (rank) => `分界：最后一个被抽中者（第 ${rank} 名）的分数：`,
    rateCut: (rate) => `分界：比例 ${rate}，分数低于此数即被抽中：`,
    selected: (rank, k) => `被抽中：分数在被抽中的 ${k} 个中排第 ${rank} 名。`,
    alternate: (rank) => `未被抽中，为第 ${rank} 名候补：分数高于最后一个被抽中者。`,
    notSelectedExact: (k) => `未被抽中：分数高于最后一个被抽中者，被抽中的 ${k} 个分数都更低。`,
    selectedRate: '被抽中：分数低于比例分界。',
    notSelectedRate: '未被抽中：分数不低于比例分界。',
    nobody: '未被抽中：本范围不抽取任何对象。',
    keyed: '本范围的分数以各成员的开启值为键，公开的抽签记录中没有分数：本单位的分数和分界只能由本回执算出，分界由回执所附的被抽中者（及候补）的开启值和成员树路径证明。',
    detail: '技术细节',
    passed: '通过',
    failed: '未通过',
    'not checked': '未检查',
  },
  en: {
    title: 'Membership receipt',
    noRecord: 'Load the draw record first, then the receipt.',
    pass: 'The receipt checks out: ',
    fail: "The receipt does NOT check out: do not trust this draw's outcome for your business.",
    incomplete: 'Nothing failed in the receipt, but some checks of the record could not be made (above): ',
    checks: {
      'draw record': "The record's own checks (but the complete recomputation of the lists)",
      'receipt signature': "The receipt is signed with the record's office key",
      "receipt's draw": 'The receipt is of this draw and scope, and its tree is the announced one',
      membership: 'Your business is in the list committed before the seed existed',
      'drawn or not drawn': 'Being drawn or not follows from the scores and the cut-off',
    },
    score: 'Your score under the published seed: ',
    exactCut: (rank) => `Cut-off: the last drawn (rank ${rank}) scored `,
    rateCut: (rate) => `Cut-off: rate ${rate}, drawn if the score is below `,
    selected: (rank, k) => `Drawn: your score ranks ${rank} of the ${k} drawn.`,
    alternate: (rank) => `Not drawn, alternate ${rank}: your score is above the last drawn's.`,
    notSelectedExact: (k) => `Not drawn: your score is above the last drawn's; the ${k} drawn all scored lower.`,
    selectedRate: "Drawn: your score is below the rate's cut-off.",
    notSelectedRate: "Not drawn: your score is not below the rate's cut-off.",
    nobody: 'Not drawn: this scope draws nobody.',
    keyed: "This scope's scores are keyed by the members' openings: the public record holds no score. Your score and the cut-off are computed from this receipt alone; the cut-off is shown by the openings and tree paths of the drawn (and alternate) members the receipt carries.",
    detail: 'Technical detail',
    passed: 'passed',
    failed: 'failed',
    'not checked': 'not checked',
  },
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function sentence(found, w) {
  const cut = found.cutoff;
  if (!cut) return '';
  if (cut.mode === 'rate') return found.outcome === 'selected' ? w.selectedRate : w.notSelectedRate;
  if (found.outcome === 'selected') return w.selected(found.rank, cut.k);
  if (found.outcome === 'alternate') return w.alternate(found.rank);
  return cut.score ? w.notSelectedExact(cut.k) : w.nobody;
}

/**
 * Show the receipt's section: hidden without a receipt; the receipt checked against `record`
 * once its `report` is made. Sets `window.fairdrawMember` to the result (for automation).
 */
export function renderReceipt(section, receipt, record, report, lang) {
  const w = WORDS[lang];
  section.replaceChildren(el('h2', {}, w.title));
  window.fairdrawMember = null;
  section.hidden = !receipt; // the load section's help says a receipt can be dropped
  if (!receipt) return;
  if (!record || !report) {
    section.append(el('p', {}, w.noRecord));
    return;
  }
  const found = checkReceipt(receipt, record, { report });
  window.fairdrawMember = found;
  const head = { passed: w.pass, failed: w.fail, incomplete: w.incomplete }[found.verdict];
  const status = { passed: 'pass', failed: 'fail', incomplete: 'incomplete' }[found.verdict];
  const words = found.verdict === 'failed' ? '' : sentence(found, w);
  section.append(el('p', { id: 'memberVerdict', 'data-status': status }, `${receipt.label} · ${receipt.scope} — ${head}${words}`));
  const list = el('ol', { id: 'memberChecks' });
  for (const check of found.checks) {
    list.append(
      el(
        'li',
        { 'data-status': check.status },
        el('span', { class: `status ${check.status.replace(' ', '-')}` }, w[check.status]),
        ' — ',
        w.checks[check.name] || check.name,
        el('details', {}, el('summary', {}, w.detail), el('code', {}, `${check.name}: ${check.detail}`)),
      ),
    );
  }
  section.append(list);
  const hex = (text, value) => section.append(el('p', {}, text, el('br'), el('code', {}, value)));
  if (found.score) hex(w.score, found.score);
  if (found.cutoff?.mode === 'exact' && found.cutoff.score) hex(w.exactCut(found.cutoff.rank), found.cutoff.score);
  else if (found.cutoff?.mode === 'rate') hex(w.rateCut(found.cutoff.rate), found.cutoff.threshold);
  const entry = record.events?.[0]?.event?.body?.scopes?.find?.((s) => s.scope === receipt.scope);
  if (isKeyed(entry) && found.verdict !== 'failed') section.append(el('p', { id: 'memberKeyed' }, w.keyed));
}
