// The training loop's driver: stages the data once in the backend's memory, then hands whole epochs
// (or, for trainAsync, slices of an epoch) to the trainEpochs kernel, and does around it what only the
// host can: the loss history, validation, the user's callback, stop conditions, divergence handling.
//
// It is written once, as a generator, for both `train` and `trainAsync`: it yields where the async
// driver may hand control back to the event loop (and to await an async onEpochEnd); the sync driver
// never asks it to pause mid-epoch.

import type { Model } from './model.js';
import { writeRows, type Rows } from './data.js';
import { DESC, STOP } from './descriptor.js';
import { align16 } from './layout.js';

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
  /** Clip every gradient element to [−clipValue, clipValue] before each update. Default: off. */
  clipValue?: number;
  /** Rescale the gradients so that their global L2 norm is at most clipNorm before each update. Default: off. */
  clipNorm?: number;
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
  /** 0 when off. */
  clipValue: number;
  /** 0 when off. */
  clipNorm: number;
  onEpochEnd?: TrainOptions['onEpochEnd'];
}

/** What the loop yields: a chance to give the event loop a turn, or a promise to wait for. */
export type Pause = { kind: 'tick' } | { kind: 'await'; promise: Promise<unknown> };
const TICK: Pause = { kind: 'tick' };

/** How the driver paces the kernel: batches per call (Infinity: whole epochs), and epochs per call. */
export interface Pacing {
  /** Batches the next call may run before pausing; called before every call. */
  batchesPerCall(): number;
  /** Told what every call returned, right after it returns. */
  called(status: number): void;
  /** Whether to hand back control after every epoch (trainAsync) or only when paused. */
  yieldEachEpoch: boolean;
}

/** Epoch losses the kernel can report per call; longer runs take several calls. */
const HISTORY_CHUNK = 1024;
const ALL_BATCHES = 0x7fffffff;

