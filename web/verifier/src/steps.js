// Long computations (a population's complete recomputation) are generators, so that one code
// runs both ways: straight through (Node, the tests, the library calls), or in the page, pausing
// between chunks so that it can show how far it is and stay responsive. A generator yields
//
//   {progress: {scope, done, total}, ...}  how far it is (answered with nothing; scope null:
//                                         the checks before any recomputation), or
//   {sha256: bytes}                       a hash of many bytes (answered with its 32 bytes: the
//                                         page asks WebCrypto, natively, when it has it)

import { sha256 } from '@noble/hashes/sha2.js';

/** Run steps straight through; return what they return. */
export function runSync(steps) {
  let step = steps.next();
  while (!step.done) step = steps.next(step.value.sha256 ? sha256(step.value.sha256) : undefined);
  return step.value;
}

// WebCrypto is there in a secure context (https://, file://, http://127.0.0.1 or localhost);
// a page served over plain http elsewhere has no crypto.subtle: then @noble/hashes.
async function digest(bytes, subtle) {
  if (subtle) {
    try {
      return new Uint8Array(await subtle.digest('SHA-256', bytes));
    } catch {
      // fall through: the same hash in JavaScript
    }
  }
  return sha256(bytes);
}

/** Give the browser the main thread for a moment: it repaints and handles input. A message
 * task, unlike scheduler.yield()'s continuation, lets Chromium paint a frame in between (about
 * every 70 ms here), and unlike setTimeout it is not throttled in a background tab. */
function pause() {
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Run steps, pausing at a progress step once every `every` milliseconds, and at the first one
 * of each scope: `onProgress(step)` is called then (for the first, before anything is awaited).
 * `subtle`: the WebCrypto to hash with (default: the global one, if any; null: none).
 * An aborted `signal` stops the steps at the next pause, rejecting with its reason.
 */
export async function runAsync(steps, { onProgress = null, signal = null, every = 50, subtle } = {}) {
  const crypto = subtle === undefined ? globalThis.crypto?.subtle : subtle;
  let paused = -Infinity;
  let scope; // of the last progress step shown
  let answer;
  for (;;) {
    const step = steps.next(answer);
    if (step.done) return step.value;
    answer = undefined;
    if (step.value.sha256) {
      answer = await digest(step.value.sha256, crypto);
    } else if (
      step.value.progress &&
      (step.value.progress.scope !== scope || performance.now() - paused >= every)
    ) {
      scope = step.value.progress.scope;
      if (onProgress) onProgress(step.value);
      await pause();
      paused = performance.now();
    }
    if (signal?.aborted) {
      steps.return();
      throw signal.reason ?? new Error('aborted');
    }
  }
}
