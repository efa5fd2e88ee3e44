// The bench's helpers on fixed numbers: the table formatter and the arithmetic behind every ratio in
// bench/RESULTS.md. The benchmarks themselves never run in `npm test` (tests never assert on time).

import { describe, expect, it } from 'vitest';
import {
  formatBytes, formatNumber, formatRatio, formatTime, gemmFlops, gflops, isNumeric, markdownTable, median, meets, speedup, verdict,
} from '../bench/lib/format.mjs';
import { FLOPS_PER_ITERATION, peakFunction, peakModuleBytes } from '../bench/peak/peak.mjs';
import { trainWorkedExample, PARAMS } from '../bench/lib/worked.mjs';
import { runInterleaved } from '../bench/lib/run.mjs';
import { placeProduct } from '../bench/lib/product.mjs';
import { innermostLoops, parseAnnotate, parseReport } from '../bench/profile/perf-output.mjs';
import { bareBackend } from './helpers/backends.js';

describe('bench ratio math', () => {
  it('takes medians of odd and even counts, unsorted', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('reads a speedup as baseline time over system time', () => {
    expect(speedup(2, 10)).toBe(5);
    expect(speedup(10, 2)).toBe(0.2);
  });

  it('counts GEMM flops as 2mkn and converts ms to GFLOP/s', () => {
    expect(gemmFlops(64, 784, 128)).toBe(2 * 64 * 784 * 128);
    // 2·256³ flops in 1 ms is 33.554432 GFLOP/s.
    expect(gflops(gemmFlops(256, 256, 256), 1)).toBeCloseTo(33.554432, 9);
  });

  it('judges targets in both directions, never passing NaN', () => {
    expect(meets(8, 8, 'atLeast')).toBe(true);
    expect(meets(7.99, 8, 'atLeast')).toBe(false);
    expect(meets(1.5, 1.5, 'atMost')).toBe(true);
    expect(meets(1.51, 1.5, 'atMost')).toBe(false);
    expect(meets(NaN, 1, 'atMost')).toBe(false);
    expect([verdict(true), verdict(false)]).toEqual(['pass', 'FAIL']);
  });
});

describe('bench formatting', () => {
  it('prints three significant digits and thousands separators', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1.5)).toBe('1.50');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(11944.2)).toBe('11,944');
    expect(formatNumber(0)).toBe('0');
    expect(formatRatio(23.14)).toBe('23.1×');
  });

  it('picks the unit that reads best', () => {
    expect(formatTime(0.0000512)).toBe('51.2 ns');
    expect(formatTime(0.0513)).toBe('51.3 µs');
    expect(formatTime(1.616)).toBe('1.62 ms');
    expect(formatTime(2040)).toBe('2.04 s');
    expect(formatBytes(581)).toBe('581 B');
    expect(formatBytes(70.7 * 1024)).toBe('70.7 KiB');
    expect(formatBytes(3 * 1024 ** 2)).toBe('3.00 MiB');
  });

  it('writes a markdown table, numbers right-aligned, text left, pipes escaped', () => {
    const table = markdownTable(['system', 'median', 'ratio', 'note'], [
      ['engram-wasm', '1.62 ms', '1.00×', 'a | b'],
      ['hand-js', '317 µs', '0.196×', 'loop'],
    ]);
    expect(table.split('\n')).toEqual([
      '| system | median | ratio | note |',
      '| :--- | ---: | ---: | :--- |',
      '| engram-wasm | 1.62 ms | 1.00× | a \\| b |',
      '| hand-js | 317 µs | 0.196× | loop |',
    ]);
    expect(isNumeric('11,944')).toBe(true);
    expect(isNumeric('—')).toBe(true);
    expect(isNumeric('engram-js')).toBe(false);
  });
});

