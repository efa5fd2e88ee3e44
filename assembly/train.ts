// Whole training epochs in one call: the loop the host would otherwise drive step by step. For small
// networks the cost of a step is mostly crossings between JavaScript and WebAssembly, so the loop lives
// here, next to the kernels, and reads everything it needs from the descriptor (assembly/descriptor.ts).
//
// Memory contract: as the kernels; the descriptor, data, order and history buffers are laid out by the
// host. Per epoch: the parameters are copied to the snapshot, the order is reshuffled (when asked),
// then every batch runs forward, loss, backward and one optimizer update. A non-finite loss, parameter
// or optimizer state restores the snapshot and stops. src/kernels/train.ts is the JS twin of this file.

import {
  DESC_LAYER_COUNT, DESC_LOSS, DESC_FUSED, DESC_PARAMS, DESC_PARAM_COUNT, DESC_GRAD_OFFSET, DESC_SNAPSHOT,
  DESC_OPTIMIZER, DESC_SLOT0, DESC_SLOT1, DESC_INPUT, DESC_TARGET, DESC_SCRATCH0, DESC_SCRATCH1,
  DESC_X_DATA, DESC_Y_DATA, DESC_SAMPLE_COUNT, DESC_BATCH_SIZE, DESC_SHUFFLE, DESC_ORDER, DESC_RNG_STATE,
  DESC_CURSOR, DESC_STEP, DESC_NESTEROV, DESC_LEARNING_RATE, DESC_HYPER1, DESC_HYPER2, DESC_EPSILON,
  DESC_WEIGHT_DECAY, DESC_CLIP_VALUE, DESC_CLIP_NORM, DESC_COMPLEMENT1, DESC_COMPLEMENT2, DESC_LOSS_SUM, DESC_LAYERS, DESC_LAYER_BYTES, LAYER_INPUTS, LAYER_UNITS,
  LAYER_ACTIVATION, LAYER_KERNEL, LAYER_BIAS, LAYER_OUTPUT, OPTIMIZER_MOMENTUM, OPTIMIZER_ADAM,
  OPTIMIZER_RMSPROP, STOP_PAUSED, STOP_DIVERGED, STOP_THRESHOLD,
} from './descriptor';
import { ACTIVATION_LINEAR, ACTIVATION_SOFTMAX } from './codes';
import { matmulNT, matmulTN, setBlockScratch } from './matmul';
import { dense } from './dense';
import { activationBackward, softmaxBackward } from './activation';
import { lossForward, lossBackward } from './loss';
import { sgd, sgdMomentum, adam, rmsprop } from './optimizer';
import { columnSums, addScaled, allFinite, clip, sumSquares, scale } from './reduce';

/**
 * Trains up to `epochs` epochs, or until `maxBatches` batches have run (then it pauses mid-epoch and the
 * next call resumes there). Writes each completed epoch's mean loss to history[f64]. Returns the number
 * of epochs completed, with STOP_PAUSED, STOP_DIVERGED or STOP_THRESHOLD set when it stopped early.
 */
export function trainEpochs(desc: usize, epochs: i32, maxBatches: i32, history: usize, errorThreshold: f64): i32 {
  const count = field(desc, DESC_SAMPLE_COUNT);
  const batchSize = field(desc, DESC_BATCH_SIZE);
  const shuffle = field(desc, DESC_SHUFFLE) != 0;
  const width = layerField(desc, 0, LAYER_INPUTS);
  const outputs = layerField(desc, field(desc, DESC_LAYER_COUNT) - 1, LAYER_UNITS);
  const xData = <usize>field(desc, DESC_X_DATA);
  const yData = <usize>field(desc, DESC_Y_DATA);
  let done = 0;
  let batches = 0;
  while (done < epochs) {
    let cursor = field(desc, DESC_CURSOR);
    let sum = load<f64>(desc + DESC_LOSS_SUM);
    if (cursor == 0) {
      copyParams(desc, true);
      if (shuffle) shuffleOrder(desc, count);
      sum = 0;
    }
    while (cursor < count) {
      if (batches == maxBatches) {
        store<i32>(desc + DESC_CURSOR, cursor);
        store<f64>(desc + DESC_LOSS_SUM, sum);
        return done | STOP_PAUSED;
      }
      const rows = min(batchSize, count - cursor);
      let x = xData + <usize>(cursor * width) * 4;
      let y = yData + <usize>(cursor * outputs) * 4;
      if (shuffle) {
        x = <usize>field(desc, DESC_INPUT);
        y = <usize>field(desc, DESC_TARGET);
        gather(desc, x, xData, cursor, rows, width);
        gather(desc, y, yData, cursor, rows, outputs);
      }
      const loss = trainStep(desc, x, y, rows);
      if (!isFinite(loss)) return diverge(desc, done);
      sum += loss;
      cursor += rows;
      batches++;
    }
    if (!stateFinite(desc)) return diverge(desc, done);
    const epochLoss = sum / <f64>count;
    store<f64>(history + (<usize>done << 3), epochLoss);
    store<i32>(desc + DESC_CURSOR, 0);
    store<f64>(desc + DESC_LOSS_SUM, 0);
    done++;
    if (epochLoss <= errorThreshold) return done | STOP_THRESHOLD;
  }
  return done;
}

