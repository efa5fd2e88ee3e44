// Checks for the patterns and states users hand a memory, with messages that name the pattern and the
// value: a wrong kind of value is a TypeError, a wrong length or a value out of range a RangeError.

import type { HopfieldKind } from './config.js';
import { describe } from '../validate.js';

function isVector(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Checks one pattern or state of `size` values; `name` is how the message refers to it ("cue",
 * "patterns[3]"). A classical memory holds bipolar states, so there every value must be −1 or 1.
 */
export function checkState(value: unknown, size: number, kind: HopfieldKind, name: string): ArrayLike<number> {
  if (!isVector(value)) {
    throw new TypeError(`${name} must be an array of numbers or a Float32Array, got ${describe(value)}`);
  }
  if (value.length !== size) {
    throw new RangeError(`${name} has ${value.length} value${value.length === 1 ? '' : 's'}, but the memory has size ${size}`);
  }
  for (let j = 0; j < size; j++) {
    const v = value[j];
    if (typeof v !== 'number') throw new TypeError(`${name}[${j}] is ${describe(v)}; every value must be a finite number`);
    if (!Number.isFinite(v)) throw new RangeError(`${name}[${j}] is ${describe(v)}; every value must be a finite number`);
    // The memory holds f32: a value past its range would become ±Infinity there.
    if (!Number.isFinite(Math.fround(v))) {
      throw new RangeError(`${name}[${j}] is ${describe(v)}, beyond the range of a 32-bit float (about ±3.4e38)`);
    }
    if (kind === 'classical' && v !== 1 && v !== -1) {
      throw new RangeError(
        `${name}[${j}] is ${describe(v)}, but a classical memory holds bipolar states: every value must be -1 or 1 ` +
          '(binarize first, e.g. x > 0 ? 1 : -1)',
      );
    }
  }
  return value as ArrayLike<number>;
}

/** Checks a non-empty list of patterns, each as checkState. */
export function checkPatterns(value: unknown, size: number, kind: HopfieldKind, name = 'patterns'): ArrayLike<number>[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name} must be an array of patterns (number[][] or Float32Array[]), got ${describe(value)}`);
  }
  if (value.length === 0) throw new RangeError(`${name} is empty: give at least one pattern`);
  if (typeof value[0] === 'number') {
    throw new TypeError(`${name} must be an array of patterns, got an array of numbers; to store one pattern, wrap it: [pattern]`);
  }
  return value.map((p, i) => checkState(p, size, kind, `${name}[${i}]`));
}