describe('interleaved runs', () => {
  it('run every task in every round, in rotating order, except those limited to fewer rounds', async () => {
    const order: string[] = [];
    const task = (name: string, rounds?: number) => ({
      name, rounds, time: 1, iterations: 1, before: () => { order.push(name); }, fn: () => undefined,
    });
    const results = await runInterleaved([task('a'), task('b'), task('slow', 1)], { rounds: 3, warmup: false, log: false });
    expect(order).toEqual(['a', 'b', 'slow', 'b', 'a', 'a', 'b']);
    expect(results.get('slow')?.samples).toBeGreaterThan(0);
  });
});

describe('bench fixtures', () => {
  it('the peak module is valid WebAssembly and does FLOPS_PER_ITERATION flops an iteration', () => {
    expect(WebAssembly.validate(peakModuleBytes(false))).toBe(true);
    const peak = peakFunction(false);
    if (!peak) throw new Error('the plain peak module must instantiate');
    // The value it returns is its twelve chains summed, so it shows how many steps each chain took: six
    // chains of f32x4 multiplies (acc ← acc·m) from 0..5, six of adds (acc ← acc + c) from 6..11, each
    // step one operation on 4 lanes. Emulated here in f32, step by step, then summed in the module's order.
    const iterations = 3;
    const steps = FLOPS_PER_ITERATION / (12 * 4);
    const m = Math.fround(1.0000001);
    const c = Math.fround(0.001);
    const chains = Array.from({ length: 12 }, (_, i) => {
      let acc = Math.fround(i);
      for (let s = 0; s < steps * iterations; s++) acc = Math.fround(i < 6 ? acc * m : acc + c);
      return acc;
    });
    const expected = chains.reduce((sum, acc) => Math.fround(sum + acc));
    expect(peak(iterations)).toBe(expected);
    // One step fewer or more per iteration would show: the add chains alone move by 6·c·iterations.
    expect(Math.abs(peak(iterations) - (15 + 51 + 6 * steps * iterations * 0.001))).toBeLessThan(1e-3);
  });

  it('the hand-written 2-2-1 loop matches finite differences of its own loss', () => {
    const x = new Float64Array([1, 2, 2, 3, 3, 4, 4, 5]);
    const y = new Float64Array([8, 11, 14, 17]);
    const p = new Float64Array([0.3, -0.2, 0.5, 0.1, 0, 0, 0.4, -0.6, 0]);
    expect(p.length).toBe(PARAMS);
    // One step with learning rate 1 subtracts the gradient; compare it with central differences of the loss.
    const loss = (q: Float64Array) => trainWorkedExample(Float64Array.from(q), x, y, 1, 0);
    const stepped = Float64Array.from(p);
    trainWorkedExample(stepped, x, y, 1, 1);
    for (let i = 0; i < PARAMS; i++) {
      const h = 1e-6;
      const up = Float64Array.from(p);
      const down = Float64Array.from(p);
      up[i] += h;
      down[i] -= h;
      const numeric = (loss(up) - loss(down)) / (2 * h);
      expect(p[i] - stepped[i], `parameter ${i}`).toBeCloseTo(numeric, 4);
    }
  });
});

describe('bench product layout', () => {
  // placeProduct lends the kernels the panel (from 64 rows) and the block scratch (used by Aᵀ·B when
  // n ≥ 128 is a multiple of 16, by A·B past 256 rows) right after out: if either overlapped an operand,
  // packing would corrupt it.
  it.each([[64, 40, 24], [64, 8, 1024], [300, 40, 32], [7, 5, 3]])('every variant is right where it puts a %i×%i·%i product', async (m, k, n) => {
    const backend = await bareBackend('wasm');
    const { pa, pb, po } = placeProduct(backend, m, k, n);
    const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
    const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
    // Each variant's operands as it stores them: Aᵀ·B takes A as [k×m], A·Bᵀ takes B as [n×k].
    const at = Float32Array.from({ length: m * k }, (_, i) => a[(i % m) * k + Math.floor(i / m)]);
    const bt = Float32Array.from({ length: k * n }, (_, i) => b[(i % k) * n + Math.floor(i / k)]);
    for (const [variant, aIn, bIn] of [['matmul', a, b], ['matmulTN', at, b], ['matmulNT', a, bt]] as const) {
      backend.f32.set(aIn, pa >> 2);
      backend.f32.set(bIn, pb >> 2);
      backend.kernels[variant](po, pa, pb, m, k, n);
      const out = backend.f32.subarray(po >> 2, (po >> 2) + m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
          expect(out[i * n + j], `${variant} (${i}, ${j})`).toBeCloseTo(sum, 4);
        }
      }
    }
  });
});