/** One batch: forward, loss, backward, update. Returns the batch's summed loss (no update if not finite). */
export function trainStep(desc: usize, x: usize, y: usize, rows: i32): f64 {
  const out = forward(desc, x, rows);
  const last = layerAt(desc, field(desc, DESC_LAYER_COUNT) - 1);
  const loss = lossForward(out, y, rows, load<i32>(last + LAYER_UNITS), field(desc, DESC_LOSS));
  if (!isFinite(loss)) return loss;
  backward(desc, x, y, rows);
  update(desc);
  return loss;
}

/** Runs `rows` samples from x through every layer; returns the last layer's output pointer. */
export function forward(desc: usize, x: usize, rows: i32): usize {
  const layers = field(desc, DESC_LAYER_COUNT);
  // Both gradient buffers are free until backward: once the batch passes 256 rows, A·B copies a layer's
  // kernel there, a depth block of its strips at a time (matmul/panel.ts). Together they hold
  // 2 × capacity × widest layer floats, more than such a block's 512 × units.
  const scratch = <usize>field(desc, DESC_SCRATCH0);
  setBlockScratch(scratch, <i32>min<usize>(2 * (<usize>field(desc, DESC_SCRATCH1) - scratch), i32.MAX_VALUE));
  let input = x;
  for (let i = 0; i < layers; i++) {
    const layer = layerAt(desc, i);
    const output = <usize>load<i32>(layer + LAYER_OUTPUT);
    dense(
      output, input, <usize>load<i32>(layer + LAYER_KERNEL), <usize>load<i32>(layer + LAYER_BIAS),
      rows, load<i32>(layer + LAYER_INPUTS), load<i32>(layer + LAYER_UNITS), load<i32>(layer + LAYER_ACTIVATION),
    );
    input = output;
  }
  setBlockScratch(0, 0);
  return input;
}

/** Fills every gradient with ∂(mean loss over the rows)/∂parameter from the last forward pass over x. */
export function backward(desc: usize, x: usize, y: usize, rows: i32): void {
  const layers = field(desc, DESC_LAYER_COUNT);
  const toGrad = <usize>field(desc, DESC_GRAD_OFFSET);
  const fused = field(desc, DESC_FUSED);
  let grad = <usize>field(desc, DESC_SCRATCH0);
  let spare = <usize>field(desc, DESC_SCRATCH1);
  // The two gradient buffers are laid out one after the other, each [capacity × widest layer].
  const scratchBytes = <i32>(spare - grad);
  const last = layerAt(desc, layers - 1);
  lossBackward(grad, <usize>load<i32>(last + LAYER_OUTPUT), y, rows, load<i32>(last + LAYER_UNITS), field(desc, DESC_LOSS), fused);
  if (fused == 0) throughActivation(grad, grad, last, rows);
  for (let i = layers - 1; i >= 0; i--) {
    const layer = layerAt(desc, i);
    const inputs = load<i32>(layer + LAYER_INPUTS);
    const units = load<i32>(layer + LAYER_UNITS);
    const kernel = <usize>load<i32>(layer + LAYER_KERNEL);
    const input = i > 0 ? <usize>load<i32>(layerAt(desc, i - 1) + LAYER_OUTPUT) : x;
    // The weight gradient xᵀ·δ may copy δ's blocks into the other gradient buffer, unused until matmulNT.
    setBlockScratch(spare, scratchBytes);
    matmulTN(kernel + toGrad, input, grad, inputs, rows, units);
    setBlockScratch(0, 0);
    columnSums(<usize>load<i32>(layer + LAYER_BIAS) + toGrad, grad, rows, units);
    if (i == 0) break;
    matmulNT(spare, grad, kernel, rows, units, inputs);
    throughActivation(spare, spare, layerAt(desc, i - 1), rows);
    const next = spare;
    spare = grad;
    grad = next;
  }
}

