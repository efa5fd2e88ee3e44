// JS twin of assembly/train.ts: whole epochs in one call, reading the descriptor (src/descriptor.ts).
// Pointers in the descriptor are bytes; the twin kernels index f32 elements.

import { ACTIVATIONS } from '../codes.js';
import { DESC, LAYER, OPTIMIZERS, STOP } from '../descriptor.js';
import { dense } from './dense.js';
import { matmulNT, matmulTN } from './matmul.js';
import { activationBackward, softmaxBackward } from './activation.js';
import { lossBackward, lossForwardTo } from './loss.js';
import { adam, rmsprop, sgd, sgdMomentum } from './optimizer.js';
import { addScaled, allFinite, clip, columnSums, scale, sumSquares } from './reduce.js';

/** Views of one memory: f32 for the kernels, i32/u32/f64 for the descriptor, order and history. */
class Views {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  constructor(readonly f32: Float32Array) {
    this.i32 = new Int32Array(f32.buffer);
    this.u32 = new Uint32Array(f32.buffer);
    this.f64 = new Float64Array(f32.buffer, 0, f32.buffer.byteLength >> 3);
  }
  field(desc: number, offset: number): number {
    return this.i32[(desc + offset) >> 2];
  }
  layer(desc: number, index: number, offset: number): number {
    return this.i32[(desc + DESC.LAYERS + index * DESC.LAYER_BYTES + offset) >> 2];
  }
}

/** See assembly/train.ts: up to `epochs` epochs or `maxBatches` batches; returns epochs done | stop flag. */
export function trainEpochs(mem: Float32Array, desc: number, epochs: number, maxBatches: number, history: number, errorThreshold: number): number {
  const v = new Views(mem);
  const count = v.field(desc, DESC.SAMPLE_COUNT);
  const batchSize = v.field(desc, DESC.BATCH_SIZE);
  const shuffle = v.field(desc, DESC.SHUFFLE) !== 0;
  const width = v.layer(desc, 0, LAYER.INPUTS);
  const outputs = v.layer(desc, v.field(desc, DESC.LAYER_COUNT) - 1, LAYER.UNITS);
  const xData = v.field(desc, DESC.X_DATA);
  const yData = v.field(desc, DESC.Y_DATA);
  let done = 0;
  let batches = 0;
  while (done < epochs) {
    let cursor = v.field(desc, DESC.CURSOR);
    let sum = v.f64[(desc + DESC.LOSS_SUM) >> 3];
    if (cursor === 0) {
      copyParams(v, desc, true);
      if (shuffle) shuffleOrder(v, desc, count);
      sum = 0;
    }
    while (cursor < count) {
      if (batches === maxBatches) {
        v.i32[(desc + DESC.CURSOR) >> 2] = cursor;
        v.f64[(desc + DESC.LOSS_SUM) >> 3] = sum;
        return done | STOP.PAUSED;
      }
      const rows = Math.min(batchSize, count - cursor);
      let x = xData + cursor * width * 4;
      let y = yData + cursor * outputs * 4;
      if (shuffle) {
        x = v.field(desc, DESC.INPUT);
        y = v.field(desc, DESC.TARGET);
        gather(v, desc, x, xData, cursor, rows, width);
        gather(v, desc, y, yData, cursor, rows, outputs);
      }
      trainStepWith(v, desc, x, y, rows);
      const loss = stepLoss[0];
      if (!Number.isFinite(loss)) return diverge(v, desc, done);
      sum += loss;
      cursor += rows;
      batches++;
    }
    if (!stateFinite(v, desc)) return diverge(v, desc, done);
    const epochLoss = sum / count;
    v.f64[(history >> 3) + done] = epochLoss;
    v.i32[(desc + DESC.CURSOR) >> 2] = 0;
    v.f64[(desc + DESC.LOSS_SUM) >> 3] = 0;
    done++;
    if (epochLoss <= errorThreshold) return done | STOP.THRESHOLD;
  }
  return done;
}

/** One batch: forward, loss, backward, update; returns the batch's summed loss. */
export function trainStep(mem: Float32Array, desc: number, x: number, y: number, rows: number): number {
  trainStepWith(new Views(mem), desc, x, y, rows);
  return stepLoss[0];
}

/** The last step's summed loss. Steps leave it here rather than return it: see lossForwardTo. */
const stepLoss = new Float64Array(1);

function trainStepWith(v: Views, desc: number, x: number, y: number, rows: number): void {
  const out = forwardWith(v, desc, x, rows);
  const units = v.layer(desc, v.field(desc, DESC.LAYER_COUNT) - 1, LAYER.UNITS);
  lossForwardTo(stepLoss, 0, v.f32, out >> 2, y >> 2, rows, units, v.field(desc, DESC.LOSS));
  if (!Number.isFinite(stepLoss[0])) return;
  backwardWith(v, desc, x, y, rows);
  updateWith(v, desc);
}

/** Runs `rows` samples from x through every layer; returns the last layer's output pointer. */
export function forward(mem: Float32Array, desc: number, x: number, rows: number): number {
  return forwardWith(new Views(mem), desc, x, rows);
}

