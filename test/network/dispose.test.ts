// net.dispose(): the network lets go of its memory (WebAssembly memory included), and every later call
// throws an Error saying the network was disposed.
import { describe, expect, it } from 'vitest';
import { Network, type NetworkOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { WORKED_X, WORKED_Y } from '../helpers/data.js';
import { caught, caughtAsync, expectError } from '../helpers/errors.js';
import { expectUnchanged, snapshotNetwork } from '../helpers/unchanged.js';
import { collectGarbage, createWatched as watch } from '../helpers/watch.js';

const options = (backend: 'wasm' | 'js'): NetworkOptions => ({
  inputs: 2,
  layers: [{ units: 3, activation: 'tanh' }, { units: 1 }],
  seed: 5,
  backend,
});

/** Creates a network while watching what it allocates (see helpers/watch.ts). */
async function createWatched(backend: 'wasm' | 'js'): Promise<{ net: Network; held: WeakRef<object>[] }> {
  const { value: net, held } = await watch(backend, () => Network.create(options(backend)));
  return { net, held };
}

describe.each(BACKENDS)('dispose on %s', (backend) => {
  it("frees the network's memory, which it held until then", async () => {
    const { net, held } = await createWatched(backend);
    expect(held.length, 'watched allocations').toBe(backend === 'wasm' ? 2 : 1);
    net.train(WORKED_X, WORKED_Y, { epochs: 3 });
    net.predictBatch(Array.from({ length: 300 }, () => [1, 2]));
    await collectGarbage();
    expect(held.map((ref) => ref.deref() !== undefined), 'alive before dispose').toEqual(held.map(() => true));
    net.dispose();
    await collectGarbage();
    expect(held.map((ref) => ref.deref() === undefined), 'collected after dispose').toEqual(held.map(() => true));
  });

  it('frees the memory of a network disposed while trainAsync runs, which rejects', async () => {
    const { net, held } = await createWatched(backend);
    let running: Promise<unknown> | undefined = net.trainAsync(WORKED_X, WORKED_Y, { epochs: 10_000 });
    await new Promise((resolve) => setImmediate(resolve));
    net.dispose();
    expectError(await caughtAsync(() => running!), 'Error', /disposed/);
    // The rejection's Error may keep the training closure alive through its stack trace; let it go.
    running = undefined;
    await collectGarbage();
    expect(held.map((ref) => ref.deref() === undefined), 'collected after dispose').toEqual(held.map(() => true));
  });

  const calls: [string, (net: Network) => unknown][] = [
    ['predict', (net) => net.predict([1, 2])],
    ['predictBatch', (net) => net.predictBatch([[1, 2]])],
    ['train', (net) => net.train(WORKED_X, WORKED_Y, { epochs: 1 })],
    ['train on pairs', (net) => net.train([{ input: [1, 2], output: [8] }], { epochs: 1 })],
    ['evaluate', (net) => net.evaluate(WORKED_X, WORKED_Y)],
    ['computeGradients', (net) => net.computeGradients(WORKED_X, WORKED_Y)],
    ['getWeights', (net) => net.getWeights()],
    ['setWeights', (net) => net.setWeights([{ kernel: [0, 0, 0, 0, 0, 0], bias: [0, 0, 0] }, { kernel: [0, 0, 0], bias: [0] }])],
    ['toJSON', (net) => net.toJSON()],
    ['JSON.stringify', (net) => JSON.stringify(net)],
    ['backend', (net) => net.backend],
    ['seed', (net) => net.seed],
    ['inputs', (net) => net.inputs],
    ['outputs', (net) => net.outputs],
    ['layers', (net) => net.layers],
    ['loss', (net) => net.loss],
    ['optimizer', (net) => net.optimizer],
    ['parameterCount', (net) => net.parameterCount],
    ['predict with bad input', (net) => net.predict([NaN] as never)],
  ];
  for (const [name, call] of calls) {
    it(`makes a later ${name} throw`, async () => {
      const net = await Network.create(options(backend));
      expect(caught(() => call(net)).name, 'works before dispose').toMatch(/no error|RangeError/);
      net.dispose();
      expectError(caught(() => call(net)), 'Error', /disposed/);
    });
  }

  it('makes a later trainAsync reject', async () => {
    const net = await Network.create(options(backend));
    net.dispose();
    expectError(await caughtAsync(() => net.trainAsync(WORKED_X, WORKED_Y, { epochs: 1 })), 'Error', /disposed/);
  });

  it('leaves other networks as they were', async () => {
    const [a, b] = await Promise.all([Network.create(options(backend)), Network.create(options(backend))]);
    b.train(WORKED_X, WORKED_Y, { epochs: 2 });
    const before = snapshotNetwork(b, WORKED_X);
    a.dispose();
    expectUnchanged(b, before, 'the other network');
    expect(b.train(WORKED_X, WORKED_Y, { epochs: 1 }).epochs).toBe(1);
  });
});