export function* trainingLoop(model: Model, plan: TrainPlan, pacing: Pacing): Generator<Pause, TrainResult, unknown> {
  const { layout, kernels } = model;
  const { inputs: width, outputs, descriptor } = layout;
  const total = plan.inputs.length;
  const trainCount = total - plan.validationCount;
  const batchSize = Math.min(plan.batchSize, trainCount);

  // Stage every sample once, after the snapshot the kernel keeps of each epoch's starting parameters
  // (restored if the epoch diverges), with room for the shuffle order and the epoch losses; steps read
  // memory only.
  model.ensureCapacity(batchSize);
  const snapshot = layout.batchEnd;
  const xData = snapshot + layout.paramBytes;
  const yData = xData + align16(total * width * 4);
  const order = yData + align16(total * outputs * 4);
  const losses = order + align16(trainCount * 4);
  model.reserve(losses + HISTORY_CHUNK * 8);
  const memory = model.backend.f32.buffer;
  const f32 = model.backend.f32;
  writeRows(f32, xData >> 2, plan.inputs, 0, total, width);
  writeRows(f32, yData >> 2, plan.targets, 0, total, outputs);
  const xVal = xData + trainCount * width * 4;
  const yVal = yData + trainCount * outputs * 4;

  const i32 = new Int32Array(memory, descriptor, DESC.LAYERS >> 2);
  i32[DESC.SNAPSHOT >> 2] = snapshot;
  i32[DESC.X_DATA >> 2] = xData;
  i32[DESC.Y_DATA >> 2] = yData;
  i32[DESC.SAMPLE_COUNT >> 2] = trainCount;
  i32[DESC.BATCH_SIZE >> 2] = batchSize;
  // A full batch sees every sample each step whatever their order, so shuffling it would only cost time.
  i32[DESC.SHUFFLE >> 2] = plan.shuffle && batchSize < trainCount ? 1 : 0;
  i32[DESC.ORDER >> 2] = order;
  i32[DESC.CURSOR >> 2] = 0;
  new Float64Array(memory, descriptor + DESC.LOSS_SUM, 1)[0] = 0;
  new Float32Array(memory, descriptor + DESC.LEARNING_RATE, 1)[0] = plan.learningRate;
  new Float32Array(memory, descriptor + DESC.CLIP_VALUE, 1)[0] = plan.clipValue;
  new Float64Array(memory, descriptor + DESC.CLIP_NORM, 1)[0] = plan.clipNorm;
  // Nothing can grow this network's memory until training ends (the calls that could are refused
  // meanwhile), so these views stay valid across every pause.
  const epochLosses = new Float64Array(memory, losses, HISTORY_CHUNK);

  const history: number[] = [];
  const valHistory: number[] | undefined = plan.validationCount > 0 ? [] : undefined;
  // The host needs every epoch's end only to validate or to call back; otherwise the kernel runs on.
  const perEpoch = valHistory !== undefined || plan.onEpochEnd !== undefined || pacing.yieldEachEpoch;
  let stopReason: StopReason = 'epochs';

  while (history.length < plan.epochs) {
    const epochs = perEpoch ? 1 : Math.min(HISTORY_CHUNK, plan.epochs - history.length);
    const status = kernels.trainEpochs(descriptor, epochs, pacing.batchesPerCall(), losses, plan.errorThreshold);
    pacing.called(status);
    const done = status & STOP.EPOCHS_MASK;
    for (let e = 0; e < done; e++) history.push(epochLosses[e]);
    if (status & STOP.DIVERGED) {
      // The kernel restored the weights the diverging epoch started from; the optimizer's state is
      // poisoned by the non-finite step, so it starts over.
      model.resetOptimizer();
      stopReason = 'diverged';
      break;
    }
    if (status & STOP.PAUSED) {
      yield TICK;
      continue;
    }
    if (done > 0 && perEpoch) {
      const epoch = history.length - 1;
      const loss = history[epoch];
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
    }
    if (status & STOP.THRESHOLD) {
      stopReason = 'errorThreshold';
      break;
    }
    if (pacing.yieldEachEpoch && history.length < plan.epochs) yield TICK;
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

/** Pacing for `train`: whole epochs, as many per call as the history buffer holds. */
export const SYNC_PACING: Pacing = { batchesPerCall: () => ALL_BATCHES, called: () => {}, yieldEachEpoch: false };

/**
 * Pacing for `trainAsync`: every epoch ends with a turn for the event loop, and within an epoch the kernel
 * pauses after about `sliceMs` of work, with the batch count per call adapted to the measured speed.
 */
export function asyncPacing(sliceMs: number, now: () => number): Pacing {
  let batches = 1;
  let started = 0;
  return {
    yieldEachEpoch: true,
    batchesPerCall() {
      started = now();
      return batches;
    },
    called(status) {
      if (!(status & STOP.PAUSED)) return;
      // It ran exactly `batches` batches: aim the next call at one slice's worth, but at most double it.
      // Browsers round performance.now() (to 0.1 ms in Chromium, 1 ms in Firefox and Safari), so a short
      // call can read as taking no time; scaling by that reading would run most of an epoch in one call,
      // and a call that ends with the epoch is never measured again.
      const elapsed = now() - started;
      const aimed = elapsed > 0 ? Math.round((batches * sliceMs) / elapsed) : Infinity;
      batches = Math.max(1, Math.min(ALL_BATCHES, 2 * batches, aimed));
    },
  };
}

/** Runs the loop to the end without ever giving up the thread. */
export function runSync(loop: Generator<Pause, TrainResult, unknown>): TrainResult {
  let next = loop.next();
  while (!next.done) next = loop.next(undefined);
  return next.value;
}

/** Runs the loop, giving the event loop a turn whenever it pauses, and awaiting what it waits for. */
export async function runAsync(loop: Generator<Pause, TrainResult, unknown>, onResume: (pause: Pause) => void): Promise<TrainResult> {
  let next = loop.next();
  while (!next.done) {
    const pause = next.value;
    const value = pause.kind === 'await' ? await pause.promise : await yieldToEventLoop();
    onResume(pause);
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

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