function forwardWith(v: Views, desc: number, x: number, rows: number): number {
  const layers = v.field(desc, DESC.LAYER_COUNT);
  let input = x;
  for (let i = 0; i < layers; i++) {
    const output = v.layer(desc, i, LAYER.OUTPUT);
    dense(
      v.f32, output >> 2, input >> 2, v.layer(desc, i, LAYER.KERNEL) >> 2, v.layer(desc, i, LAYER.BIAS) >> 2,
      rows, v.layer(desc, i, LAYER.INPUTS), v.layer(desc, i, LAYER.UNITS), v.layer(desc, i, LAYER.ACTIVATION),
    );
    input = output;
  }
  return input;
}

/** Fills every gradient with ∂(mean loss over the rows)/∂parameter from the last forward pass over x. */
export function backward(mem: Float32Array, desc: number, x: number, y: number, rows: number): void {
  backwardWith(new Views(mem), desc, x, y, rows);
}

function backwardWith(v: Views, desc: number, x: number, y: number, rows: number): void {
  const mem = v.f32;
  const layers = v.field(desc, DESC.LAYER_COUNT);
  const toGrad = v.field(desc, DESC.GRAD_OFFSET);
  const fused = v.field(desc, DESC.FUSED);
  let grad = v.field(desc, DESC.SCRATCH0);
  let spare = v.field(desc, DESC.SCRATCH1);
  const last = layers - 1;
  lossBackward(
    mem, grad >> 2, v.layer(desc, last, LAYER.OUTPUT) >> 2, y >> 2, rows, v.layer(desc, last, LAYER.UNITS),
    v.field(desc, DESC.LOSS), fused,
  );
  if (fused === 0) throughActivation(v, desc, grad, grad, last, rows);
  for (let i = last; i >= 0; i--) {
    const inputs = v.layer(desc, i, LAYER.INPUTS);
    const units = v.layer(desc, i, LAYER.UNITS);
    const kernel = v.layer(desc, i, LAYER.KERNEL);
    const input = i > 0 ? v.layer(desc, i - 1, LAYER.OUTPUT) : x;
    matmulTN(mem, (kernel + toGrad) >> 2, input >> 2, grad >> 2, inputs, rows, units);
    columnSums(mem, (v.layer(desc, i, LAYER.BIAS) + toGrad) >> 2, grad >> 2, rows, units);
    if (i === 0) break;
    matmulNT(mem, spare >> 2, grad >> 2, kernel >> 2, rows, units, inputs);
    throughActivation(v, desc, spare, spare, i - 1, rows);
    const next = spare;
    spare = grad;
    grad = next;
  }
}

/** See assembly/train.ts: seed[rows×outputs] carried back to the inputs; returns the result's pointer (the input buffer). */
export function inputGradient(mem: Float32Array, desc: number, seed: number, rows: number): number {
  const v = new Views(mem);
  const layers = v.field(desc, DESC.LAYER_COUNT);
  let grad = v.field(desc, DESC.SCRATCH0);
  let spare = v.field(desc, DESC.SCRATCH1);
  throughActivation(v, desc, grad, seed, layers - 1, rows);
  for (let i = layers - 1; i >= 0; i--) {
    const units = v.layer(desc, i, LAYER.UNITS);
    const to = i > 0 ? spare : v.field(desc, DESC.INPUT);
    matmulNT(mem, to >> 2, grad >> 2, v.layer(desc, i, LAYER.KERNEL) >> 2, rows, units, v.layer(desc, i, LAYER.INPUTS));
    if (i === 0) return to;
    throughActivation(v, desc, spare, spare, i - 1, rows);
    const next = spare;
    spare = grad;
    grad = next;
  }
  return grad;
}

/** One optimizer update of every parameter: clipping, weight decay, then the rule. */
export function update(mem: Float32Array, desc: number): void {
  updateWith(new Views(mem), desc);
}

