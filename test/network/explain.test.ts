// net.explain: gradient attributions against central finite differences of an independent f64
// implementation; integrated gradients against completeness (they sum to f(x) − f(baseline)); the
// defaults; validation; and a network that is exactly as it was afterwards. Both backends.
import { describe, expect, it } from 'vitest';
import { Network, type Activation, type LayerOptions } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { caught, expectError } from '../helpers/errors.js';
import { forwardRef, seeded, type RefLayer } from '../helpers/reference.js';
import { expectUnchanged, snapshotNetwork } from '../helpers/unchanged.js';

const SMOOTH: Activation[] = ['linear', 'sigmoid', 'tanh', 'elu'];
// Their derivatives jump where a unit switches: the integrand of integrated gradients has steps.
const KINKED: Activation[] = ['relu', 'leakyRelu'];
const HIDDEN = [...SMOOTH, ...KINKED];
const OUTPUT: Activation[] = ['linear', 'sigmoid', 'tanh', 'softmax'];
// Widths that reach every tail of the kernels (below a vector, a vector, above, primes).
const WIDTHS = [1, 3, 4, 5, 8, 9, 17];

/**
 * A small network of its own for case k: widths, depth and the second layer's activation (from
 * `family`) vary with k. Biases are random: fresh networks have zero biases, which makes a relu network
 * linear along every ray from the origin and the all-zero baseline a trivial case.
 */
async function smallNetwork(
  backend: 'wasm' | 'js', k: number, hidden: Activation, output: Activation, family: Activation[] = [hidden],
): Promise<Network> {
  const width = (i: number) => WIDTHS[(k + i) % WIDTHS.length];
  const layers: LayerOptions[] = [{ units: width(1), activation: hidden }];
  if (k % 2 === 1) layers.push({ units: width(3), activation: family[k % family.length] });
  layers.push({ units: output === 'softmax' ? 2 + (k % 4) : 1 + (k % 3), activation: output });
  const net = await Network.create({ inputs: width(0), layers, seed: 100 + k, backend });
  const rand = seeded(500 + k);
  net.setWeights(net.getWeights().map(({ kernel, bias }) => ({ kernel, bias: bias.map(() => rand(-1, 1)) })));
  return net;
}

function reference(net: Network): RefLayer[] {
  const weights = net.getWeights();
  return net.layers.map((l, i) => ({
    inputs: i === 0 ? net.inputs : net.layers[i - 1].units,
    units: l.units,
    activation: l.activation,
    kernel: Float64Array.from(weights[i].kernel),
    bias: Float64Array.from(weights[i].bias),
  }));
}

const argmax = (v: ArrayLike<number>) => Array.from(v).reduce((best, x, j, all) => (x > all[best] ? j : best), 0);
const sum = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);

