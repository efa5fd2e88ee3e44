// matmul, matmulTN and matmulNT on both backends against a naive f64 product, over shapes that reach
// every tail of the WebAssembly tiling: rows by 4 then 1, columns by 8, 4 (16, 4 for lone rows) then 1,
// products under 4 columns wide as scalar sums (deeper than a cache block too),
// matmulNT's dot products by 4 along k (and its scalar path below k = 4), and GEMM's 256×256 blocks;
// then, on wasm, the packed panel that products of 64 rows and more take when the host provides one.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { Arena, BACKENDS, bareBackend } from '../helpers/backends.js';
import { JsBackend } from '../../src/backends/js.js';
import { ACTIVATIONS } from '../../src/codes.js';
import { expectClose, randomArray } from '../helpers/compare.js';
import { sameBits } from '../helpers/data.js';
import { seeded } from '../helpers/reference.js';

type Product = 'matmul' | 'matmulTN' | 'matmulNT';
const PRODUCTS: Product[] = ['matmul', 'matmulTN', 'matmulNT'];

/** Below, at and above 4 and 8, primes, and sizes that fill several tiles. */
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 33, 64];
/** A dense network's products (batch 64 of MNIST into 128 units; 128 units into 10 classes), and
 * shapes past GEMM's 256-deep, 256-wide cache blocks. */
const LARGE: [number, number, number][] = [[64, 784, 128], [32, 128, 10], [4, 256, 256], [5, 257, 263], [9, 520, 17], [6, 300, 3]];

/** Where A(i, p) and B(p, j) sit in the stored a and b of each product. */
function layout(product: Product, m: number, k: number, n: number) {
  return {
    a: product === 'matmulTN' ? (i: number, p: number) => p * m + i : (i: number, p: number) => i * k + p,
    b: product === 'matmulNT' ? (p: number, j: number) => j * k + p : (p: number, j: number) => p * n + j,
  };
}

/** The product in f64, and Σ|A(i,p)·B(p,j)| per element: the scale its rounding error is measured against. */
function reference(product: Product, a: Float32Array, b: Float32Array, m: number, k: number, n: number) {
  const at = layout(product, m, k, n);
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const term = a[at.a(i, p)] * b[at.b(p, j)];
        sum += term;
        abs += Math.abs(term);
      }
      value[i * n + j] = sum;
      magnitude[i * n + j] = abs;
    }
  }
  return { value, magnitude };
}

/**
 * Runs one product on fresh memory and checks the output, the inputs and every guard. With `panel`, the
 * kernels get the packing panel they ask for at m rows, and a block scratch of `scratch` floats (in the
 * arena, so their guards are checked too). Returns the output.
 */
function check(
  backend: Backend, product: Product, m: number, k: number, n: number, panel = false, scratch = k * n,
): Float32Array {
  const arena = new Arena(backend);
  const rand = seeded(m * 10007 + k * 101 + n);
  const a = randomArray(rand, m * k);
  const b = randomArray(rand, k * n);
  const pa = arena.put(a);
  const pb = arena.put(b);
  const out = arena.alloc(m * n);
  const panelBytes = panel ? backend.kernels.panelBytes(m) : 0;
  backend.kernels.setPanel(panelBytes > 0 ? arena.alloc(panelBytes / 4) : 0);
  // As a network lends its gradient buffers, to forward's A·B and to backward's Aᵀ·B (by default k × n).
  if (panel) backend.kernels.setBlockScratch(arena.alloc(scratch), 4 * scratch);
  try {
    backend.kernels[product](out, pa, pb, m, k, n);
  } finally {
    backend.kernels.setPanel(0);
    backend.kernels.setBlockScratch(0, 0);
  }

  const what = `${product} on ${backend.name}, (m, k, n) = (${m}, ${k}, ${n})`;
  const { value, magnitude } = reference(product, a, b, m, k, n);
  // f32 sums of k terms: rounding grows like √k, relative to the terms' own size.
  const tolerance = (i: number) => 1e-5 * Math.sqrt(k) * magnitude[i];
  expectClose(arena.read(out, m * n), value, tolerance, what, n);
  expect(arena.writtenGuard(), `${what}: outside out[m×n]`).toBeUndefined();
  expect(sameBits(arena.read(pa, m * k), a), `${what}: a changed`).toBeUndefined();
  expect(sameBits(arena.read(pb, k * n), b), `${what}: b changed`).toBeUndefined();
  return arena.read(out, m * n);
}

