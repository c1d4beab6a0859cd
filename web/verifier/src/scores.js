// SHA-256 (FIPS 180-4) of many short messages that share a prefix, without allocating: the
// scores of a whole population (draw spec v1, section 6: H("fairdraw/v1/score" 0x00 ‖ subseed ‖
// UTF-8(label)) for every label).
//
// Why not @noble/hashes or WebCrypto for this: measured in headless Chromium on 10^5 labels of
// 18 bytes, a cloned @noble/hashes state per label takes about 0.95 s (its objects and buffers
// per message), and crypto.subtle.digest about 0.8 s at best (every call is a promise and a hop
// to another thread, about 8 µs each); this loop takes about 0.1 s. Everything else in the page
// hashes with @noble/hashes or WebCrypto; test/scores.test.js checks this code against
// @noble/hashes on every message length up to several blocks, and every draw-v1 vector checks
// its scores.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);

/** One compression of the 64-byte block at block[at…] into the state S (8 words), in place. */
function compress(S, block, at) {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (block[at] << 24) | (block[at + 1] << 16) | (block[at + 2] << 8) | block[at + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
  let A = S[0];
  let B = S[1];
  let C = S[2];
  let D = S[3];
  let E = S[4];
  let F = S[5];
  let G = S[6];
  let H = S[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
    const t1 = (H + s1 + ((E & F) ^ (~E & G)) + K[i] + W[i]) | 0;
    const s0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
    const t2 = (s0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
    H = G;
    G = F;
    F = E;
    E = (D + t1) | 0;
    D = C;
    C = B;
    B = A;
    A = (t1 + t2) | 0;
  }
  S[0] = (S[0] + A) | 0;
  S[1] = (S[1] + B) | 0;
  S[2] = (S[2] + C) | 0;
  S[3] = (S[3] + D) | 0;
  S[4] = (S[4] + E) | 0;
  S[5] = (S[5] + F) | 0;
  S[6] = (S[6] + G) | 0;
  S[7] = (S[7] + H) | 0;
}

/** SHA-256 of prefix ‖ tail for many tails of at most `maxTail` bytes. The digests are written
 * as 8 big-endian words (a Uint32Array), which is also the order the ranking sorts by. */
export class PrefixHasher {
  constructor(prefix, maxTail = 1024) {
    this.prefix = prefix.length;
    // prefix, the longest tail, 0x80 and the 8-byte length, in whole blocks
    this.block = new Uint8Array(Math.ceil((prefix.length + maxTail + 9) / 64) * 64);
    this.block.set(prefix);
    this.maxTail = maxTail;
    this.state = new Int32Array(8);
  }

  /** The digest of prefix ‖ bytes[from…from+length] into out[at…at+8]. */
  hashInto(bytes, from, length, out, at) {
    if (length > this.maxTail) throw new RangeError('the message is longer than this hasher takes');
    const { block, state } = this;
    let end = this.prefix;
    for (let i = 0; i < length; i++) block[end++] = bytes[from + i];
    const size = end;
    block[end++] = 0x80;
    const blocks = (size + 9 + 63) >>> 6;
    const last = blocks * 64;
    while (end < last - 4) block[end++] = 0;
    // the length in bits: the high 32 bits are 0 below 512 MiB
    const bits = size * 8;
    block[last - 4] = bits >>> 24;
    block[last - 3] = bits >>> 16;
    block[last - 2] = bits >>> 8;
    block[last - 1] = bits;
    state.set(IV);
    for (let b = 0; b < blocks; b++) compress(state, block, b * 64);
    for (let i = 0; i < 8; i++) out[at + i] = state[i];
  }

  /** The digest of prefix ‖ bytes, as 32 bytes. */
  digest(bytes) {
    const words = new Uint32Array(8);
    this.hashInto(bytes, 0, bytes.length, words, 0);
    return wordsToBytes(words, 0);
  }
}

export function wordsToBytes(words, at) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = words[at + i];
    out[4 * i] = w >>> 24;
    out[4 * i + 1] = w >>> 16;
    out[4 * i + 2] = w >>> 8;
    out[4 * i + 3] = w;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The 64 hex digits of the digest at words[at…at+8]. */
export function wordsToHex(words, at) {
  let text = '';
  for (let i = 0; i < 8; i++) {
    const w = words[at + i];
    text += HEX[w >>> 24] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
  }
  return text;
}
