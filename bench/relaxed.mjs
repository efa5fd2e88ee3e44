// @ts-check
// Question (target 6): how does the relaxed-SIMD build of engram's kernels (f32x4.relaxed_madd, shipped
// as `wasmRelaxedBase64` in dist/wasm/bytes.js and chosen at load time where the engine validates it)
// compare with the plain build on GEMM, in speed and in results?
//
// Node 20 validates relaxed SIMD only behind --experimental-wasm-relaxed-simd, so the measurement runs in
// a child process started with that flag; both builds are instantiated there from the shipped bytes and
// timed interleaved on the same inputs. The parent only formats what the child reports.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInterleaved, ms } from './lib/run.mjs';
import { randomArray } from './lib/systems.mjs';
import { formatNumber, formatRatio, formatTime, gemmFlops, gflops, markdownTable, meets } from './lib/format.mjs';
import { isMain, runStandalone } from './lib/main.mjs';
import { SHAPES as ALL_SHAPES, VARIANTS, VARIANT_LABEL, PEAK_FLOPS, peakTask } from './gemm.mjs';
import { placeProduct } from './lib/product.mjs';

const FLAG = '--experimental-wasm-relaxed-simd';
/** The GEMM question's shapes from 256³ up (the squares target 1 is judged on) and the MLP's shapes. */
const SHAPES = ALL_SHAPES.filter(([m, k, n]) => !(m === k && k === n) || Number(m) >= 256);
const TOLERANCE = 1e-5;
const TARGET_RATIO = 1.15;

/**
 * @typedef {object} ShapeResult
 * @property {string} label
 * @property {string} variant
 * @property {number} flops
 * @property {number} plain ms, median
 * @property {number} relaxed ms, median
 * @property {number} maxDiff max over the outputs of |relaxed − plain| / max(1, |plain|)
 * @property {{ plain: number, relaxed: number }} error each build's max scaled difference from an f64 sum, on sampled outputs
 * @property {{ plain: number, relaxed: number }} peak ms per call of the peak loop, mul+add and relaxed_madd, in this shape's rounds
 */

/** Output elements per shape and variant checked against an f64 sum. */
const EXACT_SAMPLES = 512;

/** |x − reference| ÷ max(1, |reference|): absolute near zero, relative for large sums. */
function scaledDiff(/** @type {number} */ x, /** @type {number} */ reference) {
  return Math.abs(x - reference) / Math.max(1, Math.abs(reference));
}

/**
 * out(i, j) of a variant's product, summed in f64 from the f32 inputs.
 * @param {string} variant @param {Float32Array} a @param {Float32Array} b
 * @param {number} m @param {number} k @param {number} n @param {number} i @param {number} j
 */
function exactProduct(variant, a, b, m, k, n, i, j) {
  let sum = 0;
  for (let p = 0; p < k; p++) {
    const av = variant === 'matmulTN' ? a[p * m + i] : a[i * k + p];
    const bv = variant === 'matmulNT' ? b[j * k + p] : b[p * n + j];
    sum += av * bv;
  }
  return sum;
}

