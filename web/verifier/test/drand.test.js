import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { DRAND_CHAINS, verifyDrandRound } from '../src/drand.js';

const DATA = JSON.parse(
  readFileSync(new URL('../../../tests/vectors/drand/beacons.json', import.meta.url), 'utf8'),
);
const bytes = (hex) => (hex ? hexToBytes(hex) : null);

test('the pinned chains are the ones the fixtures hold', () => {
  for (const [name, chain] of Object.entries(DRAND_CHAINS)) {
    assert.equal(chain.chainHash, DATA.chains[name].hash);
    assert.equal(chain.publicKey, DATA.chains[name].public_key);
    assert.equal(chain.genesis, DATA.chains[name].genesis_time);
    assert.equal(chain.period, DATA.chains[name].period);
  }
});

for (const beacon of DATA.beacons.filter((b) => b.chain in DRAND_CHAINS)) {
  test(`drand ${beacon.chain} round ${beacon.round} verifies`, () => {
    const signature = bytes(beacon.signature);
    assert.ok(verifyDrandRound(beacon.chain, beacon.round, signature, bytes(beacon.previous_signature)));
    if (beacon.randomness) assert.equal(Buffer.from(sha256(signature)).toString('hex'), beacon.randomness);
  });
}

for (const bad of DATA.negative_cases) {
  test(`drand negative case: ${bad.note}`, () => {
    assert.equal(
      verifyDrandRound(bad.chain, bad.round, bytes(bad.signature), bytes(bad.previous_signature)),
      false,
    );
  });
}

test('a flipped byte does not verify', () => {
  const beacon = DATA.beacons.find((b) => b.chain === 'quicknet' && b.round === 657413);
  const signature = bytes(beacon.signature);
  signature[47] ^= 1;
  assert.equal(verifyDrandRound('quicknet', beacon.round, signature), false);
});
