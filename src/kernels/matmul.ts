// JS twin of assembly/matmul.ts: the same products on a Float32Array, indices in elements.
// Plain loops in the cache-friendly i-p-j order, summed in f64 and stored as f32.

/** out[m×n] = a[m×k] · b[k×n] */
export function matmul(mem: Float32Array, out: number, a: number, b: number, m: number, k: number, n: number): void {
  gemm(mem, out, a, b, -1, m, k, n, k, 1);
}

/** out[m×n] = aᵀ · b, with a stored [k×m] and b [k×n] */
export function matmulTN(mem: Float32Array, out: number, a: number, b: number, m: number, k: number, n: number): void {
  gemm(mem, out, a, b, -1, m, k, n, 1, m);
}

/** out[m×n] = a[m×k] · bᵀ, with b stored [n×k] */
export function matmulNT(mem: Float32Array, out: number, a: number, b: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const rowA = a + i * k;
    for (let j = 0; j < n; j++) {
      const rowB = b + j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += mem[rowA + p] * mem[rowB + p];
      mem[out + i * n + j] = sum;
    }
  }
}

/**
 * out[m×n] = A · b[k×n] (+ bias[n] when bias ≥ 0), A(i, p) at a + i·aRowStride + p·aDepthStride.
 * The accumulators are a row of f64s, kept in a scratch array that grows to the widest row seen.
 */
export function gemm(
  mem: Float32Array, out: number, a: number, b: number, bias: number,
  m: number, k: number, n: number, aRowStride: number, aDepthStride: number,
): void {
  const row = rowScratch(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) row[j] = bias >= 0 ? mem[bias + j] : 0;
    for (let p = 0; p < k; p++) {
      const av = mem[a + i * aRowStride + p * aDepthStride];
      const rowB = b + p * n;
      for (let j = 0; j < n; j++) row[j] += av * mem[rowB + j];
    }
    const rowOut = out + i * n;
    for (let j = 0; j < n; j++) mem[rowOut + j] = row[j];
  }
}

let scratch = new Float64Array(64);

function rowScratch(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}
