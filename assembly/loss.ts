// Losses: the value (for reporting) and the gradient (for training), side by side.
//
// Memory contract: pred and target are f32 [rows×cols] row-major; out is f32 [rows×cols] and may alias
// pred. Every loss is the mean over rows (samples); within a row it is the mean over columns, except
// categorical cross-entropy, which sums over classes (the Keras/TF.js definitions). Probabilities are
// clipped to [ε, 1−ε] with ε = 1e-7 before a log, as Keras does; the gradient is zero where the clip holds.

import {
  LOSS_MSE, LOSS_MAE, LOSS_HUBER, LOSS_BINARY_CROSSENTROPY, LOSS_CATEGORICAL_CROSSENTROPY,
} from './codes';

const EPSILON: f32 = 1e-7;
const HUBER_DELTA: f32 = 1;

/** Σ over the rows of each row's loss (the caller divides by the sample count); f64 so that long sums stay exact. */
export function lossForward(pred: usize, target: usize, rows: i32, cols: i32, loss: i32): f64 {
  const count = rows * cols;
  let total: f64 = 0;
  for (let i = 0; i < count; i++) {
    const at = (<usize>i) << 2;
    total += <f64>elementLoss(load<f32>(pred + at), load<f32>(target + at), loss);
  }
  // Every loss but categorical cross-entropy averages over the columns of a row.
  return loss == LOSS_CATEGORICAL_CROSSENTROPY ? total : total / <f64>cols;
}

/**
 * out[rows×cols] = ∂(mean loss)/∂pred. With `fused` ≠ 0 (sigmoid + binary or softmax + categorical
 * cross-entropy) it is instead ∂(mean loss)/∂z for the pre-activation z: the stable (p − y) form.
 */
export function lossBackward(
  out: usize, pred: usize, target: usize, rows: i32, cols: i32, loss: i32, fused: i32,
): void {
  const count = rows * cols;
  const perElement: f32 = 1 / <f32>count;
  const perRow: f32 = 1 / <f32>rows;
  if (loss == LOSS_CATEGORICAL_CROSSENTROPY) {
    if (fused != 0) {
      // ∂/∂z of −Σ y·log softmax(z) is p·Σy − y (p − y when the targets sum to one).
      const rowBytes = (<usize>cols) << 2;
      for (let r = 0; r < rows; r++) {
        const offset = <usize>r * rowBytes;
        let mass: f32 = 0;
        for (let c = 0; c < cols; c++) mass += load<f32>(target + offset + ((<usize>c) << 2));
        for (let c = 0; c < cols; c++) {
          const at = offset + ((<usize>c) << 2);
          store<f32>(out + at, (load<f32>(pred + at) * mass - load<f32>(target + at)) * perRow);
        }
      }
    } else {
      for (let i = 0; i < count; i++) {
        const at = (<usize>i) << 2;
        const p = load<f32>(pred + at);
        store<f32>(out + at, p > EPSILON && p < 1 - EPSILON ? -load<f32>(target + at) / p * perRow : 0);
      }
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const at = (<usize>i) << 2;
    const p = load<f32>(pred + at);
    const y = load<f32>(target + at);
    let g: f32 = 0;
    switch (loss) {
      case LOSS_MSE: { g = 2 * (p - y); break; }
      case LOSS_MAE: { g = p > y ? 1 : (p < y ? -1 : 0); break; }
      case LOSS_HUBER: { g = min<f32>(max<f32>(p - y, -HUBER_DELTA), HUBER_DELTA); break; }
      case LOSS_BINARY_CROSSENTROPY: {
        if (fused != 0) g = p - y;
        else if (p > EPSILON && p < 1 - EPSILON) g = (p - y) / (p * (1 - p));
        break;
      }
      default: break;
    }
    store<f32>(out + at, g * perElement);
  }
}

@inline
function elementLoss(p: f32, y: f32, loss: i32): f32 {
  switch (loss) {
    case LOSS_MSE: { const e = p - y; return e * e; }
    case LOSS_MAE: return Mathf.abs(p - y);
    case LOSS_HUBER: {
      const e = Mathf.abs(p - y);
      return e <= HUBER_DELTA ? 0.5 * e * e : HUBER_DELTA * (e - 0.5 * HUBER_DELTA);
    }
    case LOSS_BINARY_CROSSENTROPY: {
      const q = clip(p);
      return -(y * Mathf.log(q) + (1 - y) * Mathf.log(1 - q));
    }
    case LOSS_CATEGORICAL_CROSSENTROPY: return y == 0 ? 0 : -y * Mathf.log(clip(p));
    default: return 0;
  }
}

@inline
function clip(p: f32): f32 {
  return min<f32>(max<f32>(p, EPSILON), 1 - EPSILON);
}
