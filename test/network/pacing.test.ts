// How trainAsync paces the training kernel (asyncPacing in src/training.ts), on a clock the test controls.
import { describe, expect, it } from 'vitest';
import { asyncPacing } from '../../src/training.js';
import { STOP } from '../../src/descriptor.js';

/** Runs `calls` paused calls of a kernel taking `msPerBatch` per batch, read through `resolution`; the batch counts asked for. */
function batchCounts(msPerBatch: number, resolution: number, calls: number): number[] {
  let time = 0;
  const pacing = asyncPacing(8, () => Math.floor(time / resolution) * resolution);
  const counts: number[] = [];
  for (let i = 0; i < calls; i++) {
    const batches = pacing.batchesPerCall();
    counts.push(batches);
    time += batches * msPerBatch + 0.013; // plus the turn of the event loop between calls
    pacing.called(STOP.PAUSED);
  }
  return counts;
}

describe('asyncPacing', () => {
  it('starts at one batch and settles on about one slice of work per call', () => {
    const counts = batchCounts(0.5, 0.001, 12);
    expect(counts[0]).toBe(1);
    expect(counts.at(-1)).toBe(16); // 16 × 0.5 ms = the 8 ms slice
  });

  it('at most doubles per call, so a clock too coarse to see a call never makes one long', () => {
    for (const resolution of [0.1, 1, 100]) {
      const counts = batchCounts(0.02, resolution, 40);
      counts.slice(1).forEach((n, i) => expect(n, `call ${i + 1}, clock in steps of ${resolution} ms`).toBeLessThanOrEqual(2 * counts[i]));
      // Once calls are long enough to read, they are held near the slice, to within the clock's step.
      expect(counts.at(-1)! * 0.02, `clock in steps of ${resolution} ms`).toBeLessThanOrEqual(2 * Math.max(8, resolution));
    }
  });

  it('shrinks at once when batches get slower', () => {
    let time = 0;
    let msPerBatch = 0.5;
    const pacing = asyncPacing(8, () => time);
    for (let i = 0; i < 10; i++) {
      time += pacing.batchesPerCall() * msPerBatch;
      pacing.called(STOP.PAUSED);
    }
    msPerBatch = 4;
    time += pacing.batchesPerCall() * msPerBatch;
    pacing.called(STOP.PAUSED);
    expect(pacing.batchesPerCall()).toBe(2);
  });

  it('learns nothing from a call that ended with its epoch (it ran fewer batches than allowed)', () => {
    let time = 0;
    const pacing = asyncPacing(8, () => time);
    pacing.batchesPerCall();
    time += 100;
    pacing.called(3); // three epochs done, not paused
    expect(pacing.batchesPerCall()).toBe(1);
  });
});
