// @ts-check
// Where a product's time goes, at the instruction: each product runs in a child process
// (product-loop.mjs) sampled by Linux perf, with V8 writing a map of its jitted code (--perf-prof) so
// that perf can name and disassemble the wasm functions. The product's samples are then split into
// its multiply-add loops (the innermost loops of its hottest function that hold vector multiplies:
// the micro-kernel, inlined once for each of its callers) and the rest: packing, the sums' block ends,
// memory.copy, the tails. Dividing the product's rate by the loops' share of its time gives the loops'
// own rate, which puts a number on what the micro-kernel loses while it runs inside a product (to
// operands that come from L2 or beyond, or to a neighbour on the core's other thread) against what the
// code outside it costs.
//
// Not part of `npm run bench`: it needs perf (Debian's linux-perf) and permission to sample
// (perf_event_paranoid ≤ 2 is enough for a process's own user-space samples). It samples a software
// clock, so it works in VMs without hardware counters, and a sample lands on the instruction after
// the one that held the core (skid), near rather than on the load that waits.
//
//   npm run profile:gemm                             the three variants at 64³, 256³, 512³ and 1024³,
//                                                    written to bench/PROFILE.md
//   node bench/profile/gemm.mjs matmul 1024,1024,1024 [seconds]   printed only

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber, markdownTable } from '../lib/format.mjs';
import { machineMarkdown } from '../lib/machine.mjs';
import { VARIANT_LABEL } from '../gemm.mjs';
import { innermostLoops, parseAnnotate, parseReport } from './perf-output.mjs';

const CHILD = fileURLToPath(new URL('./product-loop.mjs', import.meta.url));
const [variantArg, shapeArg, secondsArg] = process.argv.slice(2);
const variants = variantArg ? variantArg.split(',') : ['matmul', 'matmulTN', 'matmulNT'];
const shapes = (shapeArg ?? '64,64,64;256,256,256;512,512,512;1024,1024,1024').split(';').map((s) => s.split(',').map(Number));
const seconds = Number(secondsArg ?? 6);

