// The playground's trainer in Node: bursts of epochs, and the twin on the other backend that keeps
// step with the network it was copied from.
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../playground/datasets.js';
import { Trainer } from '../../playground/trainer.js';

const SETTINGS = { layers: [8, 8], activation: 'tanh', optimizer: 'adam', learningRate: 0.01, batchSize: 16, seed: 42 };

describe('Trainer', () => {
  it.each(['wasm', 'js'] as const)('on %s: bursts train the network and count its epochs and steps', async (backend) => {
    const data = makeDataset('xor', { count: 100, seed: 1 });
    const trainer = await Trainer.create({ ...SETTINGS, backend }, data);
    const history = [];
    for (let i = 0; i < 5; i++) history.push(...trainer.burst(5));
    expect(trainer.epoch).toBe(history.length);
    expect(history.at(-1)).toBeLessThan(history[0]);
    expect(trainer.timers[backend].steps).toBe(history.length * Math.ceil(100 / 16));
    expect(Object.keys(trainer.speeds())).toEqual([backend]);
    trainer.dispose();
  });

  it('with compare on, a twin on the other backend runs the same epochs and follows the same losses', async () => {
    const data = makeDataset('circles', { count: 100, noise: 0.05, seed: 1 });
    const trainer = await Trainer.create({ ...SETTINGS, backend: 'js' }, data);
    trainer.burst(5);
    await trainer.setCompare(true);
    expect(trainer.twin!.backend).toBe('wasm');
    for (let i = 0; i < 5; i++) {
      const history = trainer.burst(5);
      expect(Math.abs(trainer.twinLoss - history.at(-1)), `burst ${i}`).toBeLessThan(1e-4);
    }
    // Timed from the moment the twin joined, over the same steps.
    expect(trainer.timers.wasm.steps).toBe(trainer.timers.js.steps);
    expect(Object.keys(trainer.speeds()).sort()).toEqual(['js', 'wasm']);
    await trainer.setCompare(false);
    expect(trainer.comparing).toBe(false);
    trainer.dispose();
  });

  it('stops training once the network diverges', async () => {
    const data = makeDataset('gaussians', { count: 100, seed: 1 });
    const trainer = await Trainer.create({ ...SETTINGS, activation: 'relu', optimizer: 'sgd', learningRate: 1e30, backend: 'wasm' }, data);
    for (let i = 0; i < 5 && !trainer.diverged; i++) trainer.burst(5);
    expect(trainer.diverged).toBe(true);
    expect(trainer.burst(5)).toEqual([]);
    trainer.dispose();
  });
});
