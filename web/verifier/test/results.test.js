// The published results' building blocks: DEFLATE and the workbook reader, a result's public
// fields (as InspectionResult.public_fields), and a published document checked on its own,
// a schema v1 result included (the verification vectors run the whole check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../src/jcs.js';
import { concat, tag, toHex } from '../src/draw.js';
import { keyId } from '../src/record.js';
import { publicFields, readPublishedDocument } from '../src/results.js';
import { inflate } from '../src/xlsx.js';

test('inflate decodes what zlib compresses, at every level', () => {
  const text = new TextEncoder().encode('统一社会信用代码,名称\r\n91110102MA0001375J,示例单位\r\n'.repeat(500));
  for (const level of [0, 1, 6, 9]) {
    const packed = new Uint8Array(deflateRawSync(text, { level }));
    assert.deepEqual(inflate(packed), text, `level ${level}`);
  }
  assert.throws(() => inflate(new Uint8Array([0x07])), /block type|ends too early/);
});

test('a result body shows as its published columns', () => {
  const body = {
    category: '发现问题已责令改正', findings: 'f', handling: 'h', penalty_decision: 'd',
    penalty_amount: 5000, inspected_on: '2026-01-13', submitted_on: '2026-01-26', due: '2026-01-23',
    object_name: '示例单位',
  };
  assert.deepEqual(publicFields(body), {
    category: '发现问题已责令改正', findings: 'f', handling: 'h', penalty_decision: 'd',
    penalty_amount: '5000', inspected_on: '2026-01-13', submission: '逾期报送', name: '示例单位',
  });
  // an earlier version's fine as text: read as whole yuan where it is one, else as stored
  assert.equal(publicFields({ category: '不配合检查', penalty_amount: '５，０００元' }).penalty_amount, '5000');
  assert.equal(publicFields({ category: '不配合检查', penalty_amount: '五千' }).penalty_amount, '五千');
  assert.equal(publicFields({ category: '未发现问题' }).submission, '');
  assert.throws(() => publicFields({ category: '差不多' }), /not a result category/);
  assert.throws(() => publicFields({ category: '未发现问题', inspected_on: '2026-02-30' }), /not a date/);
});

const SECRET = new Uint8Array(32).fill(7);
const PUBLIC = ed25519.getPublicKey(SECRET);

function signedForm(kind, payload, body, extra = {}) {
  const entry = { seq: 5, previous: '0'.repeat(64), time: '2026-01-13T02:00:00Z', actor: '第1组', kind, payload };
  const message = concat(tag('log'), canonicalJson(entry));
  return {
    entry, hash: toHex(sha256(message)), key_id: keyId(PUBLIC),
    signature: toHex(ed25519.sign(message, SECRET)), body, ...extra,
  };
}

test('a published document is checked against the office key', () => {
  const body = { category: '未发现问题' };
  const bodyHash = toHex(sha256(concat(tag('document'), canonicalJson(body))));
  const form = signedForm('document', { kind: 'inspection.result', subject: 'o-1', draw_id: 'd-1', body_hash: bodyHash }, body);
  assert.equal(readPublishedDocument(form, PUBLIC, keyId(PUBLIC)).subject, 'o-1');
  assert.throws(() => readPublishedDocument({ ...form, body: { category: '不配合检查情节严重' } }, PUBLIC, keyId(PUBLIC)), /not the one it logged/);
  const moved = { ...form, entry: { ...form.entry, time: '2020-01-01T00:00:00Z' } };
  assert.throws(() => readPublishedDocument(moved, PUBLIC, keyId(PUBLIC)), /hash was taken over/);
  const other = ed25519.getPublicKey(new Uint8Array(32).fill(8));
  assert.throws(() => readPublishedDocument(form, other, keyId(other)), /another key/);
});

test('a schema v1 result is checked against the text its hash was taken over', () => {
  const text = '{"a": 1, "category": "发现问题已责令改正", "late": false}';
  const payload = { draw_id: 'd-1', object_id: 'o-1', result_hash: toHex(sha256(new TextEncoder().encode(text))) };
  const form = signedForm('inspection.result', payload, JSON.parse(text), { body_text: text });
  assert.equal(readPublishedDocument(form, PUBLIC, keyId(PUBLIC)).subject, 'o-1');
  assert.throws(() => readPublishedDocument({ ...form, body: { a: 2 } }, PUBLIC, keyId(PUBLIC)), /not its logged text/);
  assert.throws(() => readPublishedDocument({ ...form, body_text: `${text} ` }, PUBLIC, keyId(PUBLIC)), /text beside it/);
});
