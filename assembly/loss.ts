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
    total += elementLoss(<f64>load<f32>(pred + at), <f64>load<f32>(target + at), loss);
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

// The value is computed in f64, as the JS twin computes it: in f32 a squared error of 1e20 (or a sum of
// them) loses digits that a user comparing backends, or an errorThreshold, would see.
@inline
function elementLoss(p: f64, y: f64, loss: i32): f64 {
  switch (loss) {
    case LOSS_MSE: { const e = p - y; return e * e; }
    case LOSS_MAE: return Math.abs(p - y);
    case LOSS_HUBER: {
      const e = Math.abs(p - y);
      const delta = <f64>HUBER_DELTA;
      return e <= delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
    }
    case LOSS_BINARY_CROSSENTROPY: {
      const q = clip(p);
      return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }
    case LOSS_CATEGORICAL_CROSSENTROPY: return y == 0 ? 0 : -y * Math.log(clip(p));
    default: return 0;
  }
}

// The same bounds as the JS twin's: 1e-7 and 1 − 1e-7 rounded to f32.
const CLIP_LOW: f64 = 1e-7;
const CLIP_HIGH: f64 = <f64>(<f32>1 - EPSILON);

@inline
function clip(p: f64): f64 {
  return min<f64>(max<f64>(p, CLIP_LOW), CLIP_HIGH);
}
