// @ts-check
// Question: how fast are the activation kernels (sigmoid, tanh, relu, softmax forward) on 1e5 and 1e6
// elements, engram's WebAssembly against its JS twin and TF.js's wasm backend?

import { WasmBackend } from '../dist/backends/wasm.js';
import { JsBackend } from '../dist/backends/js.js';
import { ACTIVATIONS } from '../dist/codes.js';
import { tf, useTf, randomArray } from './lib/systems.mjs';
import { runInterleaved, ms } from './lib/run.mjs';
import { formatNumber, formatRatio, formatTime, markdownTable } from './lib/format.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

const COUNTS = [100_000, 1_000_000];
const NAMES = /** @type {const} */ (['sigmoid', 'tanh', 'relu', 'softmax']);
/** Softmax runs row-wise; rows of this many values. */
const SOFTMAX_COLS = 1000;

export async function run() {
  const engram = { wasm: await WasmBackend.create(), js: new JsBackend() };
  /** @type {string[][]} */
  const rows = [];
  for (const count of COUNTS) {
    const x = randomArray(count, 7).map((v) => v * 8);
    /** @type {import('./lib/run.mjs').TaskSpec[]} */
    const tasks = [];
    for (const [system, backend] of /** @type {const} */ ([['engram-wasm', engram.wasm], ['engram-js', engram.js]])) {
      const px = backend.base;
      const po = px + count * 4;
      backend.reserve(po + count * 4);
      const k = backend.kernels;
      const before = () => { backend.f32.set(x, px >> 2); };
      for (const name of NAMES) {
        const fn = name === 'softmax'
          ? () => k.softmaxForward(po, px, count / SOFTMAX_COLS, SOFTMAX_COLS)
          : () => k.activationForward(po, px, count, ACTIVATIONS[name]);
        tasks.push({ name: `${system}:${name}-${count}`, before, fn });
      }
    }
    await useTf('wasm');
    const tx = tf.tensor1d(x);
    const tx2 = tf.tensor2d(x, [count / SOFTMAX_COLS, SOFTMAX_COLS]);
    /** @type {Record<string, () => import('@tensorflow/tfjs-core').Tensor>} */
    const ops = { sigmoid: () => tf.sigmoid(tx), tanh: () => tf.tanh(tx), relu: () => tf.relu(tx), softmax: () => tf.softmax(tx2) };
    for (const name of NAMES) {
      tasks.push({
        name: `tfjs-wasm:${name}-${count}`,
        before: () => useTf('wasm'),
        // Included: dispatch, output allocation, the op, a readback (dataSync) and dispose.
        fn: () => {
          const y = ops[name]();
          y.dataSync();
          y.dispose();
        },
      });
    }
    console.error(`activations: ${count}`);
    const results = await runInterleaved(tasks, { rounds: 3, time: count > 200_000 ? 60 : 40, iterations: 3, warmupTime: 30 });
    for (const name of NAMES) {
      const t = { wasm: ms(results, `engram-wasm:${name}-${count}`), js: ms(results, `engram-js:${name}-${count}`), tf: ms(results, `tfjs-wasm:${name}-${count}`) };
      const rate = (/** @type {number} */ time) => formatNumber(count / time / 1e6);
      rows.push([name, count.toLocaleString('en-US'), formatTime(t.wasm), rate(t.wasm), formatTime(t.js), formatRatio(t.js / t.wasm), formatTime(t.tf), formatRatio(t.tf / t.wasm)]);
    }
    tx.dispose();
    tx2.dispose();
  }
  const markdown = [
    markdownTable(['activation', 'elements', 'engram-wasm', 'engram-wasm G elements/s', 'engram-js', 'wasm vs js', 'tfjs-wasm', 'wasm vs tfjs-wasm'], rows),
    '',
    `Forward only; inputs uniform in [−8, 8). Softmax is row-wise over rows of ${SOFTMAX_COLS}. engram: the kernel on buffers in its memory. ` +
      'TF.js: `tf.sigmoid(x)` (etc.) on a tensor made beforehand, then `dataSync()` and `dispose()`.',
  ].join('\n');
  return { title: 'Activations forward', markdown, targets: [] };
}

if (isMain(import.meta.url)) await runStandalone(run);
