// The loss curve's bins against a plain reference: every point is the mean of the epochs it covers.
import { describe, expect, it } from 'vitest';
import { LossCurve, MAX_POINTS } from '../../playground/curve.js';

describe('LossCurve', () => {
  it.each([1, 7, MAX_POINTS - 1, MAX_POINTS, 5000, 100_003])('%i epochs, added in uneven chunks', (epochs) => {
    const losses = Array.from({ length: epochs }, (_, e) => 1 / (e + 1) + (e % 3) * 0.01);
    const curve = new LossCurve();
    for (let at = 0, chunk = 1; at < epochs; at += chunk, chunk = (chunk * 3) % 97 + 1) {
      curve.add(losses.slice(at, at + chunk));
    }
    expect(curve.total).toBe(epochs);
    expect(curve.last).toBe(losses[epochs - 1]);
    expect(curve.epochs.length).toBeLessThan(MAX_POINTS);
    // Bins of `width` epochs, back to back from epoch 0, and at most one unfinished bin left over.
    expect(curve.epochs.length).toBe(Math.floor(epochs / curve.width));
    curve.epochs.forEach((end, i) => {
      expect(end, `point ${i}, width ${curve.width}`).toBe((i + 1) * curve.width);
      const bin = losses.slice(end - curve.width, end);
      const mean = bin.reduce((a, b) => a + b, 0) / bin.length;
      expect(curve.losses[i], `point ${i}, epochs ${end - curve.width}..${end}`).toBeCloseTo(mean, 12);
    });
  });
});
