import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  DrawError,
  UTF8,
  checkLabel,
  checkedPopulation,
  compareBytes,
  concat,
  lp,
  populationDigest,
  scoreBytes,
  subseedOf,
  tag,
  u32,
} from '../src/draw.js';
import { PrefixHasher, wordsToHex } from '../src/scores.js';
import { runAsync, runSync } from '../src/steps.js';

function bytes(length, seed) {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + (i >> 3)) & 255);
}

test('the prefix hasher (one reused state) gives SHA-256 of prefix ‖ tail, message after message, for every length', () => {
  for (const prefixLength of [0, 1, 50, 55, 56, 63, 64, 65, 119, 120]) {
    const prefix = bytes(prefixLength, prefixLength);
    const hasher = new PrefixHasher(prefix, 300);
    const words = new Uint32Array(8);
    for (let length = 0; length <= 300; length++) {
      const tail = bytes(length, length + 7);
      const expected = bytesToHex(sha256(concat(prefix, tail)));
      assert.equal(bytesToHex(hasher.digest(tail)), expected, `${prefixLength} + ${length}`);
      // from the middle of a larger buffer, as a population's bytes are laid out
      const laid = concat(bytes(5, 1), tail, bytes(9, 2));
      hasher.hashInto(laid, 5, length, words, 0);
      assert.equal(wordsToHex(words, 0), expected);
    }
  }
  assert.throws(() => new PrefixHasher(bytes(3, 3), 10).digest(bytes(11, 1)), RangeError);
});

test('scores of labels of every size up to 1024 bytes are the spec hash', () => {
  const subseed = sha256(UTF8.encode('a subseed'));
  for (const label of ['a', 'é', '𝄞', 'x'.repeat(14), 'x'.repeat(78), '名'.repeat(341), 'y'.repeat(1024)]) {
    const expected = sha256(concat(tag('score'), subseed, UTF8.encode(label)));
    assert.equal(bytesToHex(scoreBytes(subseed, label)), bytesToHex(expected), label.slice(0, 9));
  }
});

/** What checkPopulation says of one label: its bytes, or the error's reason. */
function outcome(labels) {
  try {
    const population = runSync(checkedPopulation(labels));
    return bytesToHex(population.bytes);
  } catch (err) {
    assert.ok(err instanceof DrawError, String(err));
    return `${err.reason}: ${err.message}`;
  }
}

test('the plain-ASCII shortcut says what the full label rules say', () => {
  const labels = [
    'a', 'A1', 'a b', ' a', 'a ', ' ', '', '~', '\x7f', 'a\x7f', '\ta', 'a\n', '\u00a0a', 'a\u3000',
    'x'.repeat(1024), 'x'.repeat(1025), 'é', 'e\u0301', '\ud800', 'ｆｕｌｌ', 'ok\u200bzero-width',
  ];
  for (const label of labels) {
    let expected;
    try {
      expected = bytesToHex(checkLabel(label, 1));
    } catch (err) {
      expected = `${err.reason}: ${err.message}`;
    }
    assert.equal(outcome([label]), expected, JSON.stringify(label));
  }
  assert.match(outcome(['a', 'b', 'a']), /^duplicate: label 3 appears twice/);
  assert.match(outcome(['é', 'e\u0301']), /^duplicate: label 2 is, once normalised/);
  assert.match(outcome(['a', 7]), /^type: label 2/);
  assert.match(outcome([]), /^empty_population/);
});

function referenceDigest(labels, salt) {
  const sorted = labels.map((l) => UTF8.encode(l)).sort(compareBytes);
  const hash = sha256.create().update(tag('population')).update(lp(salt));
  for (const b of sorted) hash.update(u32(b.length)).update(b);
  return bytesToHex(hash.digest());
}

test('population digests sort by UTF-8 bytes whatever the labels hold', () => {
  const cases = [
    ['b', 'a', 'ab', 'B', 'a b'], // plain ASCII: sorted as strings
    ['é', 'e', 'z', '名', 'Ω'], // below U+D800: string order is byte order
    ['\uff08x\uff09', '\u{1f600}', '\ue000', 'a', '\ud7ff'], // above: bytes compared
  ];
  for (const labels of cases) {
    assert.equal(populationDigest(labels), referenceDigest(labels, new Uint8Array(0)), labels.join());
    const salt = bytes(32, 9);
    assert.equal(populationDigest(labels, bytesToHex(salt)), referenceDigest(labels, salt));
  }
});

test('run straight through or with pauses, steps give the same result', async () => {
  const labels = Array.from({ length: 5000 }, (_, i) => `label-${i}`);
  const subseed = subseedOf(new Uint8Array(32), 'scope');
  const seen = [];
  const paused = await runAsync(checkedPopulation(labels, { subseed, scope: 'scope' }), {
    onProgress: (step) => seen.push(step.progress.done),
    every: 0,
  });
  const straight = runSync(checkedPopulation(labels, { subseed }));
  assert.deepEqual(paused.scores, straight.scores);
  assert.deepEqual(seen, [0, 2048, 4096, 5000]);
  for (const subtle of [undefined, null]) {
    const steps = (function* digest() {
      return yield { sha256: UTF8.encode('abc') };
    })();
    assert.equal(bytesToHex(await runAsync(steps, { subtle })), bytesToHex(sha256(UTF8.encode('abc'))));
  }
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await assert.rejects(
    runAsync(checkedPopulation(labels), { signal: controller.signal, every: 0 }),
    /stop/,
  );
});
