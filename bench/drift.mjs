// @ts-check
// Question: does this machine's speed drift within a run, and does GEMM's share of the measured peak
// drift with it? The GEMM table's verdicts (targets 1a and 1b) rest on medians over about a minute of
// runs. This one cuts 40 seconds into two-second windows and, in each, runs the same calls the GEMM table
// times at 256³ (the three variants, engram-wasm and TF.js wasm, as in gemm.mjs) in turn with the peak
// loop, call by call, so every figure of a row comes from the same two seconds.

import { WasmBackend } from '../dist/backends/wasm.js';
import { tf, useTf, randomArray } from './lib/systems.mjs';
import { formatNumber, formatRatio, gemmFlops, gflops, markdownTable, median } from './lib/format.mjs';
import { isMain, runStandalone } from './lib/main.mjs';
import { placeProduct } from './lib/product.mjs';
import { VARIANTS, VARIANT_LABEL, PEAK_FLOPS, peakTask } from './gemm.mjs';

const SIZE = 256;
const WINDOWS = 20;
const WINDOW_MS = 2000;

/** ms for one call of fn. */
function timeOnce(/** @type {() => unknown} */ fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export async function run() {
  const n = SIZE;
  const flops = gemmFlops(n, n, n);
  // The GEMM table's peak loop, called the same way.
  const peak = /** @type {import('./lib/run.mjs').TaskSpec} */ (peakTask(`${SIZE}x${SIZE}x${SIZE}`));
  const wasm = await WasmBackend.create();
  const { pa, pb, po } = placeProduct(wasm, n, n, n);
  const a = randomArray(n * n, 1);
  const b = randomArray(n * n, 2);
  wasm.f32.set(a, pa >> 2);
  wasm.f32.set(b, pb >> 2);
  await useTf('wasm');
  const [ta, tb] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];

  /** name → the call, and the flops it does */
  const calls = new Map(/** @type {[string, () => unknown, number][]} */ ([
    ['peak', peak.fn, PEAK_FLOPS],
    ...VARIANTS.map((v) => /** @type {[string, () => unknown, number]} */ ([v, () => wasm.kernels[v](po, pa, pb, n, n, n), flops])),
    ['tfjs', () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    }, flops],
  ]).map(([name, fn, f]) => [name, { fn, flops: f }]));

  // Warm-up: V8 tiers the kernels up (and TF.js sets up its matMul) before the first window.
  const warm = performance.now();
  while (performance.now() - warm < 500) for (const { fn } of calls.values()) fn();

  /** Per window: when it ended (s from the first), and GFLOP/s of each call's median within it. */
  /** @type {{ at: number, speed: Map<string, number> }[]} */
  const windows = [];
  const started = performance.now();
  for (let w = 0; w < WINDOWS; w++) {
    /** @type {Map<string, number[]>} */
    const times = new Map([...calls.keys()].map((k) => [k, []]));
    const end = performance.now() + WINDOW_MS;
    for (let turn = 0; performance.now() < end; turn++) {
      // A rotating order, so no call always follows the same one.
      const names = [...calls.keys()];
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + turn) % names.length];
        const call = /** @type {{ fn: () => unknown }} */ (calls.get(name));
        times.get(name)?.push(timeOnce(call.fn));
      }
    }
    windows.push({
      at: (performance.now() - started) / 1000,
      speed: new Map([...calls].map(([name, call]) => [name, gflops(call.flops, median(/** @type {number[]} */ (times.get(name))))])),
    });
    console.error(`drift: window ${w + 1}/${WINDOWS}`);
  }
  ta.dispose();
  tb.dispose();

  const speed = (/** @type {typeof windows[number]} */ w, /** @type {string} */ name) => /** @type {number} */ (w.speed.get(name));
  const worstShare = (/** @type {typeof windows[number]} */ w) => Math.min(...VARIANTS.map((v) => speed(w, v))) / speed(w, 'peak');
  const rows = windows.map((w) => [
    `${formatNumber(w.at)} s`,
    formatNumber(speed(w, 'peak')),
    ...VARIANTS.map((v) => formatNumber(speed(w, v))),
    `${formatNumber(100 * worstShare(w))}%`,
    formatNumber(speed(w, 'tfjs')),
    formatRatio(speed(w, 'matmul') / speed(w, 'tfjs')),
  ]);
  const range = (/** @type {number[]} */ xs) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
  const share = range(windows.map((w) => 100 * worstShare(w)));
  const peaks = range(windows.map((w) => speed(w, 'peak')));
  const ours = range(windows.map((w) => speed(w, 'matmul')));
  const theirs = range(windows.map((w) => speed(w, 'tfjs')));
  const markdown = [
    `Each row is one ${WINDOW_MS / 1000}-second window: the median of every call's times within it, in GFLOP/s. ` +
      `${SIZE}³ products as the GEMM table times them (engram at the kernel with its panel, TF.js through \`tf.matMul\` with \`dataSync\` and \`dispose\`), ` +
      'one call at a time in rotating order with the peak loop (f32x4 multiplies and adds on 12 chains, six of each, bench/peak/peak.mjs).',
    '',
    markdownTable(
      ['window end', 'peak loop', ...VARIANTS.map((v) => `engram ${VARIANT_LABEL[v]}`), 'worst engram % of peak', 'tfjs-wasm A·B', 'engram A·B vs tfjs-wasm A·B'],
      rows,
    ),
    '',
    `Across the windows, the worst variant's share of the peak ran from ${formatNumber(share.min)}% to ${formatNumber(share.max)}% (median ${formatNumber(share.median)}%). ` +
      `Over the same seconds the peak loop ran at ${formatNumber(peaks.min)}–${formatNumber(peaks.max)} GFLOP/s, ` +
      `engram's A·B at ${formatNumber(ours.min)}–${formatNumber(ours.max)} and TF.js's at ${formatNumber(theirs.min)}–${formatNumber(theirs.max)}. ` +
      'The code is the same in every window; what moves is the machine. In its slow windows the products lose more than the peak loop ' +
      '(which is arithmetic on registers alone, where a product also loads its operands and computes their addresses). ' +
      'Where such a stretch falls on the GEMM table\'s minute, it sets 1a\'s verdict.',
  ].join('\n');
  return { title: `Machine drift: ${SIZE}³ GEMM against the peak, window by window`, markdown, targets: [] };
}

if (isMain(import.meta.url)) await runStandalone(run);
