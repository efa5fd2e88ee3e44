// JS twin of assembly/reduce.ts.

/** out[cols] = Σ over rows of a[rows×cols]. */
export function columnSums(mem: Float32Array, out: number, a: number, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += mem[a + r * cols + c];
    mem[out + c] = sum;
  }
}

/** out[count] += alpha · x[count]. */
export function addScaled(mem: Float32Array, out: number, x: number, count: number, alpha: number): void {
  for (let i = 0; i < count; i++) mem[out + i] += alpha * mem[x + i];
}

/** 1 when every one of x[count] is finite, else 0. */
export function allFinite(mem: Float32Array, x: number, count: number): number {
  for (let i = 0; i < count; i++) if (!Number.isFinite(mem[x + i])) return 0;
  return 1;
}

/** x[count] clamped to [−limit, limit] in place. */
export function clip(mem: Float32Array, x: number, count: number, limit: number): void {
  for (let i = 0; i < count; i++) mem[x + i] = Math.max(Math.min(mem[x + i], limit), -limit);
}

/** Σ x² over x[count]. */
export function sumSquares(mem: Float32Array, x: number, count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += mem[x + i] * mem[x + i];
  return total;
}

/** x[count] *= factor, in place. */
export function scale(mem: Float32Array, x: number, count: number, factor: number): void {
  for (let i = 0; i < count; i++) mem[x + i] *= factor;
}
