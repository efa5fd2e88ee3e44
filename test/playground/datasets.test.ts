// The playground's data sets: seeded, balanced, inside [-1, 1]², and shaped as their names say.
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, makeDataset } from '../../playground/datasets.js';

describe('makeDataset', () => {
  it.each(DATASET_NAMES)('%s: the requested count, half of each class, every point inside [-1, 1]²', (name) => {
    const { inputs, labels } = makeDataset(name, { count: 301, noise: 0.1, seed: 7 });
    expect(inputs).toHaveLength(301);
    expect(labels.filter((l) => l === 1)).toHaveLength(150);
    inputs.forEach(([x, y], i) => {
      expect(Math.abs(x) <= 1 && Math.abs(y) <= 1, `point ${i} (${x}, ${y})`).toBe(true);
    });
  });

  it.each(DATASET_NAMES)('%s: the same seed gives the same points, another seed other points', (name) => {
    const a = makeDataset(name, { noise: 0.1, seed: 3 });
    expect(makeDataset(name, { noise: 0.1, seed: 3 })).toEqual(a);
    expect(makeDataset(name, { noise: 0.1, seed: 4 }).inputs).not.toEqual(a.inputs);
  });

  it('circles: without noise, class 0 inside radius 0.5 and class 1 outside 0.7', () => {
    const { inputs, labels } = makeDataset('circles', { seed: 1 });
    inputs.forEach(([x, y], i) => {
      const r = Math.hypot(x, y);
      expect(labels[i] === 0 ? r <= 0.5 : r >= 0.7, `point ${i} r=${r} label ${labels[i]}`).toBe(true);
    });
  });

  it('xor: without noise, the label is whether x and y share a sign', () => {
    const { inputs, labels } = makeDataset('xor', { seed: 1 });
    inputs.forEach(([x, y], i) => expect(labels[i], `point ${i} (${x}, ${y})`).toBe(x * y > 0 ? 1 : 0));
  });

  it('spiral: without noise, the two arms are each other turned by half a turn', () => {
    const { inputs, labels } = makeDataset('spiral', { count: 200, seed: 1 });
    for (let i = 0; i < 200; i += 2) {
      expect([labels[i], labels[i + 1]]).toEqual([0, 1]);
      expect(inputs[i + 1][0]).toBeCloseTo(-inputs[i][0], 12);
      expect(inputs[i + 1][1]).toBeCloseTo(-inputs[i][1], 12);
    }
  });

  it('gaussians: each class gathers around its own centre on the diagonal', () => {
    const { inputs, labels } = makeDataset('gaussians', { count: 2000, seed: 1 });
    for (const [label, centre] of [[0, -0.45], [1, 0.45]]) {
      const points = inputs.filter((_, i) => labels[i] === label);
      const mean = (k: number) => points.reduce((sum, p) => sum + p[k], 0) / points.length;
      expect(Math.abs(mean(0) - centre), `class ${label} x`).toBeLessThan(0.03);
      expect(Math.abs(mean(1) - centre), `class ${label} y`).toBeLessThan(0.03);
    }
  });

  it('names the data sets it knows when asked for another', () => {
    expect(() => makeDataset('moons')).toThrow('unknown data set "moons"; pick one of circles, xor, spiral, gaussians');
    expect(() => makeDataset('toString')).toThrow(RangeError);
  });
});
