// The office's page (rfb publish): fairdraw's page with the office's rules (office.js), so that a
// publication is checked as `rfb verify` checks it: the groups, the assignment and its 回避
// moves, the replaced attempts, a demonstration said to be one.
import {
  ASSIGNMENT_FORMAT,
  CHECKPOINT_FORMAT,
  MANIFEST_FORMAT,
  PUBLIC_LISTS_FORMAT,
  listedPath,
  verifyPublicationAsync,
} from './office.js';
import { RESULTS_FORMAT } from './results.js';

const RESULT_FILES = new Set(['results.json', 'results.csv', 'results.xlsx', 'credit.json']);
import { parseStrictJson } from './jcs.js';
import { start } from './page.js';

const CHECKS = {
  files: ['发布的文件可以读取', 'The published files can be read'],
  manifest: [
    '公示文件清单由机关签名，属于本次抽取',
    "The publication's list of files is signed by the office, for this draw",
  ],
  'manifest.files': [
    '公示的每个文件都与机关签名时完全一致（逐一核对哈希值）',
    'Every published file is exactly as the office signed it (each hash compared)',
  ],
  'log.checkpoint': [
    '公示附有机关签名的审计日志检查点，涵盖本次抽取（日志此后不能被截短或改写而不被发现）',
    "The office's signed checkpoint of its audit log covers this draw (the log cannot be cut short or rewritten since without it showing)",
  ],
  rehearsal: ['这不是演练（演练的时钟是回放的，不是正式抽取）', 'This is not a rehearsal on a replayed clock'],
  demo: ['这是演示：虚构的示例数据，时间为回放', 'This is a demonstration: fictitious data, replayed times'],
  supersedes: [
    '被本次抽取取代的已中止抽取已一并公布，由同一把密钥签名',
    'The aborted attempt this draw replaces is published beside it, signed by the same key',
  ],
  attempts: ['本月的每一次抽取都已公布', "Every attempt of this month's draw is published"],
  assignment: ['检查组和检查对象的分配', 'The groups and their objects'],
  'assignment.format': ['分配文件格式正确', 'The assignment file is well formed'],
  'assignment.draw_id': ['分配文件属于本次抽取', 'The assignment is this draw’s'],
  'assignment.month': ['分配文件属于本月', 'The assignment is this month’s'],
  'assignment.record': ['记录足以确定分组和分配', 'The record determines the groups and the deal'],
  'assignment.groups': [
    '检查组按公告的规则由执法人员的公开排序组成',
    "The groups are the officers' published ranking under the announced rules",
  ],
  'assignment.objects': ['每个抽中的检查对象恰好分配一次', 'Each drawn object is assigned exactly once'],
  'assignment.deal': [
    '每个检查对象都在随机轮发给它的组，或有公布的回避调整',
    'Each object is in the group the random deal gave it, or a declared 回避 move says where it went',
  ],
  'results.entries': [
    '每一行检查结果都与机关签名记入日志的检查结果一致（逐条核对签名），且恰为抽中的检查对象',
    'Every published result is the one the office signed into its log (each signature checked), one row per drawn object',
  ],
  'results.files': [
    'CSV、Excel 表格和信用导出中的每一行都与签名的检查结果一致',
    'Every row of the CSV, the spreadsheet and the credit export is the signed one',
  ],
  'assignment.moves': [
    '没有回避调整：每个检查对象都在随机轮发给它的组（若有回避调整，公众无法核实回避理由，因为谁回避、为何回避不予公开）',
    'No 回避 move: every object is where the deal put it (with a move, the public cannot check its reason: who recused, and why, is not published)',
  ],
};

function isRecord(value) {
  return typeof value.media_type === 'string' && value.media_type.includes('draw-record');
}

function aborted(record) {
  return Array.isArray(record.events) && record.events.some((e) => e?.event?.kind === 'abort');
}

export const plugin = {
  verifyAsync: verifyPublicationAsync,

  describe(name, lang) {
    const words = CHECKS[name];
    return words ? words[lang === 'zh' ? 0 : 1] : null;
  },

  verdictPrefix(report, lang) {
    if (!report.demo) return '';
    return lang === 'zh' ? '演示记录（虚构数据，时间为回放）：' : 'A demonstration (fictitious data, replayed times): ';
  },

  /** Take a dropped file by its bytes when it is one the manifest lists (its hash is checked);
   * whether the page is done with it (a JSON file goes on to be read as such). */
  takeBytes(name, bytes, text, state) {
    const base = name.split('/').pop();
    state.extras.dropped = [...(state.extras.dropped || []), name];
    if (base === 'manifest.json') {
      try {
        const value = parseStrictJson(text.trim());
        if (value?.format === MANIFEST_FORMAT) {
          // a manifest dropped with the files: they are the publication's folder, so a file
          // it lists and the folder lacks is missing, and one it does not list is not signed
          state.extras.manifest = value;
          state.extras.folderGiven = true;
          return true;
        }
      } catch {
        return false;
      }
    }
    if (base === 'verify.html') return true;
    if (RESULT_FILES.has(base) && !name.includes('/superseded/')) {
      // checked against the signed results (results.files), whether or not a manifest lists them
      state.extras.fileBytes = { ...(state.extras.fileBytes || {}), [base]: bytes };
      return !base.endsWith('.json');
    }
    const manifest = state.extras.manifest;
    if (!manifest || !Array.isArray(manifest.files)) return false;
    const entries = new Map(manifest.files.map((f) => [String(f.path), f]));
    const path = listedPath(entries, name);
    if (!path) return false;
    state.extras.fileBytes = { ...(state.extras.fileBytes || {}), [path]: bytes };
    return !base.endsWith('.json');
  },

  /** Take a loaded JSON file the office's publication holds; whether it was taken. */
  takeJson(value, _name, state) {
    if (value.format === CHECKPOINT_FORMAT) {
      state.extras.log_checkpoint = value;
      return true;
    }
    if (value.format === ASSIGNMENT_FORMAT) {
      state.extras.assignment = value;
      return true;
    }
    if (value.format === RESULTS_FORMAT) {
      state.extras.results = value;
      return true;
    }
    if (value.format === PUBLIC_LISTS_FORMAT && value.lists && typeof value.lists === 'object') {
      for (const [scope, labels] of Object.entries(value.lists)) {
        if (Array.isArray(labels)) state.populations[scope] = { labels, salt: '' };
      }
      return true;
    }
    if (isRecord(value) && aborted(value) && state.record && !aborted(state.record)) {
      state.extras.superseded = { ...(state.extras.superseded || {}), [value.draw_id]: value };
      return true;
    }
    if (isRecord(value) && !aborted(value) && state.record && aborted(state.record)) {
      const earlier = state.record;
      state.extras.superseded = { ...(state.extras.superseded || {}), [earlier.draw_id]: earlier };
    }
    return false;
  },
};

start(plugin);