/**
 * ∂(Σ seed ⊙ outputs)/∂inputs for every row of the last forward pass: seed[rows×outputs] is the gradient
 * with respect to the last layer's outputs (after its activation), carried back through every layer to
 * the inputs. Returns the pointer of the result, [rows×inputs], in the input buffer: the gradient
 * scratch is sized for the layers, not the input, and the forward pass no longer needs its input.
 * The parameters' gradients are left as they were: explaining a prediction must not disturb training.
 */
export function inputGradient(desc: usize, seed: usize, rows: i32): usize {
  const layers = field(desc, DESC_LAYER_COUNT);
  let grad = <usize>field(desc, DESC_SCRATCH0);
  let spare = <usize>field(desc, DESC_SCRATCH1);
  throughActivation(grad, seed, layerAt(desc, layers - 1), rows);
  for (let i = layers - 1; i >= 0; i--) {
    const layer = layerAt(desc, i);
    const to = i > 0 ? spare : <usize>field(desc, DESC_INPUT);
    matmulNT(
      to, grad, <usize>load<i32>(layer + LAYER_KERNEL), rows, load<i32>(layer + LAYER_UNITS), load<i32>(layer + LAYER_INPUTS),
    );
    if (i == 0) return to;
    throughActivation(spare, spare, layerAt(desc, i - 1), rows);
    const next = spare;
    spare = grad;
    grad = next;
  }
  return grad;
}

/**
 * One optimizer update of every parameter: gradient clipping (by value, then by the global norm), weight
 * decay into the kernels' gradients, then the rule.
 */
export function update(desc: usize): void {
  const w = <usize>field(desc, DESC_PARAMS);
  const toGrad = <usize>field(desc, DESC_GRAD_OFFSET);
  const count = field(desc, DESC_PARAM_COUNT);
  const lr = load<f32>(desc + DESC_LEARNING_RATE);
  const h1 = load<f32>(desc + DESC_HYPER1);
  const h2 = load<f32>(desc + DESC_HYPER2);
  const epsilon = load<f32>(desc + DESC_EPSILON);
  const decay = load<f32>(desc + DESC_WEIGHT_DECAY);
  const step = field(desc, DESC_STEP) + 1;
  store<i32>(desc + DESC_STEP, step);
  const clipValue = load<f32>(desc + DESC_CLIP_VALUE);
  if (clipValue > 0) clip(w + toGrad, count, clipValue);
  const clipNorm = load<f64>(desc + DESC_CLIP_NORM);
  if (clipNorm > 0) {
    const norm = Math.sqrt(sumSquares(w + toGrad, count));
    if (norm > clipNorm) scale(w + toGrad, count, <f32>(clipNorm / norm));
  }
  if (decay > 0) {
    const layers = field(desc, DESC_LAYER_COUNT);
    for (let i = 0; i < layers; i++) {
      const layer = layerAt(desc, i);
      const kernel = <usize>load<i32>(layer + LAYER_KERNEL);
      addScaled(kernel + toGrad, kernel, load<i32>(layer + LAYER_INPUTS) * load<i32>(layer + LAYER_UNITS), decay);
    }
  }
  const slot0 = <usize>field(desc, DESC_SLOT0);
  switch (field(desc, DESC_OPTIMIZER)) {
    case OPTIMIZER_MOMENTUM: {
      sgdMomentum(w, w + toGrad, slot0, count, lr, h1, field(desc, DESC_NESTEROV));
      break;
    }
    case OPTIMIZER_ADAM: {
      const correction1 = 1 / (1 - Math.pow(<f64>h1, <f64>step));
      const correction2 = 1 / (1 - Math.pow(<f64>h2, <f64>step));
      adam(
        w, w + toGrad, slot0, <usize>field(desc, DESC_SLOT1), count, lr, h1, h2,
        load<f32>(desc + DESC_COMPLEMENT1), load<f32>(desc + DESC_COMPLEMENT2), epsilon, <f32>correction1, <f32>correction2,
      );
      break;
    }
    case OPTIMIZER_RMSPROP: {
      rmsprop(w, w + toGrad, slot0, count, lr, h1, load<f32>(desc + DESC_COMPLEMENT1), epsilon);
      break;
    }
    default: sgd(w, w + toGrad, count, lr);
  }
}