function updateWith(v: Views, desc: number): void {
  const mem = v.f32;
  const w = v.field(desc, DESC.PARAMS) >> 2;
  const toGrad = v.field(desc, DESC.GRAD_OFFSET) >> 2;
  const count = v.field(desc, DESC.PARAM_COUNT);
  const lr = mem[(desc + DESC.LEARNING_RATE) >> 2];
  const h1 = mem[(desc + DESC.HYPER1) >> 2];
  const h2 = mem[(desc + DESC.HYPER2) >> 2];
  const epsilon = mem[(desc + DESC.EPSILON) >> 2];
  const decay = mem[(desc + DESC.WEIGHT_DECAY) >> 2];
  const step = v.field(desc, DESC.STEP) + 1;
  v.i32[(desc + DESC.STEP) >> 2] = step;
  const clipValue = mem[(desc + DESC.CLIP_VALUE) >> 2];
  if (clipValue > 0) clip(mem, w + toGrad, count, clipValue);
  const clipNorm = v.f64[(desc + DESC.CLIP_NORM) >> 3];
  if (clipNorm > 0) {
    const norm = Math.sqrt(sumSquares(mem, w + toGrad, count));
    if (norm > clipNorm) scale(mem, w + toGrad, count, Math.fround(clipNorm / norm));
  }
  if (decay > 0) {
    const layers = v.field(desc, DESC.LAYER_COUNT);
    for (let i = 0; i < layers; i++) {
      const kernel = v.layer(desc, i, LAYER.KERNEL) >> 2;
      addScaled(mem, kernel + toGrad, kernel, v.layer(desc, i, LAYER.INPUTS) * v.layer(desc, i, LAYER.UNITS), decay);
    }
  }
  const slot0 = v.field(desc, DESC.SLOT0) >> 2;
  switch (v.field(desc, DESC.OPTIMIZER)) {
    case OPTIMIZERS.momentum:
      sgdMomentum(mem, w, w + toGrad, slot0, count, lr, h1, v.field(desc, DESC.NESTEROV));
      break;
    case OPTIMIZERS.adam: {
      const correction1 = Math.fround(1 / (1 - Math.pow(h1, step)));
      const correction2 = Math.fround(1 / (1 - Math.pow(h2, step)));
      const complement1 = mem[(desc + DESC.COMPLEMENT1) >> 2];
      const complement2 = mem[(desc + DESC.COMPLEMENT2) >> 2];
      adam(mem, w, w + toGrad, slot0, v.field(desc, DESC.SLOT1) >> 2, count, lr, h1, h2, complement1, complement2, epsilon, correction1, correction2);
      break;
    }
    case OPTIMIZERS.rmsprop:
      rmsprop(mem, w, w + toGrad, slot0, count, lr, h1, mem[(desc + DESC.COMPLEMENT1) >> 2], epsilon);
      break;
    default:
      sgd(mem, w, w + toGrad, count, lr);
  }
}

/** out ← grad ⊙ act′ for the layer's activation (out may be grad: in place). */
function throughActivation(v: Views, desc: number, out: number, grad: number, layer: number, rows: number): void {
  const activation = v.layer(desc, layer, LAYER.ACTIVATION);
  const units = v.layer(desc, layer, LAYER.UNITS);
  const output = v.layer(desc, layer, LAYER.OUTPUT) >> 2;
  if (activation === ACTIVATIONS.softmax) softmaxBackward(v.f32, out >> 2, grad >> 2, output, rows, units);
  else if (activation !== ACTIVATIONS.linear) activationBackward(v.f32, out >> 2, grad >> 2, output, rows * units, activation);
  else if (out !== grad) v.f32.copyWithin(out >> 2, grad >> 2, (grad >> 2) + rows * units);
}

function copyParams(v: Views, desc: number, save: boolean): void {
  const params = v.field(desc, DESC.PARAMS) >> 2;
  const snapshot = v.field(desc, DESC.SNAPSHOT) >> 2;
  const count = v.field(desc, DESC.PARAM_COUNT);
  if (save) v.f32.copyWithin(snapshot, params, params + count);
  else v.f32.copyWithin(params, snapshot, snapshot + count);
}

/** Whether the parameters and the optimizer's state are all finite (see assembly/train.ts). */
function stateFinite(v: Views, desc: number): boolean {
  const count = v.field(desc, DESC.PARAM_COUNT);
  const slot0 = v.field(desc, DESC.SLOT0);
  const slot1 = v.field(desc, DESC.SLOT1);
  return allFinite(v.f32, v.field(desc, DESC.PARAMS) >> 2, count) !== 0 &&
    (slot0 === 0 || allFinite(v.f32, slot0 >> 2, count) !== 0) &&
    (slot1 === 0 || allFinite(v.f32, slot1 >> 2, count) !== 0);
}

function diverge(v: Views, desc: number, done: number): number {
  copyParams(v, desc, false);
  v.i32[(desc + DESC.CURSOR) >> 2] = 0;
  v.f64[(desc + DESC.LOSS_SUM) >> 3] = 0;
  return done | STOP.DIVERGED;
}

function shuffleOrder(v: Views, desc: number, count: number): void {
  const order = v.field(desc, DESC.ORDER) >> 2;
  for (let i = 0; i < count; i++) v.u32[order + i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor((nextUint32(v, desc) / 4294967296) * (i + 1));
    const t = v.u32[order + i];
    v.u32[order + i] = v.u32[order + j];
    v.u32[order + j] = t;
  }
}

/** mulberry32, as src/rng.ts, with its state in the descriptor. */
function nextUint32(v: Views, desc: number): number {
  const at = (desc + DESC.RNG_STATE) >> 2;
  const state = (v.u32[at] = (v.u32[at] + 0x6d2b79f5) >>> 0);
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

function gather(v: Views, desc: number, to: number, from: number, start: number, rows: number, width: number): void {
  const order = v.field(desc, DESC.ORDER) >> 2;
  for (let r = 0; r < rows; r++) {
    const src = (from >> 2) + v.u32[order + start + r] * width;
    v.f32.copyWithin((to >> 2) + r * width, src, src + width);
  }
}
