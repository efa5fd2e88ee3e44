// Samples as users give them (number[][], Float32Array[], brain.js-style { input, output } pairs, or
// plain numbers for single-output targets), checked once, and copied into a backend's memory.

import { describe, f32Requirement, fitsFloat32, isPlainObject } from './validate.js';

export type Sample = ArrayLike<number>;
/** A validated set of rows: each an array-like of `width` finite numbers, or one number when width is 1. */
export type Rows = ReadonlyArray<Sample | number>;

export interface Pair {
  input: Sample;
  output: Sample | number;
}

function isSample(value: unknown): value is Sample {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Checks one sample; `name` is how the message refers to it, such as "sample", or with `index` ≥ 0 the
 * list it belongs to ("inputs" and 3 for "inputs[3]"). The indexed name is built only for a message: a
 * string per sample was garbage on every train() call, some 200 bytes a sample.
 */
export function checkSample(value: unknown, width: number, name: string, unit: string, index = -1): Sample {
  if (!isSample(value)) {
    throw new TypeError(`${nameOf(name, index)} must be an array of numbers or a Float32Array, got ${describe(value)}`);
  }
  if (value.length !== width) {
    throw new RangeError(
      `${nameOf(name, index)} has ${value.length} value${value.length === 1 ? '' : 's'}, but the network has ${width} ${unit}`,
    );
  }
  for (let j = 0; j < width; j++) {
    const v = (value as ArrayLike<unknown>)[j];
    if (typeof v !== 'number') {
      throw new TypeError(`${nameOf(name, index)}[${j}] is ${describe(v)}; every value must be a finite number`);
    }
    if (!fitsFloat32(v)) {
      throw new RangeError(`${nameOf(name, index)}[${j}] is ${describe(v)}; every value must be ${f32Requirement(v)}`);
    }
  }
  return value as Sample;
}

function nameOf(name: string, index: number): string {
  return index < 0 ? name : `${name}[${index}]`;
}

/** Checks a list of samples, each `width` values wide. */
export function checkRows(value: unknown, width: number, name: string, unit: string, allowNumbers = false): Rows {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name} must be an array of samples (number[][] or Float32Array[]), got ${describe(value)}`);
  }
  if (value.length === 0) throw new RangeError(`${name} is empty: give at least one sample`);
  for (let i = 0; i < value.length; i++) {
    const row = value[i];
    if (typeof row === 'number' && allowNumbers) {
      if (width !== 1) {
        throw new TypeError(
          `${name}[${i}] is a single number, but the last layer has ${width} units; give each target as an array of ${width} values`,
        );
      }
      if (!fitsFloat32(row)) throw new RangeError(`${name}[${i}] is ${describe(row)}; every value must be ${f32Requirement(row)}`);
      continue;
    }
    checkSample(row, width, name, unit, i);
  }
  return value as Rows;
}

/** Checks inputs and targets together: same sample count, right widths, finite values. */
export function checkDataset(inputs: unknown, targets: unknown, inputWidth: number, outputWidth: number): [Rows, Rows] {
  const x = checkRows(inputs, inputWidth, 'inputs', 'inputs');
  const y = checkRows(targets, outputWidth, 'targets', 'outputs (units in the last layer)', true);
  if (x.length !== y.length) {
    throw new RangeError(`inputs has ${x.length} samples but targets has ${y.length}; give one target per input`);
  }
  return [x, y];
}

/** brain.js-style data: [{ input, output }, …] → inputs and targets. */
export function splitPairs(pairs: unknown[]): [unknown[], unknown[]] {
  const inputs: unknown[] = [];
  const targets: unknown[] = [];
  // By index, not forEach: forEach skips the holes of a sparse array, which would drop samples unseen.
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (!isPlainObject(pair) || !('input' in pair) || !('output' in pair)) {
      throw new TypeError(`data[${i}] must be an object { input, output }, got ${describe(pair)}`);
    }
    inputs.push(pair.input);
    targets.push(pair.output);
  }
  return [inputs, targets];
}

export function isPairList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && isPlainObject(value[0]) && 'input' in value[0];
}

/** Copies rows [start, start + count) of validated rows into f32 memory at element index `at`. */
export function writeRows(f32: Float32Array, at: number, rows: Rows, start: number, count: number, width: number): void {
  for (let i = 0; i < count; i++, at += width) {
    const row = rows[start + i];
    if (typeof row === 'number') f32[at] = row;
    else f32.set(row, at);
  }
}