/**
 * Shapes for the packed panel (products of ≥ 64 rows): rows by 4 then 1 and past a 256-row block;
 * columns in 8-wide strips then the last n mod 8 in place; depth past one 512-deep panel, and A·Bᵀ's
 * transposing copy by 4 depths then 1. Past a row block, A·B copies each depth block's 16-column strips
 * into the block scratch first (263×33·33×24; 290×600·600×57, three strips, two depth blocks, two row
 * blocks, then an 8-column strip and one column). Aᵀ·B copies B's blocks into the block scratch it is
 * lent when n ≥ 128 is a multiple of 16, here k × n, so each block spans all n columns: 1024
 * (64×9·9×1024), past a 256-deep block and with the last 3 rows outside its 8-row passes
 * (67×300·300×1024), 400 columns and 2 rows outside the passes (66×260·260×400), 128 (64×784·784×128),
 * eight rows a pass then four then one, 140 deep (69×140·140×144, A's rows packed in the panel); 130
 * columns, not a multiple of 16, stay in place (65×7·7×130). SCRATCH_SHAPES and SHORT_SCRATCH_SHAPES
 * lend less.
 */
const PANEL_SHAPES: [number, number, number][] = [
  [64, 1, 8], [64, 3, 9], [65, 7, 13], [67, 64, 16], [64, 784, 128], [128, 128, 10], [131, 515, 17], [263, 33, 24],
  [96, 1030, 8], [70, 0, 12], [64, 9, 1024], [67, 300, 1024], [66, 260, 400], [65, 7, 130], [69, 140, 144],
  [290, 600, 57],
];

/**
 * Aᵀ·B lent a block scratch that holds 256 columns of a depth block (kc × 256 floats) but not all n:
 * 256-column blocks, four of them (64×9·9×1024), past a 256-deep block with the last 3 rows outside the
 * 8-row passes (67×300·300×1024), and a last block 144 wide (66×260·260×400).
 */
const SCRATCH_SHAPES: [number, number, number][] = [[64, 9, 1024], [67, 300, 1024], [66, 260, 400]];
/** A·B past a row block lent a block scratch one strip short of a depth block's: every row block packs its own. */
const SHORT_SCRATCH_SHAPES: [number, number, number][] = [[263, 33, 24], [290, 600, 57]];

describe('matrix products through the packed panel (wasm)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await bareBackend('wasm');
  });

  it('is wanted from 64 rows, and by the JS kernels never', () => {
    expect(backend.kernels.panelBytes(63)).toBe(0);
    expect(backend.kernels.panelBytes(64)).toBeGreaterThan(0);
    expect(new JsBackend().kernels.panelBytes(1 << 20)).toBe(0);
  });

  for (const product of PRODUCTS) {
    it(`${product}: ${PANEL_SHAPES.map((s) => s.join('×')).join(', ')}`, () => {
      for (const [m, k, n] of PANEL_SHAPES) {
        const paneled = check(backend, product, m, k, n, true);
        // A·B and Aᵀ·B sum every element in the same order either way, so the panel changes no bit.
        if (product !== 'matmulNT') expect(sameBits(paneled, check(backend, product, m, k, n)), `${m}×${k}×${n}`).toBeUndefined();
      }
    });
  }

  it(`matmulTN with a block scratch narrower than out: ${SCRATCH_SHAPES.map((s) => s.join('×')).join(', ')}`, () => {
    for (const [m, k, n] of SCRATCH_SHAPES) {
      const blocks = check(backend, 'matmulTN', m, k, n, true, Math.min(k, 256) * 256);
      expect(sameBits(blocks, check(backend, 'matmulTN', m, k, n)), `${m}×${k}×${n}`).toBeUndefined();
      expect(sameBits(blocks, check(backend, 'matmulTN', m, k, n, true)), `${m}×${k}×${n}, wide`).toBeUndefined();
    }
  });

  it(`matmul with a block scratch too small for a depth block's strips: ${SHORT_SCRATCH_SHAPES.map((s) => s.join('×')).join(', ')}`, () => {
    for (const [m, k, n] of SHORT_SCRATCH_SHAPES) {
      const short = Math.min(k, 512) * 16 * (Math.floor(n / 16) - 1) + 15;
      const packed = check(backend, 'matmul', m, k, n, true, short);
      expect(sameBits(packed, check(backend, 'matmul', m, k, n)), `${m}×${k}×${n}`).toBeUndefined();
      expect(sameBits(packed, check(backend, 'matmul', m, k, n, true)), `${m}×${k}×${n}, copied`).toBeUndefined();
    }
  });

  it('dense starts every row from the bias there too, bit for bit as without the panel', () => {
    for (const [m, k, n] of [[67, 515, 13], [64, 5, 8]]) {
      const rand = seeded(m + k + n);
      const x = randomArray(rand, m * k);
      const w = randomArray(rand, k * n);
      const bias = randomArray(rand, n);
      const run = (panel: boolean) => {
        const arena = new Arena(backend);
        const [px, pw, pbias, out] = [arena.put(x), arena.put(w), arena.put(bias), arena.alloc(m * n)];
        backend.kernels.setPanel(panel ? arena.alloc(backend.kernels.panelBytes(m) / 4) : 0);
        try {
          backend.kernels.dense(out, px, pw, pbias, m, k, n, ACTIVATIONS.linear);
        } finally {
          backend.kernels.setPanel(0);
        }
        expect(arena.writtenGuard(), `dense ${m}×${k}×${n}: outside its buffers`).toBeUndefined();
        return arena.read(out, m * n);
      };
      const paneled = run(true);
      expect(sameBits(paneled, run(false)), `dense ${m}×${k}×${n}`).toBeUndefined();
      expect(paneled.every(Number.isFinite)).toBe(true);
    }
  });
});