/** out ← grad ⊙ act′ for the layer's activation (out may be grad: in place). */
@inline
function throughActivation(out: usize, grad: usize, layer: usize, rows: i32): void {
  const activation = load<i32>(layer + LAYER_ACTIVATION);
  const units = load<i32>(layer + LAYER_UNITS);
  const output = <usize>load<i32>(layer + LAYER_OUTPUT);
  if (activation == ACTIVATION_SOFTMAX) softmaxBackward(out, grad, output, rows, units);
  else if (activation != ACTIVATION_LINEAR) activationBackward(out, grad, output, rows * units, activation);
  else if (out != grad) memory.copy(out, grad, <usize>(rows * units) << 2);
}

/** Copies the parameters to the snapshot (save) or back (restore). */
function copyParams(desc: usize, save: bool): void {
  const params = <usize>field(desc, DESC_PARAMS);
  const snapshot = <usize>field(desc, DESC_SNAPSHOT);
  const bytes = <usize>field(desc, DESC_PARAM_COUNT) << 2;
  if (save) memory.copy(snapshot, params, bytes);
  else memory.copy(params, snapshot, bytes);
}

/**
 * Whether the parameters and the optimizer's state are all finite. The state can overflow while the
 * parameters stay finite (Adam's v = g² past 3.4e38 stops the update instead of breaking it), and would
 * then leave a model file with infinities in it.
 */
function stateFinite(desc: usize): bool {
  const count = field(desc, DESC_PARAM_COUNT);
  const slot0 = <usize>field(desc, DESC_SLOT0);
  const slot1 = <usize>field(desc, DESC_SLOT1);
  return allFinite(<usize>field(desc, DESC_PARAMS), count) != 0 &&
    (slot0 == 0 || allFinite(slot0, count) != 0) &&
    (slot1 == 0 || allFinite(slot1, count) != 0);
}

function diverge(desc: usize, done: i32): i32 {
  copyParams(desc, false);
  store<i32>(desc + DESC_CURSOR, 0);
  store<f64>(desc + DESC_LOSS_SUM, 0);
  return done | STOP_DIVERGED;
}

/** A fresh permutation of [0, count) from the identity: Fisher–Yates driven by mulberry32 (src/rng.ts). */
function shuffleOrder(desc: usize, count: i32): void {
  const order = <usize>field(desc, DESC_ORDER);
  for (let i = 0; i < count; i++) store<u32>(order + (<usize>i << 2), i);
  for (let i = count - 1; i > 0; i--) {
    const j = <i32>Math.floor(<f64>nextUint32(desc) / 4294967296.0 * <f64>(i + 1));
    const a = order + (<usize>i << 2);
    const b = order + (<usize>j << 2);
    const t = load<u32>(a);
    store<u32>(a, load<u32>(b));
    store<u32>(b, t);
  }
}

function nextUint32(desc: usize): u32 {
  const state = load<u32>(desc + DESC_RNG_STATE) + 0x6d2b79f5;
  store<u32>(desc + DESC_RNG_STATE, state);
  let t = (state ^ (state >>> 15)) * (state | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

/** Copies the rows named by order[start, start + rows) into consecutive rows at `to`. */
function gather(desc: usize, to: usize, from: usize, start: i32, rows: i32, width: i32): void {
  const order = <usize>field(desc, DESC_ORDER);
  const rowBytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const index = <usize>load<u32>(order + (<usize>(start + r) << 2));
    memory.copy(to + <usize>r * rowBytes, from + index * rowBytes, rowBytes);
  }
}

@inline
function field(desc: usize, offset: i32): i32 {
  return load<i32>(desc + <usize>offset);
}

@inline
function layerAt(desc: usize, index: i32): usize {
  return desc + <usize>(DESC_LAYERS + index * DESC_LAYER_BYTES);
}

@inline
function layerField(desc: usize, index: i32, offset: i32): i32 {
  return load<i32>(layerAt(desc, index) + <usize>offset);
}