describe('bench profile: reading perf', () => {
  // Shaped as perf 6 prints them for jitted wasm (bench/profile/gemm.mjs): a report's symbol lines and
  // an annotated function with an outer loop around two inner ones, only one of which multiplies.
  const report = [
    '# Samples: 51K of event \'cpu-clock\'',
    '#',
    '    91.23%  [.] JS:wasm-function[17]-17-turbofan',
    '     4.33%  [.] JS:wasm-function[17]-17-liftoff',
    '     1.73%  [.] __memmove_avx_unaligned_erms',
    '     0.07%  [k] _raw_spin_unlock_irqrestore',
    '',
  ].join('\n');
  const annotate = [
    ' Percent |      Source code & Disassembly of jitted-1-17.so for cpu-clock (51294 samples)',
    '    0.10 :   1000:   lea    0x4(%r11),%r14d',
    '    1.00 :   1004:   vmovdqu (%r8,%r9,1),%xmm0',
    '    2.00 :   100a:   vmovdqu %xmm0,(%r8,%r10,1)',
    '    0.50 :   1010:   cmp    %eax,%r9d',
    '    0.00 :   1013:   jb     1004 <JS:wasm-function[17]-17-turbofan+0xf84>',
    '   30.00 :   1020:   vmulps %xmm9,%xmm8,%xmm10',
    '   40.00 :   1025:   vaddps %xmm3,%xmm10,%xmm3',
    '   10.00 :   1029:   vfmadd231ps %xmm1,%xmm2,%xmm4',
    '    5.00 :   102e:   cmp    %eax,%r11d',
    '    0.40 :   1031:   jb     1020 <JS:wasm-function[17]-17-turbofan+0xfa0>',
    '    1.00 :   1037:   jmp    1000 <JS:wasm-function[17]-17-turbofan+0xf80>',
    '    0.00 :   103c:   jae    1100 <JS:wasm-function[17]-17-turbofan+0x1080>',
  ].join('\n');

  it('reads each symbol and its share of the samples, user and kernel', () => {
    expect(parseReport(report)).toEqual([
      { name: 'JS:wasm-function[17]-17-turbofan', percent: 91.23 },
      { name: 'JS:wasm-function[17]-17-liftoff', percent: 4.33 },
      { name: '__memmove_avx_unaligned_erms', percent: 1.73 },
      { name: '_raw_spin_unlock_irqrestore', percent: 0.07 },
    ]);
  });

  it('reads each instruction with its address and its share of the function', () => {
    const rows = parseAnnotate(annotate);
    expect(rows).toHaveLength(12);
    expect(rows[5]).toEqual({ percent: 30, address: 0x1020, op: 'vmulps', operands: '%xmm9,%xmm8,%xmm10' });
  });

  it('finds the loops that hold no other, hottest first, and counts their multiplies', () => {
    // 1000–1037 holds both others; a forward jump (103c) is no loop.
    expect(innermostLoops(parseAnnotate(annotate))).toEqual([
      { start: 0x1020, end: 0x1031, percent: expect.closeTo(85.4, 9), instructions: 5, multiplies: 2 },
      { start: 0x1004, end: 0x1013, percent: expect.closeTo(3.5, 9), instructions: 4, multiplies: 0 },
    ]);
  });
});
