// permutationImportance: on data whose target depends on only some features, those rank first; the
// same seed gives the same numbers; the network is as it was; bad arguments are refused. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, permutationImportance } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caught, expectError } from '../helpers/errors.js';
import { seeded } from '../helpers/reference.js';
import { expectUnchanged, snapshotNetwork } from '../helpers/unchanged.js';

/** 5 features uniform in [−1, 1]; the target reads only features 0 and 2. */
function data(count: number, seed: number): [number[][], number[]] {
  const rand = seeded(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: 5 }, () => rand(-1, 1)));
  return [x, x.map((r) => Math.tanh(1.5 * r[0] - r[2] + 0.5 * r[0] * r[2]))];
}

async function fitted(backend: 'wasm' | 'js'): Promise<[Network, number[][], number[]]> {
  const net = await Network.create({
    inputs: 5, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }],
    optimizer: { type: 'adam', learningRate: 0.02 }, seed: 4, backend,
  });
  const [x, y] = data(200, 1);
  net.train(x, y, { epochs: 60, batchSize: 20 });
  const [testX, testY] = data(100, 2);
  return [net, testX, testY];
}

describe.each(BACKENDS)('permutationImportance on %s', (backend) => {
  it('ranks the two features the target depends on first', async () => {
    const [net, x, y] = await fitted(backend);
    const importance = permutationImportance(net, x, y, { repeats: 5, seed: 1 });
    expect(importance).toHaveLength(5);
    const ranked = importance.map((f, j) => [f.mean, j]).sort((a, b) => b[0] - a[0]).map(([, j]) => j);
    expect(ranked.slice(0, 2).sort(), `ranking ${ranked}, importances ${JSON.stringify(importance)}`).toEqual([0, 2]);
    // Shuffling a feature the network learned to ignore costs next to nothing next to one it needs.
    for (const j of [1, 3, 4]) expect(importance[j].mean, `feature ${j}`).toBeLessThan(0.1 * importance[2].mean);
    for (const f of importance) expect(f.std).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const [net, x, y] = await fitted(backend);
    const a = permutationImportance(net, x, y, { repeats: 3, seed: 42 });
    expect(permutationImportance(net, x, y, { repeats: 3, seed: 42 })).toEqual(a);
    expect(permutationImportance(net, x, y, { repeats: 3, seed: 43 })).not.toEqual(a);
  });

  it('gives mean and std of the loss increases over the repeats', async () => {
    const [net, x, y] = await fitted(backend);
    // One repeat: no spread.
    for (const f of permutationImportance(net, x, y, { repeats: 1, seed: 7 })) expect(f.std).toBe(0);
    // Shuffling a constant feature changes nothing at all.
    const constant = x.map((r) => [r[0], r[1], 0.5, r[3], r[4]]);
    expect(permutationImportance(net, constant, y, { repeats: 4, seed: 7 })[2]).toEqual({ mean: 0, std: 0 });
  });

  it('leaves the network, and the data, as they were', async () => {
    const [net, x, y] = await fitted(backend);
    const copy = x.map((r) => [...r]);
    const before = snapshotNetwork(net, x.slice(0, 3));
    permutationImportance(net, x, y, { repeats: 2 });
    expectUnchanged(net, before);
    expect(x).toEqual(copy);
  });

  describe('validation', () => {
    const make = () => Network.create({ inputs: 5, layers: [{ units: 1, activation: 'linear' }], seed: 1, backend });
    const [x, y] = data(10, 3);
    const cases: [string, (net: Network) => unknown, 'TypeError' | 'RangeError' | 'Error', RegExp[]][] = [
      ['no network', () => permutationImportance({} as never, x, y), 'TypeError', [/needs a Network/, /object/]],
      ['inputs of the wrong width', (net) => permutationImportance(net, [[1, 2]], [1]), 'RangeError', [/inputs\[0\]/, /5 inputs/]],
      ['a NaN in the inputs', (net) => permutationImportance(net, [[1, 2, NaN, 4, 5]], [1]), 'RangeError', [/inputs\[0\]\[2\]/, /NaN/]],
      ['more targets than inputs', (net) => permutationImportance(net, x, [...y, 1]), 'RangeError', [/10 samples/, /11/]],
      ['zero repeats', (net) => permutationImportance(net, x, y, { repeats: 0 }), 'RangeError', [/repeats must be 1 or more/]],
      ['a fractional seed', (net) => permutationImportance(net, x, y, { seed: 1.5 }), 'RangeError', [/seed must be a whole number/]],
      ['an unknown option', (net) => permutationImportance(net, x, y, { repeat: 3 } as never), 'TypeError', [/unknown option 'repeat'/, /did you mean 'repeats'\?/]],
      ['options not an object', (net) => permutationImportance(net, x, y, 3 as never), 'TypeError', [/options must be an object/]],
    ];
    for (const [name, call, error, patterns] of cases) {
      it(`rejects ${name}`, async () => {
        const net = await make();
        expectError(caught(() => call(net)), error, ...patterns);
      });
    }

    it('throws once the network is disposed', async () => {
      const net = await make();
      net.dispose();
      expectError(caught(() => permutationImportance(net, x, y)), 'Error', /disposed/);
    });
  });
});
