// JS twin of assembly/loss.ts. Same definitions: mean over rows; within a row the mean over columns,
// except categorical cross-entropy (sum over classes); probabilities clipped to [ε, 1−ε] before a log.

import { LOSSES } from '../codes.js';

const EPSILON = 1e-7;
const ONE_MINUS_EPSILON = Math.fround(1 - EPSILON);
const HUBER_DELTA = 1;

/** Σ over the rows of each row's loss. */
export function lossForward(
  mem: Float32Array, pred: number, target: number, rows: number, cols: number, loss: number,
): number {
  lossForwardTo(returned, 0, mem, pred, target, rows, cols, loss);
  return returned[0];
}

const returned = new Float64Array(1);

/**
 * As lossForward, with the sum written to out[at] instead of returned: what the step loop calls. V8 boxes
 * a double returned from a call it does not inline, which would allocate on every training step.
 */
export function lossForwardTo(
  out: Float64Array, at: number, mem: Float32Array, pred: number, target: number, rows: number, cols: number, loss: number,
): void {
  let total = 0;
  for (let i = 0; i < rows * cols; i++) total += elementLoss(mem[pred + i], mem[target + i], loss);
  out[at] = loss === LOSSES.categoricalCrossentropy ? total : total / cols;
}

/** out[rows×cols] = ∂(mean loss)/∂pred, or ∂/∂z for the fused sigmoid+BCE and softmax+CCE pairs. */
export function lossBackward(
  mem: Float32Array, out: number, pred: number, target: number,
  rows: number, cols: number, loss: number, fused: number,
): void {
  const count = rows * cols;
  if (loss === LOSSES.categoricalCrossentropy) {
    for (let r = 0; r < rows; r++) {
      const offset = r * cols;
      let mass = 0;
      if (fused) for (let c = 0; c < cols; c++) mass += mem[target + offset + c];
      for (let c = 0; c < cols; c++) {
        const p = mem[pred + offset + c];
        const y = mem[target + offset + c];
        const g = fused ? p * mass - y : p > EPSILON && p < ONE_MINUS_EPSILON ? -y / p : 0;
        mem[out + offset + c] = g / rows;
      }
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const p = mem[pred + i];
    const y = mem[target + i];
    let g = 0;
    switch (loss) {
      case LOSSES.mse: g = 2 * (p - y); break;
      case LOSSES.mae: g = Math.sign(p - y); break;
      case LOSSES.huber: g = Math.min(Math.max(p - y, -HUBER_DELTA), HUBER_DELTA); break;
      case LOSSES.binaryCrossentropy:
        if (fused) g = p - y;
        else if (p > EPSILON && p < ONE_MINUS_EPSILON) g = (p - y) / (p * (1 - p));
        break;
    }
    mem[out + i] = g / count;
  }
}

/** The loss of one output, before the row's mean (or sum). Shared with evaluation and tests. */
export function elementLoss(p: number, y: number, loss: number): number {
  switch (loss) {
    case LOSSES.mse: return (p - y) * (p - y);
    case LOSSES.mae: return Math.abs(p - y);
    case LOSSES.huber: {
      const e = Math.abs(p - y);
      return e <= HUBER_DELTA ? 0.5 * e * e : HUBER_DELTA * (e - 0.5 * HUBER_DELTA);
    }
    case LOSSES.binaryCrossentropy: {
      const q = clip(p);
      return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }
    case LOSSES.categoricalCrossentropy: return y === 0 ? 0 : -y * Math.log(clip(p));
    default: return 0;
  }
}

function clip(p: number): number {
  return Math.min(Math.max(p, EPSILON), ONE_MINUS_EPSILON);
}
