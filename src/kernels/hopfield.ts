// JS twin of assembly/hopfield.ts: the associative memory's fields, sweeps, learning-rule updates and
// attention step. Same contract; indices are f32 elements, and `order` holds i32 unit indices.

/** out[size] = weights[size×size] · state[size] */
export function hopfieldField(mem: Float32Array, out: number, weights: number, state: number, size: number): void {
  for (let i = 0; i < size; i++) {
    const row = weights + i * size;
    let sum = 0;
    for (let j = 0; j < size; j++) sum += mem[row + j] * mem[state + j];
    mem[out + i] = sum;
  }
}

/** One asynchronous sweep in `order` (a zero field keeps the unit); field stays weights·state. Returns flips. */
export function hopfieldSweep(
  mem: Float32Array, order: Int32Array, state: number, field: number, weights: number, orderAt: number, size: number,
): number {
  let flips = 0;
  for (let t = 0; t < size; t++) {
    const i = order[orderAt + t];
    const s = mem[state + i];
    if (mem[field + i] * s < 0) {
      mem[state + i] = -s;
      const row = weights + i * size;
      for (let j = 0; j < size; j++) mem[field + j] += -2 * s * mem[row + j];
      flips++;
    }
  }
  return flips;
}

/** out[size] = sign(field), a zero field keeping the state. Returns the units changed. */
export function hopfieldSync(mem: Float32Array, out: number, field: number, state: number, size: number): number {
  let changed = 0;
  for (let i = 0; i < size; i++) {
    const h = mem[field + i];
    const s = mem[state + i];
    const next = h > 0 ? 1 : h < 0 ? -1 : s;
    mem[out + i] = next;
    if (next !== s) changed++;
  }
  return changed;
}

/** weights[size×size] += scale · Σ vᵣ·vᵣᵀ over vectors[count×size], diagonal zero. */
export function hopfieldOuter(mem: Float32Array, weights: number, vectors: number, count: number, size: number, scale: number): void {
  for (let i = 0; i < size; i++) {
    const row = weights + i * size;
    for (let r = 0; r < count; r++) {
      const v = vectors + r * size;
      const alpha = Math.fround(scale * mem[v + i]);
      for (let j = 0; j < size; j++) mem[row + j] += alpha * mem[v + j];
    }
  }
  for (let i = 0; i < size; i++) mem[weights + i * size + i] = 0;
}

/** Storkey's rule for one pattern, field = weights·pattern given: see assembly/hopfield.ts. */
export function hopfieldStorkey(mem: Float32Array, weights: number, field: number, pattern: number, size: number): void {
  for (let i = 0; i < size; i++) {
    const row = weights + i * size;
    const xi = mem[pattern + i];
    const hi = mem[field + i];
    for (let j = 0; j < size; j++) {
      const xj = mem[pattern + j];
      const w = mem[row + j];
      // ξᵢξⱼ − ξᵢ(hⱼ − wᵢⱼξᵢ) − (hᵢ − wᵢⱼξⱼ)ξⱼ
      mem[row + j] = w + (xi * xj - xi * (mem[field + j] - w * xi) - (hi - w * xj) * xj) / size;
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) mem[weights + j * size + i] = mem[weights + i * size + j];
    mem[weights + i * size + i] = 0;
  }
}

/** probs[count] = softmax(β·patterns·state); out[size] = patternsᵀ·probs. Returns log Σ exp(β·scores). */
export function hopfieldAttend(
  mem: Float32Array, out: number, probs: number, patterns: number, state: number, count: number, size: number, beta: number,
): number {
  let peak = -Infinity;
  for (let k = 0; k < count; k++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += mem[patterns + k * size + j] * mem[state + j];
    mem[probs + k] = beta * sum;
    peak = Math.max(peak, mem[probs + k]);
  }
  let sum = 0;
  for (let k = 0; k < count; k++) {
    mem[probs + k] = Math.exp(mem[probs + k] - peak);
    sum += mem[probs + k];
  }
  mem.fill(0, out, out + size);
  for (let k = 0; k < count; k++) {
    mem[probs + k] /= sum;
    const weight = mem[probs + k];
    for (let j = 0; j < size; j++) mem[out + j] += weight * mem[patterns + k * size + j];
  }
  return peak + Math.log(sum);
}
