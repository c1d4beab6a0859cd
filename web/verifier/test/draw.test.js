import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DrawError,
  drawExact,
  drawRate,
  drawStratified,
  parseRate,
  populationDigest,
  rateText,
  shuffle,
} from '../src/draw.js';
import { canonicalText, CanonicalError } from '../src/jcs.js';

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../tests/vectors/draw-v1.json', import.meta.url), 'utf8'),
);

function run(c, call) {
  const alternates = c.alternates ?? 0;
  switch (call) {
    case 'exact':
      return drawExact({ seed: c.seed, scope: c.scope, labels: c.labels, k: c.k, alternates });
    case 'rate':
      return drawRate({ seed: c.seed, scope: c.scope, labels: c.labels, rate: c.rate });
    case 'shuffle':
      return shuffle({ seed: c.seed, scope: c.scope, labels: c.labels });
    case 'stratified':
      return drawStratified({ seed: c.seed, strata: c.strata });
    case 'digest':
      return { population_digest: populationDigest(c.labels, c.salt ?? '') };
    default:
      throw new Error(`unknown call ${call}`);
  }
}

test('the vector file is the one this test knows', () => {
  assert.equal(VECTORS.format, 'fairdraw-draw-vectors/1');
  assert.ok(VECTORS.cases.length >= 50);
});

for (const c of VECTORS.cases) {
  test(`draw-v1 ${c.kind} ${c.name}`, () => {
    if (c.kind === 'error') {
      assert.throws(
        () => run(c, c.call),
        (err) => err instanceof DrawError && err.reason === c.expected.error,
      );
      return;
    }
    const got = run(c, c.kind);
    if (c.kind === 'stratified') {
      assert.deepEqual(got, c.expected.strata);
      return;
    }
    for (const [member, value] of Object.entries(c.expected)) {
      assert.deepEqual(got[member], value, member);
    }
    if (c.kind === 'rate') assert.equal(rateText(parseRate(c.rate)), c.rate_canonical);
  });
}

test('rates are exact fractions, never floats', () => {
  assert.equal(rateText(parseRate('0.15')), '3/20');
  assert.equal(rateText(parseRate('6/40')), '3/20');
  for (const bad of ['.5', '5.', '-0.1', '1e-1', '1/0', '']) {
    assert.throws(() => parseRate(bad), (e) => e.reason === 'bad_rate', bad);
  }
});

test('canonical JSON sorts keys by UTF-16 code units and refuses floats', () => {
  assert.equal(canonicalText({ b: 1, a: [true, null, 'x\n"'] }), '{"a":[true,null,"x\\n\\""],"b":1}');
  // U+1F600 (surrogates D83D…) sorts before U+FB01 in UTF-16, after it in code points.
  assert.equal(canonicalText({ '\ufb01': 1, '\u{1f600}': 2 }), '{"😀":2,"ﬁ":1}');
  assert.equal(canonicalText('\u0007\u007f'), '"\\u0007\u007f"');
  assert.throws(() => canonicalText({ a: 1.5 }), CanonicalError);
  assert.throws(() => canonicalText(2 ** 53), CanonicalError);
  assert.throws(() => canonicalText('\ud800'), CanonicalError);
});

test('records are read refusing non-integers and unsafe integers', async () => {
  const { parseStrictJson } = await import('../src/jcs.js');
  assert.deepEqual(parseStrictJson('{"a": [1, -2, "1.5e3"], "b": "x\\"1.0"}'), {
    a: [1, -2, '1.5e3'],
    b: 'x"1.0',
  });
  // a string ends at the first quote that no backslash escapes; numbers in strings are text
  assert.deepEqual(parseStrictJson('["\\\\", 2, "\\"1.5", "-"]'), ['\\', 2, '"1.5', '-']);
  for (const bad of ['{"k": 1.0}', '[1e3]', '[9007199254740993]', '[-0.5]', '["\\\\", 1.5]']) {
    assert.throws(() => parseStrictJson(bad), CanonicalError, bad);
  }
});