/** In the child (with the flag): both builds on every shape and variant, interleaved. */
async function measure() {
  const { wasmBase64, wasmRelaxedBase64 } = await import('../dist/wasm/bytes.js');
  const { decodeBase64 } = await import('../dist/wasm/decode.js');
  const { wasmRelaxedSimdSupported } = await import('../dist/backends/wasm.js');
  const instantiate = async (/** @type {string} */ base64) =>
    /** @type {any} */ ((await WebAssembly.instantiate(new WebAssembly.Module(/** @type {Uint8Array<ArrayBuffer>} */ (decodeBase64(base64))), {})).exports);
  const builds = { plain: await instantiate(wasmBase64), relaxed: await instantiate(wasmRelaxedBase64) };

  /** @type {ShapeResult[]} */
  const results = [];
  for (const [m, k, n, label] of SHAPES) {
    const [mm, kk, nn] = /** @type {number[]} */ ([m, k, n]);
    console.error(`relaxed: ${label}`);
    const a = randomArray(mm * kk, 3);
    const b = randomArray(kk * nn, 4);
    // The same layout in both memories, as the GEMM question lays it out in a backend's.
    const place = (/** @type {any} */ exports) => {
      const { pa, pb, po } = placeProduct({
        base: exports.heapBase(),
        reserve: (bytes) => {
          const need = bytes - exports.memory.buffer.byteLength;
          if (need > 0) exports.memory.grow(Math.ceil(need / 65536));
        },
        kernels: exports,
      }, mm, kk, nn);
      const f32 = new Float32Array(exports.memory.buffer);
      f32.set(a, pa >> 2);
      f32.set(b, pb >> 2);
      return { pa, pb, po };
    };
    const at = { plain: place(builds.plain), relaxed: place(builds.relaxed) };
    /** @type {import('./lib/run.mjs').TaskSpec[]} */
    const tasks = [];
    for (const variant of VARIANTS) {
      for (const build of /** @type {const} */ (['plain', 'relaxed'])) {
        const kernel = builds[build][variant];
        const { pa, pb, po } = at[build];
        tasks.push({ name: `engram-wasm-${build}:${variant}-${mm}x${kk}x${nn}`, fn: () => kernel(po, pa, pb, mm, kk, nn) });
      }
    }
    // Both peak loops in the same rounds: how far each build's products are from what its arithmetic
    // alone reaches, over the same seconds.
    const shape = `${mm}x${kk}x${nn}`;
    const peaks = { plain: peakTask(shape, false), relaxed: peakTask(shape, true) };
    if (!peaks.plain || !peaks.relaxed) throw new Error('the relaxed child could not build both peak loops');
    tasks.push(peaks.plain, peaks.relaxed);
    const big = gemmFlops(mm, kk, nn) >= gemmFlops(512, 512, 512);
    // Twenty-four short rounds: the two builds' ratio is read from medians taken over the same seconds,
    // and the machine's slow spells (a neighbour on the core's other thread) come and go within them.
    // From 512³ a call takes 7–90 ms, so a round times one. (Twelve rounds, two calls each from 512³,
    // let a spell land on most of one build's samples and few of the other's: the run at 23:32 on
    // 29 November read 1.07× on A·B 1024, where both builds interleaved over many more rounds read 1.30×.)
    const timed = await runInterleaved(tasks, big ? { rounds: 24, time: 10, iterations: 1, warmupTime: 10 } : { rounds: 24, time: 10, iterations: 5, warmupTime: 30 });
    for (const variant of VARIANTS) {
      // Each variant overwrote the product: run this one once more in each build, then compare.
      for (const build of /** @type {const} */ (['plain', 'relaxed'])) {
        const { pa, pb, po } = at[build];
        builds[build][variant](po, pa, pb, mm, kk, nn);
      }
      const plain = new Float32Array(builds.plain.memory.buffer, at.plain.po, mm * nn);
      const relaxed = new Float32Array(builds.relaxed.memory.buffer, at.relaxed.po, mm * nn);
      let maxDiff = 0;
      for (let i = 0; i < plain.length; i++) maxDiff = Math.max(maxDiff, scaledDiff(relaxed[i], plain[i]));
      // Which build is nearer the exact product: both against an f64 sum on a sample of the outputs.
      const error = { plain: 0, relaxed: 0 };
      for (let s = 0; s < EXACT_SAMPLES; s++) {
        const index = Math.floor(((s * 2654435761) % 2 ** 32) / 2 ** 32 * plain.length);
        const exact = exactProduct(variant, a, b, mm, kk, nn, Math.floor(index / nn), index % nn);
        error.plain = Math.max(error.plain, scaledDiff(plain[index], exact));
        error.relaxed = Math.max(error.relaxed, scaledDiff(relaxed[index], exact));
      }
      results.push({
        label: String(label), variant, flops: gemmFlops(mm, kk, nn), maxDiff, error,
        peak: { plain: ms(timed, peaks.plain.name), relaxed: ms(timed, peaks.relaxed.name) },
        plain: ms(timed, `engram-wasm-plain:${variant}-${mm}x${kk}x${nn}`),
        relaxed: ms(timed, `engram-wasm-relaxed:${variant}-${mm}x${kk}x${nn}`),
      });
    }
  }
  return { loaderPicksRelaxed: wasmRelaxedSimdSupported(), results };
}