/** Runs a command in `cwd`; its stdout, or a thrown error with its stderr. */
function run(/** @type {string} */ cwd, /** @type {string[]} */ command) {
  const result = spawnSync(command[0], command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr || result.error}`);
  return result.stdout;
}

/** One product under perf: its rates, and its samples split into its multiply-add loops and the rest. */
function profile(/** @type {string} */ variant, /** @type {number[]} */ [m, k, n]) {
  const dir = mkdtempSync(join(tmpdir(), 'engram-profile-'));
  try {
    // -k 1: the monotonic clock V8's jit dump is stamped with, so perf inject can match the two.
    const out = run(dir, ['perf', 'record', '-q', '-k', '1', '-e', 'cpu-clock', '-F', '4000', '-o', 'perf.data', '--',
      process.execPath, '--perf-prof', CHILD, variant, String(m), String(k), String(n), String(seconds)]);
    const rates = JSON.parse(out.trim().split('\n').pop() ?? '');
    run(dir, ['perf', 'inject', '--jit', '-i', 'perf.data', '-o', 'jit.data']);
    const symbols = parseReport(run(dir, ['perf', 'report', '-i', 'jit.data', '--stdio', '--sort', 'sym', '--percent-limit', '0']));
    const sum = (/** @type {{ percent: number }[]} */ list) => list.reduce((total, s) => total + s.percent, 0);
    const peakPattern = `wasm-function[${rates.peakFunction}]-`;
    const peakPercent = sum(symbols.filter((s) => s.name.includes(peakPattern)));
    // The product's samples: its optimized wasm code (the baseline tier's, before V8 tiers it up, and
    // node's start-up are left out, as the child's medians leave them out) and memory.copy.
    const wasm = symbols.filter((s) => /^JS:wasm-function\[\d+\]-\d+-turbofan$/.test(s.name) && !s.name.includes(peakPattern));
    const copyPercent = sum(symbols.filter((s) => s.name.includes('memmove')));
    const productPercent = sum(wasm) + copyPercent;
    const hottest = wasm.reduce((a, b) => (b.percent > a.percent ? b : a));
    const rows = parseAnnotate(run(dir, ['perf', 'annotate', '-i', 'jit.data', '--stdio', '-s', hottest.name]));
    const loops = innermostLoops(rows).filter((l) => l.multiplies > 0);
    const inLoops = loops.reduce((total, l) => total + l.percent, 0);
    // Annotate's percentages are of the function's samples; scale them to the product's.
    const share = (/** @type {number} */ ofFunction) => (ofFunction * hottest.percent) / 100 / productPercent;
    return {
      variant, shape: `${m}×${k}·${k}×${n}`, ...rates,
      // The peak loop's samples against the product's, and its seconds against the product's: a check
      // that the right functions were taken for each.
      peakSamples: peakPercent / (peakPercent + productPercent),
      loopShare: share(inLoops),
      restOfFunction: share(100 - inLoops),
      otherFunctions: Math.max(0, productPercent - hottest.percent - copyPercent) / productPercent,
      copy: copyPercent / productPercent,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = new Date();
const machine = machineMarkdown();
console.error(machine);
/** @type {ReturnType<typeof profile>[]} */
const results = [];
for (const shape of shapes) {
  for (const variant of variants) {
    console.error(`profiling ${variant} ${shape.join('×')}`);
    results.push(profile(variant, shape));
  }
}
// Shares under a millionth are float noise of the subtraction: shown as 0.
const percent = (/** @type {number} */ x) => `${formatNumber(x < 1e-6 ? 0 : 100 * x)}%`;
const range = (/** @type {number[]} */ values) => {
  const [low, high] = [percent(Math.min(...values)), percent(Math.max(...values))];
  return low === high ? low : `${low}–${high}`;
};
const ofPeak = (/** @type {typeof results[number]} */ r) => r.productGflops / r.peakGflops;
const loopsOfPeak = (/** @type {typeof results[number]} */ r) => ofPeak(r) / r.loopShare;
// Target 1a's squares, 256 to 1024.
const judged = results.filter((r) => /^(256|512|1024)×\1·\1×\1$/.test(r.shape));
const summary = judged.length === 0 ? '' : [
  `**On the 256–1024 squares** (target 1a): the products ran at ${range(judged.map(ofPeak))} of the peak loop. ` +
    `Their multiply-add loops took ${range(judged.map((r) => r.loopShare))} of their samples and ran at ` +
    `${range(judged.map(loopsOfPeak))} of the peak loop while they did; the rest of the function (packing, the ` +
    `partial sums' block ends, the tails) took ${range(judged.map((r) => r.restOfFunction))}, memory.copy ` +
    `${range(judged.map((r) => r.copy))}. For a product to reach 85% of the peak with its loops taking ` +
    `${percent(Math.max(...judged.map((r) => r.loopShare)))} of its time (the largest share here), they must run at ` +
    `${percent(0.85 / Math.max(...judged.map((r) => r.loopShare)))} of the peak or more.`,
  '',
].join('\n');
const markdown = [
  '# Where engram\'s matrix products spend their time',
  '',
  `Written by \`npm run profile:gemm\` (bench/profile/gemm.mjs) at ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `${seconds} s a product, sampled by perf at 4 kHz on a software clock.`,
  '',
  machine,
  '',
  markdownTable(
    ['shape', 'variant', 'GFLOP/s', 'peak loop GFLOP/s', 'product % of peak', 'in multiply-add loops', 'rest of its function',
      'other wasm functions', 'memory.copy', 'the loops alone, % of peak', 'peak: samples / seconds'],
    results.map((r) => [
      r.shape, VARIANT_LABEL[/** @type {keyof typeof VARIANT_LABEL} */ (r.variant)], formatNumber(r.productGflops), formatNumber(r.peakGflops),
      percent(ofPeak(r)), percent(r.loopShare), percent(r.restOfFunction), percent(r.otherFunctions), percent(r.copy),
      percent(loopsOfPeak(r)), `${percent(r.peakSamples)} / ${percent(r.peakShare)}`,
    ]),
  ),
  '',
  summary,
  '- **Product % of peak:** the product\'s median rate against the peak loop\'s (bench/peak/peak.mjs), timed in alternation ' +
    'in the same process and seconds. The machine\'s state changes between rows (a neighbour on the core\'s other thread), ' +
    'so compare rows by this column, not by GFLOP/s.',
  '- **In multiply-add loops:** the samples on the innermost loops of the product\'s hottest function that hold vector ' +
    'multiplies: the micro-kernel (kernel2x16 and kernel4x8, tiles.ts) inlined at each of its callers, and a lone row\'s ' +
    'strip loop. The share is of the product\'s samples: its optimized wasm code and memory.copy.',
  '- **The loops alone:** product % of peak divided by that share: how fast the micro-kernel runs while it runs inside ' +
    'the product, its operands coming from wherever the product left them. At 64³ they sit in L1.',
  '- **Peak: samples / seconds:** the peak loop\'s share of the samples against its share of the timed seconds. Equal ' +
    'shares say the profile and the clock agree on what ran.',
  '- A sample lands on the instruction after the one that held the core (skid), so the split between loops and the ' +
    'code around them is exact to a few instructions, and no finer split inside the loop is drawn here.',
].join('\n');
if (shapeArg === undefined) {
  writeFileSync(fileURLToPath(new URL('../PROFILE.md', import.meta.url)), `${markdown}\n`);
  console.error('bench/PROFILE.md written');
}
console.log(markdown);
