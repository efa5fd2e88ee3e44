// Small data sets the network tests share.

/** The worked example engram grew from: y = X·[1, 2] + 3. */
export const WORKED_X = [[1, 2], [2, 3], [3, 4], [4, 5]];
export const WORKED_Y = WORKED_X.map(([a, b]) => a + 2 * b + 3);

export const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const XOR_Y = [0, 1, 1, 0];

/** Bit-level equality of two float arrays, with the first differing index in the message. */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(Math.fround(a[i]), Math.fround(b[i]))) return `index ${i}: ${show(a[i])} vs ${show(b[i])}`;
  }
  return undefined;
}

/** A number as sameBits reports it: −0 shown as such, since it is the difference sameBits may be reporting. */
const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
