// The training loop: epochs of shuffled mini-batches over data staged once in the backend's memory,
// with the loss history, validation, stop conditions and divergence handling around it.
//
// It is written once, as a generator, for both `train` and `trainAsync`: it yields where the async
// driver may hand control back to the event loop (and to await an async onEpochEnd); the sync driver
// never asks it to yield.

import type { Model } from './model.js';
import { writeRows, type Rows } from './data.js';

export interface EpochInfo {
  /** 0-based index of the epoch that just ended. */
  epoch: number;
  /** Mean loss over this epoch's training samples, each computed before its batch's update. */
  loss: number;
  /** Mean loss over the validation samples after the epoch, when validationSplit > 0. */
  valLoss?: number;
}

export interface TrainOptions {
  /** Default 100. */
  epochs?: number;
  /** Default 32, capped at the number of training samples. */
  batchSize?: number;
  /** Reshuffle the training samples every epoch (seeded from the network's seed). Default true. */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end, held out for validation. Default 0. */
  validationSplit?: number;
  /** Stop once an epoch's loss is at or below this. Default: off. */
  errorThreshold?: number;
  /** Overrides the optimizer's learning rate for this call. */
  learningRate?: number;
  /** Called after every epoch; returning false stops training. trainAsync awaits a returned promise. */
  onEpochEnd?: (info: EpochInfo) => boolean | void | Promise<boolean | void>;
}

export type StopReason = 'epochs' | 'errorThreshold' | 'callback' | 'diverged';

export interface TrainResult {
  /** Epochs completed. */
  epochs: number;
  /** The last entry of history (NaN if no epoch completed). */
  loss: number;
  valLoss?: number;
  history: number[];
  valHistory?: number[];
  stopReason: StopReason;
}

export interface TrainPlan {
  inputs: Rows;
  targets: Rows;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validationCount: number;
  errorThreshold: number;
  learningRate: number;
  onEpochEnd?: TrainOptions['onEpochEnd'];
}

/** What the loop yields: a chance to give the event loop a turn, or a promise to wait for. */
export type Pause = { kind: 'tick' } | { kind: 'await'; promise: Promise<unknown> };
const TICK: Pause = { kind: 'tick' };

export function* trainingLoop(model: Model, plan: TrainPlan, wantsTick: () => boolean): Generator<Pause, TrainResult, unknown> {
  const { layout } = model;
  const { inputs: width, outputs } = layout;
  const total = plan.inputs.length;
  const trainCount = total - plan.validationCount;
  const batchSize = Math.min(plan.batchSize, trainCount);

  // Stage every sample once; steps then read memory only.
  model.ensureCapacity(batchSize);
  const xData = layout.batchEnd;
  const yData = xData + align16(total * width * 4);
  model.reserve(yData + align16(total * outputs * 4));
  const f32 = model.backend.f32;
  writeRows(f32, xData >> 2, plan.inputs, 0, total, width);
  writeRows(f32, yData >> 2, plan.targets, 0, total, outputs);
  const xVal = xData + trainCount * width * 4;
  const yVal = yData + trainCount * outputs * 4;

  // A full batch sees every sample each step whatever their order, so shuffling it would only cost time.
  const shuffling = plan.shuffle && batchSize < trainCount;
  const order = shuffling ? new Uint32Array(trainCount) : undefined;

  const history: number[] = [];
  const valHistory: number[] | undefined = plan.validationCount > 0 ? [] : undefined;
  let stopReason: StopReason = 'epochs';

  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    model.saveSnapshot();
    if (order) shuffleInPlace(order, model);
    let sum = 0;
    let diverged = false;
    for (let start = 0; start < trainCount; start += batchSize) {
      const rows = Math.min(batchSize, trainCount - start);
      let x = xData + start * width * 4;
      let y = yData + start * outputs * 4;
      if (order) {
        gather(model.backend.f32, layout.input >> 2, xData >> 2, order, start, rows, width);
        gather(model.backend.f32, layout.target >> 2, yData >> 2, order, start, rows, outputs);
        x = layout.input;
        y = layout.target;
      }
      const loss = model.trainBatch(x, y, rows, plan.learningRate);
      if (!Number.isFinite(loss)) {
        diverged = true;
        break;
      }
      sum += loss;
      if (wantsTick()) yield TICK;
    }
    if (diverged || !model.parametersFinite()) {
      // Back to the weights this epoch started from, which gave finite losses; the optimizer's state is
      // poisoned by the non-finite step, so it starts over.
      model.restoreSnapshot();
      model.resetOptimizer();
      stopReason = 'diverged';
      break;
    }
    const loss = sum / trainCount;
    history.push(loss);
    let valLoss: number | undefined;
    if (valHistory) {
      valLoss = model.lossOver(xVal, yVal, plan.validationCount) / plan.validationCount;
      valHistory.push(valLoss);
    }
    if (plan.onEpochEnd) {
      let verdict = plan.onEpochEnd(valLoss === undefined ? { epoch, loss } : { epoch, loss, valLoss });
      if (isPromise(verdict)) verdict = (yield { kind: 'await', promise: verdict }) as boolean | void;
      if (verdict === false) {
        stopReason = 'callback';
        break;
      }
    }
    if (loss <= plan.errorThreshold) {
      stopReason = 'errorThreshold';
      break;
    }
    if (epoch + 1 < plan.epochs) yield TICK;
  }

  const result: TrainResult = {
    epochs: history.length,
    loss: history.length > 0 ? history[history.length - 1] : NaN,
    history,
    stopReason,
  };
  if (valHistory) {
    result.valHistory = valHistory;
    result.valLoss = valHistory.length > 0 ? valHistory[valHistory.length - 1] : NaN;
  }
  return result;
}

/** Runs the loop to the end without ever giving up the thread. */
export function runSync(loop: Generator<Pause, TrainResult, unknown>): TrainResult {
  let next = loop.next();
  while (!next.done) next = loop.next(undefined);
  return next.value;
}

/** Runs the loop, giving the event loop a turn whenever it pauses, and awaiting what it waits for. */
export async function runAsync(loop: Generator<Pause, TrainResult, unknown>, onResume: () => void): Promise<TrainResult> {
  let next = loop.next();
  while (!next.done) {
    const pause = next.value;
    const value = pause.kind === 'await' ? await pause.promise : await yieldToEventLoop();
    onResume();
    next = loop.next(value);
  }
  return next.value;
}

/**
 * A macrotask boundary: a browser may render and run requestAnimationFrame callbacks, Node may run I/O.
 * setImmediate where it exists (Node); else a MessageChannel message, which is not clamped to 4 ms the
 * way nested setTimeout calls are.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A fresh permutation each epoch (from the identity, so that splitting training across calls changes nothing). */
function shuffleInPlace(order: Uint32Array, model: Model): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = model.shuffle.below(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

/** Copies the rows named by order[start, start + rows) into consecutive rows at `to` (element indices). */
function gather(f32: Float32Array, to: number, from: number, order: Uint32Array, start: number, rows: number, width: number): void {
  for (let r = 0; r < rows; r++, to += width) {
    const src = from + order[start + r] * width;
    f32.copyWithin(to, src, src + width);
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}