/**
 * A lone row's values (rows past the last 4-row tile, or a single sample): zeros in runs and scattered,
 * −0s, all zeros, none, and densities either side of the 3-in-4 line where the kernels stop listing.
 */
function loneRow(k: number, pattern: string, rand: () => number): Float32Array {
  const row = randomArray(rand, k);
  for (let p = 0; p < k; p++) {
    const zero =
      pattern === 'all zeros' ? true
      : pattern === 'no zeros' ? false
      : pattern === 'runs' ? Math.floor(p / 7) % 5 !== 2
      : pattern === 'three in four' ? p % 4 !== 1
      : pattern === 'one in four' ? p % 4 === 1
      // A digit's strokes: zeros before and after a middle stretch, so whole blocks of the sum (start.ts) hold no term.
      : pattern === 'middle only' ? p < k / 3 || p >= (2 * k) / 3 || rand() < 0.3
      : rand() < 0.8;
    if (zero) row[p] = p % 3 === 0 ? -0 : 0;
    else if (row[p] === 0) row[p] = 0.5;
  }
  return row;
}
const LONE_PATTERNS = ['all zeros', 'no zeros', 'runs', 'three in four', 'one in four', 'middle only', 'scattered'];

describe.each(BACKENDS)('dense on %s: lone rows that are mostly zeros', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await bareBackend(name);
  });

  it('give the bits a 4-row tile gives the same row, alone or after four others', () => {
    // k past a 256-deep block and not a multiple of 4; n by 16, 4 and 1.
    for (const [k, n] of [[1, 3], [3, 21], [4, 16], [17, 10], [300, 21], [784, 128], [515, 5]]) {
      for (const pattern of LONE_PATTERNS) {
        const rand = seeded(k * 31 + n + pattern.length);
        const row = loneRow(k, pattern, rand);
        const w = randomArray(rand, k * n);
        const bias = randomArray(rand, n);
        const run = (rows: Float32Array[]) => {
          const arena = new Arena(backend);
          const x = new Float32Array(rows.length * k);
          rows.forEach((r, i) => x.set(r, i * k));
          const [px, pw, pbias, out] = [arena.put(x), arena.put(w), arena.put(bias), arena.alloc(rows.length * n)];
          backend.kernels.dense(out, px, pw, pbias, rows.length, k, n, ACTIVATIONS.linear);
          expect(arena.writtenGuard(), `${k}×${n} ${pattern}: outside its buffers`).toBeUndefined();
          return arena.read(out, rows.length * n);
        };
        const what = `${name}, k = ${k}, n = ${n}, ${pattern}`;
        // Rows 0–3 fill one tile; row 4, the same values as row 0, is a lone row.
        const five = run([row, loneRow(k, 'no zeros', rand), loneRow(k, 'scattered', rand), row, row]);
        const tiled = five.subarray(0, n);
        expect(sameBits(five.subarray(4 * n, 5 * n), tiled), `${what}: row 4 of 5`).toBeUndefined();
        expect(sameBits(run([row]), tiled), `${what}: alone`).toBeUndefined();
        const expected = Float64Array.from({ length: n }, (_, j) => {
          let sum = bias[j];
          for (let p = 0; p < k; p++) sum += row[p] * w[p * n + j];
          return sum;
        });
        const scale = Float64Array.from({ length: n }, (_, j) => {
          let sum = Math.abs(bias[j]);
          for (let p = 0; p < k; p++) sum += Math.abs(row[p] * w[p * n + j]);
          return sum;
        });
        expectClose(tiled, expected, (j) => 1e-5 * Math.sqrt(k + 1) * scale[j] + 1e-30, what, n);
      }
    }
  });
});

describe.each(BACKENDS)('matrix products on %s', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await bareBackend(name);
  });

  for (const product of PRODUCTS) {
    for (const m of SIZES) {
      it(`${product}: m = ${m}, every k and n in [${SIZES.join(', ')}]`, () => {
        for (const k of SIZES) {
          for (const n of SIZES) check(backend, product, m, k, n);
        }
      });
    }

    it(`${product}: large shapes ${LARGE.map((s) => s.join('×')).join(', ')}`, () => {
      for (const [m, k, n] of LARGE) check(backend, product, m, k, n);
    });

    it(`${product}: k = 0 gives zeros`, () => {
      for (const [m, n] of [[1, 1], [3, 5], [4, 8], [5, 17]]) check(backend, product, m, 0, n);
    });
  }
});