describe.each(BACKENDS)('explain on %s', (backend) => {
  describe('gradient', () => {
    HIDDEN.forEach((hidden, h) => {
      OUTPUT.forEach((output, o) => {
        const k = h * OUTPUT.length + o;
        it(`equals central finite differences in f64: ${hidden} hidden, ${output} output (case ${k})`, async () => {
          const net = await smallNetwork(backend, k, hidden, output);
          const rand = seeded(k + 1);
          const x = Array.from({ length: net.inputs }, () => rand(-2, 2));
          const ref = reference(net);
          const unit = k % net.outputs;
          const g = net.explain(x, { method: 'gradient', output: unit });
          expect(g).toBeInstanceOf(Float32Array);
          expect(g.length).toBe(net.inputs);
          const step = 1e-6;
          for (let i = 0; i < net.inputs; i++) {
            const up = [...x];
            const down = [...x];
            up[i] += step;
            down[i] -= step;
            const numeric = (forwardRef(ref, up)[unit] - forwardRef(ref, down)[unit]) / (2 * step);
            expect(
              Math.abs(g[i] - numeric),
              `input ${i} of ${net.inputs}, output ${unit}: analytic ${g[i]}, numeric ${numeric}`,
            ).toBeLessThan(2e-4 * Math.max(1, Math.abs(numeric)));
          }
          net.dispose();
        });
      });
    });
  });

  it('gradientTimesInput is the gradient times the input, element by element', async () => {
    const net = await smallNetwork(backend, 5, 'tanh', 'softmax');
    const rand = seeded(5);
    const x = Array.from({ length: net.inputs }, () => rand(-2, 2));
    const g = net.explain(x, { method: 'gradient', output: 1 });
    const gx = net.explain(x, { method: 'gradientTimesInput', output: 1 });
    expect(Array.from(gx)).toEqual(Array.from(g, (v, i) => Math.fround(v * x[i])));
  });

  describe('integratedGradients', () => {
    /**
     * Completeness: Σ attributions = f(x) − f(baseline), within 1% of the difference; a difference below
     * 0.05 is held to 1% of 0.05, as 1% of almost nothing would ask for more digits than f32 carries.
     */
    async function expectComplete(k: number, hidden: Activation, output: Activation, family: Activation[], steps: number) {
      const net = await smallNetwork(backend, k, hidden, output, family);
      const rand = seeded(1000 + k);
      const x = Array.from({ length: net.inputs }, () => rand(-2, 2));
      // Every other case from a random baseline instead of the default zeros.
      const baseline = k % 2 === 0 ? undefined : Array.from({ length: net.inputs }, () => rand(-1, 1));
      const unit = argmax(net.predict(x));
      const attributions = net.explain(x, { method: 'integratedGradients', steps, baseline });
      const start = net.predict(baseline ?? new Array(net.inputs).fill(0))[unit];
      const difference = net.predict(x)[unit] - start;
      const total = sum(attributions);
      expect(
        Math.abs(total - difference),
        `attributions sum to ${total}, f(x) − f(baseline) is ${difference} (output ${unit}, ${JSON.stringify(net.layers)})`,
      ).toBeLessThanOrEqual(0.01 * Math.max(Math.abs(difference), 0.05));
      net.dispose();
    }

    SMOOTH.forEach((hidden, h) => {
      OUTPUT.forEach((output, o) => {
        const k = h * OUTPUT.length + o;
        it(`sums to f(x) − f(baseline) within 1% at 64 steps: ${hidden} hidden, ${output} output (case ${k})`, () =>
          expectComplete(k, hidden, output, SMOOTH, 64));
      });
    });

    // The midpoint rule's error falls as 1/steps² only where the integrand is smooth; at a relu's switch
    // it falls as 1/steps, and 64 steps miss 1% on about a third of small relu networks. So more steps.
    KINKED.forEach((hidden, h) => {
      OUTPUT.forEach((output, o) => {
        const k = 100 + h * OUTPUT.length + o;
        it(`sums to f(x) − f(baseline) within 1% at 1024 steps: ${hidden} hidden, ${output} output (case ${k})`, () =>
          expectComplete(k, hidden, output, KINKED, 1024));
      });
    });

    it('is exact for a linear network, at any number of steps', async () => {
      const net = await Network.create({ inputs: 3, layers: [{ units: 2, activation: 'linear' }], seed: 3, backend });
      const [{ kernel }] = net.getWeights();
      const x = [0.5, -1.5, 2];
      const baseline = [1, 1, -1];
      const attributions = net.explain(x, { steps: 1, baseline, output: 1 });
      // f(x) − f(b) = Σᵢ (xᵢ − bᵢ)·w[i][1]: each term is input i's share.
      x.forEach((v, i) => expect(attributions[i], `input ${i}`).toBeCloseTo((v - baseline[i]) * kernel[i * 2 + 1], 5));
    });

    it('carries ∂/∂input back for many rows of an input far wider than every layer', async () => {
      // 64 rows × 2,000 inputs of result, where the layers need gradient room for 64 × 1 only.
      const net = await Network.create({ inputs: 2000, layers: [{ units: 1, activation: 'linear' }], seed: 4, backend });
      const [{ kernel }] = net.getWeights();
      const x = Array.from({ length: 2000 }, (_, i) => Math.sin(i));
      const attributions = net.explain(x, { steps: 64 });
      x.forEach((v, i) => expect(attributions[i], `input ${i}`).toBeCloseTo(v * kernel[i], 5));
    });

    it('defaults to 64 steps from an all-zero baseline', async () => {
      const net = await smallNetwork(backend, 3, 'sigmoid', 'tanh');
      const x = Array.from({ length: net.inputs }, (_, i) => (i % 3) - 1);
      const explicit = net.explain(x, { method: 'integratedGradients', steps: 64, baseline: new Array(net.inputs).fill(0) });
      expect(Array.from(net.explain(x))).toEqual(Array.from(explicit));
    });
  });

  it('explains the predicted class by default, or the only output', async () => {
    const net = await smallNetwork(backend, 2, 'tanh', 'softmax');
    const x = Array.from({ length: net.inputs }, (_, i) => Math.sin(i + 1));
    const unit = argmax(net.predict(x));
    expect(Array.from(net.explain(x, { method: 'gradient' }))).toEqual(Array.from(net.explain(x, { method: 'gradient', output: unit })));
    const single = await Network.create({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1, backend });
    expect(Array.from(single.explain([1, 2], { method: 'gradient' }))).toEqual(Array.from(single.explain([1, 2], { method: 'gradient', output: 0 })));
  });

  it('takes a Float32Array sample and baseline as well as arrays', async () => {
    const net = await smallNetwork(backend, 4, 'elu', 'linear');
    const x = Array.from({ length: net.inputs }, (_, i) => i / 4 - 1);
    const b = x.map((v) => v / 2);
    expect(Array.from(net.explain(Float32Array.from(x), { baseline: Float32Array.from(b) }))).toEqual(
      Array.from(net.explain(x.map(Math.fround), { baseline: b.map(Math.fround) })),
    );
  });

  it('leaves the network exactly as it was: weights, optimizer state, training step', async () => {
    const net = await Network.create({
      inputs: 3, layers: [{ units: 5, activation: 'relu' }, { units: 2, activation: 'softmax' }],
      loss: 'categoricalCrossentropy', optimizer: 'adam', seed: 9, backend,
    });
    const X = [[0, 1, 2], [1, 0, -1], [2, 2, 0], [-1, 0, 1]];
    net.train(X, [[1, 0], [0, 1], [1, 0], [0, 1]], { epochs: 3, batchSize: 2 });
    const before = snapshotNetwork(net, X);
    net.explain([1, 2, 3], { method: 'gradient' });
    net.explain([1, 2, 3], { method: 'gradientTimesInput', output: 1 });
    // More steps than the batch buffers hold: they grow, which must not disturb anything else.
    net.explain([1, 2, 3], { steps: 300, baseline: [0, 0, 1] });
    expectUnchanged(net, before);
  });

  describe('validation', () => {
    const make = () => Network.create({ inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'linear' }], seed: 1, backend });
    const cases: [string, (net: Network) => unknown, 'TypeError' | 'RangeError', RegExp[]][] = [
      ['a sample of the wrong length', (net) => net.explain([1, 2]), 'RangeError', [/sample/, /2 values/, /3 inputs/]],
      ['a NaN in the sample', (net) => net.explain([1, NaN, 2]), 'RangeError', [/sample\[1\]/, /NaN/, /finite/]],
      ['a string in the sample', (net) => net.explain([1, '2', 3] as never), 'TypeError', [/sample\[1\]/, /finite number/]],
      ['no sample', (net) => (net.explain as (s?: unknown) => unknown)(), 'TypeError', [/sample/, /undefined/]],
      ['an unknown method', (net) => net.explain([1, 2, 3], { method: 'integratedGradient' as never }), 'TypeError', [/unknown explain method "integratedGradient"/, /did you mean 'integratedGradients'\?/]],
      ['a method far from any', (net) => net.explain([1, 2, 3], { method: 'shap' as never }), 'TypeError', [/unknown explain method "shap"/, /'gradient', 'gradientTimesInput', 'integratedGradients'/]],
      ['an unknown option', (net) => net.explain([1, 2, 3], { step: 10 } as never), 'TypeError', [/unknown option 'step'/, /did you mean 'steps'\?/]],
      ['options not an object', (net) => net.explain([1, 2, 3], 'gradient' as never), 'TypeError', [/explain options must be an object/]],
      ['an output out of range', (net) => net.explain([1, 2, 3], { output: 2 }), 'RangeError', [/output 2 is out of range/, /2 outputs, numbered 0 to 1/]],
      ['a negative output', (net) => net.explain([1, 2, 3], { output: -1 }), 'RangeError', [/output must be 0 or more/]],
      ['a fractional output', (net) => net.explain([1, 2, 3], { output: 0.5 }), 'RangeError', [/output must be a whole number/]],
      ['an output given as a string', (net) => net.explain([1, 2, 3], { output: '1' as never }), 'TypeError', [/output must be a finite number/]],
      ['zero steps', (net) => net.explain([1, 2, 3], { steps: 0 }), 'RangeError', [/steps must be 1 or more, got 0/]],
      ['NaN steps', (net) => net.explain([1, 2, 3], { steps: NaN }), 'RangeError', [/steps must be a finite number/]],
      ['a baseline of the wrong length', (net) => net.explain([1, 2, 3], { baseline: [0, 0] }), 'RangeError', [/baseline has 2 values/, /3 inputs/]],
      ['a NaN in the baseline', (net) => net.explain([1, 2, 3], { baseline: [0, Infinity, 0] }), 'RangeError', [/baseline\[1\]/, /Infinity/]],
      ['a baseline for the gradient', (net) => net.explain([1, 2, 3], { method: 'gradient', baseline: [0, 0, 0] }), 'TypeError', [/baseline applies only to method 'integratedGradients', not 'gradient'/]],
      ['steps for gradientTimesInput', (net) => net.explain([1, 2, 3], { method: 'gradientTimesInput', steps: 8 }), 'TypeError', [/steps applies only to method 'integratedGradients'/]],
    ];
    for (const [name, call, error, patterns] of cases) {
      it(`rejects ${name}, and the network is as it was`, async () => {
        const net = await make();
        const before = snapshotNetwork(net, [[1, 2, 3]]);
        expectError(caught(() => call(net)), error, ...patterns);
        expectUnchanged(net, before);
      });
    }

    it('throws once the network is disposed', async () => {
      const net = await make();
      net.dispose();
      expectError(caught(() => net.explain([1, 2, 3])), 'Error', /disposed/);
    });

    it('throws while the network is training', async () => {
      const net = await make();
      let inside = { name: 'not called', message: '' };
      net.train([[1, 2, 3]], [[0, 1]], { epochs: 1, onEpochEnd: () => void (inside = caught(() => net.explain([1, 2, 3]))) });
      expectError(inside, 'Error', /explain cannot run while this network is training/);
    });
  });
});
