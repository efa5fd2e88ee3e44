// What the kernel tests share: seeded random f32 inputs, and a closeness check whose failure names the
// first index (with its row and column) where a kernel's output leaves the reference's.
import { expect } from 'vitest';
import { seeded } from './reference.js';

export type Random = ReturnType<typeof seeded>;

/** `count` numbers uniform in [lo, hi), held as f32: exactly what a kernel will read. */
export function randomArray(rand: Random, count: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: count }, () => rand(lo, hi));
}

/** How far a value may be from the expected one: atol + rtol·|expected|, or a bound per index. */
export type Tolerance = { rtol: number; atol: number } | ((index: number) => number);

/**
 * The first index where `got` is further from `expected` than the tolerance allows, described (with its
 * row and column when `cols` is given); undefined when every element is close. NaN matches only NaN,
 * ±∞ only itself.
 */
export function firstMismatch(
  got: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, cols?: number,
): string | undefined {
  if (got.length !== expected.length) return `length ${got.length}, expected ${expected.length}`;
  const bound = typeof tolerance === 'function'
    ? tolerance
    : (i: number) => tolerance.atol + tolerance.rtol * Math.abs(expected[i]);
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const e = expected[i];
    if (g === e || (Number.isNaN(g) && Number.isNaN(e))) continue;
    const allowed = bound(i);
    if (Math.abs(g - e) <= allowed) continue;
    const where = cols === undefined ? `index ${i}` : `index ${i} [row ${Math.floor(i / cols)}, col ${i % cols}]`;
    return `${where}: got ${g}, expected ${e} (allowed ±${allowed.toPrecision(3)})`;
  }
  return undefined;
}

/** Asserts `got` ≈ `expected` element by element; `what` names the kernel, backend and shape. */
export function expectClose(
  got: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, what: string, cols?: number,
): void {
  expect(firstMismatch(got, expected, tolerance, cols), what).toBeUndefined();
}

/** The spacing of f32 values at |v|'s binade (2⁻¹⁴⁹ among the subnormals): one ulp of v as an f32. */
export function f32Ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  // log2 may round across a power of two; step back onto the binade that holds a.
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}
