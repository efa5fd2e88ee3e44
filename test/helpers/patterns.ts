// Random bipolar patterns and seeded damage for the associative-memory tests.
import { seeded } from './reference.js';

export type Random = ReturnType<typeof seeded>;

/** `count` patterns of `size` values, each ±1 with equal odds. */
export function randomPatterns(random: Random, count: number, size: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: size }, () => (random() < 0.5 ? -1 : 1)));
}

/** A copy of the pattern with exactly round(fraction·size) values negated, chosen uniformly. */
export function flip(random: Random, pattern: readonly number[], fraction: number): number[] {
  const order = pattern.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const copy = [...pattern];
  for (const i of order.slice(0, Math.round(fraction * pattern.length))) copy[i] = -copy[i];
  return copy;
}

/** Whether the recalled state, read by sign, is exactly the pattern. */
export function recallsExactly(recalled: ArrayLike<number>, pattern: readonly number[]): boolean {
  return pattern.every((v, i) => Math.sign(recalled[i]) === v);
}
