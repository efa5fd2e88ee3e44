// columnSums, addScaled, allFinite, clip, sumSquares and scale on both backends, against plain f64 loops,
// over counts that reach the SIMD body and the scalar tail.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { expectClose, randomArray } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

const COUNTS = [1, 3, 4, 5, 17, 33];
const ROWS = [1, 2, 3, 5, 64];
const F32_MAX = 3.4028234663852886e38;

/** Where a value sits relative to allFinite's 4-lane loop: first, last of the vector body, last of all. */
function positions(count: number): [string, number][] {
  const body = count - (count % 4);
  const places: [string, number][] = [['head', 0]];
  if (body > 0) places.push(['SIMD body', body - 1]);
  places.push([count % 4 === 0 ? 'end (last lane)' : 'tail', count - 1]);
  return places;
}

describe.each(BACKENDS)('reductions on %s', (backend) => {
  let bare: Backend;
  beforeAll(async () => {
    bare = await bareBackend(backend);
  });

  it(`columnSums: rows ${ROWS.join(', ')} × cols ${COUNTS.join(', ')}`, () => {
    for (const rows of ROWS) {
      for (const cols of COUNTS) {
        const arena = new Arena(bare);
        const a = randomArray(seeded(rows * 100 + cols), rows * cols);
        const pa = arena.put(a);
        const out = arena.alloc(cols);
        bare.kernels.columnSums(out, pa, rows, cols);
        const expected = new Float64Array(cols);
        const magnitude = new Float64Array(cols);
        a.forEach((v, i) => {
          expected[i % cols] += v;
          magnitude[i % cols] += Math.abs(v);
        });
        const what = `columnSums on ${backend}, rows ${rows}, cols ${cols}`;
        expectClose(arena.read(out, cols), expected, (j) => 1e-6 * Math.sqrt(rows) * magnitude[j], what);
        expect(sameBits(arena.read(pa, rows * cols), a), `${what}: a changed`).toBeUndefined();
        expect(arena.writtenGuard(), `${what}: outside out[cols]`).toBeUndefined();
      }
    }
  });

  it(`addScaled: out += alpha·x, counts ${COUNTS.join(', ')}, alpha 0.5, −2 and 0`, () => {
    for (const count of COUNTS) {
      for (const alpha of [0.5, -2, 0]) {
        const arena = new Arena(bare);
        const rand = seeded(count * 3);
        const start = randomArray(rand, count);
        const x = randomArray(rand, count);
        const out = arena.put(start);
        const px = arena.put(x);
        bare.kernels.addScaled(out, px, count, alpha);
        const what = `addScaled on ${backend}, count ${count}, alpha ${alpha}`;
        const expected = Array.from(start, (v, i) => v + alpha * x[i]);
        expectClose(arena.read(out, count), expected, (i) => 1e-7 * (Math.abs(start[i]) + Math.abs(alpha * x[i])), what);
        expect(sameBits(arena.read(px, count), x), `${what}: x changed`).toBeUndefined();
        expect(arena.writtenGuard(), `${what}: outside out[count]`).toBeUndefined();
      }
    }
  });

  it(`allFinite: 1 for finite values (up to ±f32 max), 0 for NaN, +∞ or −∞ at the head, SIMD body or tail`, () => {
    for (const count of COUNTS) {
      const arena = new Arena(bare);
      const x = randomArray(seeded(count), count, -1e3, 1e3);
      x[0] = F32_MAX;
      x[count - 1] = -F32_MAX;
      if (count > 2) x[1] = -0;
      const px = arena.put(x);
      expect(bare.kernels.allFinite(px, count), `allFinite on ${backend}, count ${count}, all finite`).toBe(1);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const [place, at] of positions(count)) {
          arena.backend.f32.set(x, px >> 2);
          arena.backend.f32[(px >> 2) + at] = bad;
          const what = `allFinite on ${backend}, count ${count}, ${bad} at ${at} (${place})`;
          expect(bare.kernels.allFinite(px, count), what).toBe(0);
        }
      }
      expect(arena.writtenGuard(), `allFinite on ${backend}, count ${count}: wrote to memory`).toBeUndefined();
    }
  });

  it(`clip: x clamped to [−limit, limit] in place, counts ${COUNTS.join(', ')}`, () => {
    for (const count of COUNTS) {
      const arena = new Arena(bare);
      const x = randomArray(seeded(count * 5), count, -3, 3);
      const px = arena.put(x);
      bare.kernels.clip(px, count, 1.5);
      const what = `clip on ${backend}, count ${count}, limit 1.5`;
      expectClose(arena.read(px, count), Array.from(x, (v) => Math.min(Math.max(v, -1.5), 1.5)), { rtol: 0, atol: 0 }, what);
      expect(arena.writtenGuard(), `${what}: outside x[count]`).toBeUndefined();
    }
  });

  it(`sumSquares: Σ x², counts ${COUNTS.join(', ')}`, () => {
    for (const count of COUNTS) {
      const arena = new Arena(bare);
      const x = randomArray(seeded(count * 7), count, -2, 2);
      const px = arena.put(x);
      const expected = x.reduce((s, v) => s + v * v, 0);
      const what = `sumSquares on ${backend}, count ${count}`;
      expectClose([bare.kernels.sumSquares(px, count)], [expected], { rtol: 1e-12, atol: 0 }, what);
      expect(arena.writtenGuard(), `${what}: wrote to memory`).toBeUndefined();
    }
  });

  it(`scale: x *= factor in place, counts ${COUNTS.join(', ')}`, () => {
    for (const count of COUNTS) {
      const arena = new Arena(bare);
      const x = randomArray(seeded(count * 11), count);
      const px = arena.put(x);
      bare.kernels.scale(px, count, -0.75);
      const what = `scale on ${backend}, count ${count}, factor −0.75`;
      expectClose(arena.read(px, count), Array.from(x, (v) => v * -0.75), { rtol: 1e-7, atol: 0 }, what);
      expect(arena.writtenGuard(), `${what}: outside x[count]`).toBeUndefined();
    }
  });
});
