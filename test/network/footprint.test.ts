// A network's whole memory (net.memoryBytes: on wasm, the instance's memory, static data and page
// slack included) against what its architecture needs: parameters, gradients, optimizer state and a
// batch of activations. Issue 3's target 5 holds it to 1.1×; the kernels' static scratch counts too,
// so a few KiB more of it can cost a whole 64 KiB page.
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

/** f32 bytes for parameters, gradients, optimizer slots and `batch` rows of inputs and layer outputs. */
function idealBytes(net: Network, slots: number, batch: number): number {
  const activations = batch * (net.inputs + net.layers.reduce((sum, l) => sum + l.units, 0));
  return 4 * (net.parameterCount * (2 + slots) + activations);
}

describe.each(BACKENDS)('memory footprint on %s', (backend) => {
  it('784-128-10 at batch 32 (SGD) stays within 1.1× of what it needs', async () => {
    const net = await Network.create({
      inputs: 784,
      layers: [{ units: 128, activation: 'sigmoid' }, { units: 10, activation: 'softmax' }],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'sgd', learningRate: 0.1 },
      seed: 1,
      backend,
    });
    try {
      const ideal = idealBytes(net, 0, 32);
      expect(ideal).toBe(932_176);
      expect(net.memoryBytes / ideal).toBeLessThanOrEqual(1.1);
    } finally {
      net.dispose();
    }
  });
});