export async function run() {
  const child = spawnSync(process.execPath, [FLAG, fileURLToPath(import.meta.url), '--child'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`relaxed-SIMD child (node ${FLAG}) failed with status ${child.status}`);
  /** @type {{ loaderPicksRelaxed: boolean, results: ShapeResult[] }} */
  const { loaderPicksRelaxed, results } = JSON.parse(child.stdout.trim().split('\n').pop() ?? '');

  const ratio = (/** @type {ShapeResult} */ r) => r.plain / r.relaxed;
  /** A build's share of its own peak loop, in the same rounds, in percent. */
  const share = (/** @type {ShapeResult} */ r, /** @type {'plain' | 'relaxed'} */ build) =>
    (100 * gflops(r.flops, r[build])) / gflops(PEAK_FLOPS, r.peak[build]);
  const rows = results.map((r) => [
    r.label, VARIANT_LABEL[/** @type {keyof typeof VARIANT_LABEL} */ (r.variant)],
    formatTime(r.plain), formatNumber(gflops(r.flops, r.plain)), `${formatNumber(share(r, 'plain'))}%`,
    formatTime(r.relaxed), formatNumber(gflops(r.flops, r.relaxed)), `${formatNumber(share(r, 'relaxed'))}%`,
    formatRatio(ratio(r)), r.maxDiff.toExponential(1), r.error.plain.toExponential(1), r.error.relaxed.toExponential(1),
  ]);
  // Each shape's peak loops once (its variants share them): what fusing gains the arithmetic alone.
  const shapes = results.filter((r) => r.variant === VARIANTS[0]);
  const peakGflops = (/** @type {'plain' | 'relaxed'} */ build) => shapes.map((r) => gflops(PEAK_FLOPS, r.peak[build]));
  const peakRatios = shapes.map((r) => r.peak.plain / r.peak.relaxed);
  const range = (/** @type {number[]} */ values, /** @type {(x: number) => string} */ format) =>
    `${format(Math.min(...values))}–${format(Math.max(...values))}`;
  // Judged, like target 1's share of the peak, on the 256–1024 squares; the MLP's shapes are shown too.
  const worstOf = (/** @type {ShapeResult[]} */ list) => list.reduce((w, r) => (ratio(r) < ratio(w) ? r : w));
  const worstSquare = worstOf(results.filter((r) => !r.label.includes('·')));
  const worstMlp = worstOf(results.filter((r) => r.label.includes('·')));
  const worstDiff = Math.max(...results.map((r) => r.maxDiff));
  const name = (/** @type {ShapeResult} */ r) => `${VARIANT_LABEL[/** @type {keyof typeof VARIANT_LABEL} */ (r.variant)]} ${r.label}`;

  const markdown = [
    markdownTable(['shape (m×k·k×n)', 'variant', 'plain median', 'plain GFLOP/s', 'plain % of its peak', 'relaxed median', 'relaxed GFLOP/s',
      'relaxed % of its peak', 'relaxed faster by', 'max difference', 'plain vs f64', 'relaxed vs f64'], rows),
    '',
    `**The two peak loops** (bench/peak/peak.mjs, 12 chains each), timed in every shape's rounds beside its products: ` +
      `f32x4.mul and f32x4.add ${range(peakGflops('plain'), formatNumber)} GFLOP/s, f32x4.relaxed_madd ${range(peakGflops('relaxed'), formatNumber)}; ` +
      `the fused loop ${range(peakRatios, formatRatio)} the plain one: what fusing gains the arithmetic alone on this machine. ` +
      'Each "% of its peak" column puts a build\'s product against its own loop in the same rounds.',
    '',
    `Both builds as shipped (\`wasmBase64\` and \`wasmRelaxedBase64\` in dist/wasm/bytes.js), instantiated side by side in a child process ` +
      `started with \`node ${FLAG}\` (Node 20 validates relaxed SIMD only behind that flag; Chrome 114+ and Node 22+ have it), ` +
      `timed at the kernel, interleaved. There the loader ${loaderPicksRelaxed ? 'picks the relaxed build' : 'does NOT pick the relaxed build'} ` +
      '(`WebAssembly.validate` on a relaxed_madd probe); without the flag it uses the plain build. ' +
      'Max difference: over every output element, |relaxed − plain| ÷ max(1, |plain|), inputs uniform in [−1, 1). ' +
      `The last two columns put each build against the product summed in f64, the same way, on ${EXACT_SAMPLES} sampled outputs: ` +
      'how far each is from the exact answer, since the two builds differ only by where they round.',
  ].join('\n');
  const targets = [{
    id: '6',
    target: `A relaxed-SIMD build chosen at load time: ≥ ${TARGET_RATIO}× the plain build on GEMM, results within ${TOLERANCE.toExponential(0)}`,
    measured: `worst on 256–1024 squares ${formatRatio(ratio(worstSquare))} (${name(worstSquare)}); ` +
      `on the MLP shapes ${formatRatio(ratio(worstMlp))} (${name(worstMlp)}); max difference ${worstDiff.toExponential(1)}` +
      (loaderPicksRelaxed ? '' : '; the loader did not pick it'),
    ok: loaderPicksRelaxed && meets(ratio(worstSquare), TARGET_RATIO, 'atLeast') && meets(worstDiff, TOLERANCE, 'atMost'),
  }];
  return { title: 'Relaxed SIMD', markdown, targets };
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measure()));
} else if (isMain(import.meta.url)) {
  await runStandalone(run);
}
