// The WebAssembly kernels and their JS twins compute the same network: on random layer stacks, losses,
// optimizers and data, predictions, gradients and a few training epochs agree within 1e-4 (relative).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { dataFor, describeSpec, networkSpec, notClose, runs, timeout, trainOptions, trainOptionsFor } from '../helpers/properties.js';

const RUNS = 50;
const RELATIVE = 1e-4;

describe('wasm and js backends', () => {
  it('agree on predictions, gradients and training', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(), trainOptions, async (spec, options) => {
        const { inputs, targets } = dataFor(spec);
        const [wasm, js] = await Promise.all([
          Network.create({ ...spec.options, backend: 'wasm' }),
          Network.create({ ...spec.options, backend: 'js' }),
        ]);
        const what = describeSpec(spec);
        try {
          expect(wasm.backend).toBe('wasm');
          const pw = wasm.predictBatch(inputs);
          const pj = js.predictBatch(inputs);
          pw.forEach((row, r) => expect(notClose(row, pj[r], RELATIVE), `${what}: prediction row ${r}`).toBeUndefined());

          const gw = wasm.computeGradients(inputs, targets);
          const gj = js.computeGradients(inputs, targets);
          gw.forEach((layer, l) => {
            expect(notClose(layer.kernel, gj[l].kernel, RELATIVE), `${what}: layer ${l} kernel gradient`).toBeUndefined();
            expect(notClose(layer.bias, gj[l].bias, RELATIVE), `${what}: layer ${l} bias gradient`).toBeUndefined();
          });

          const train = trainOptionsFor(options, spec.rows);
          const rw = wasm.train(inputs, targets, train);
          const rj = js.train(inputs, targets, train);
          expect(rw.stopReason, what).toBe(rj.stopReason);
          expect(notClose(rw.history, rj.history, RELATIVE), `${what}: loss history`).toBeUndefined();
          expect(notClose(rw.valHistory ?? [], rj.valHistory ?? [], RELATIVE), `${what}: validation history`).toBeUndefined();
          // Adam divides a gradient by its own size: where the true gradient is 0 (mae's signs cancelling), an
          // f32 rounding residue of 1e-9 on one backend moves a weight by up to the learning rate per step. So,
          // for Adam, weights agree within 1e-4 or within that much.
          const optimizer = wasm.optimizer;
          const trainCount = Math.floor(spec.rows * (1 - (train.validationSplit ?? 0)));
          const steps = rw.epochs * Math.ceil(trainCount / train.batchSize);
          const floor = optimizer.type === 'adam' ? steps * optimizer.learningRate : undefined;
          const ww = wasm.getWeights();
          const wj = js.getWeights();
          ww.forEach((layer, l) => {
            expect(notClose(layer.kernel, wj[l].kernel, RELATIVE, floor), `${what}: layer ${l} kernel after training`).toBeUndefined();
            expect(notClose(layer.bias, wj[l].bias, RELATIVE, floor), `${what}: layer ${l} bias after training`).toBeUndefined();
          });
        } finally {
          wasm.dispose();
          js.dispose();
        }
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 2_000));

  it('agree on the loss of any size, up to targets of 1e30', async () => {
    await fc.assert(
      fc.asyncProperty(networkSpec(), fc.constantFrom(1, 1e10, 1e20, 1e30), async (spec, scale) => {
        const { inputs, targets } = dataFor(spec);
        // Scaled regression targets: (p − y)² then overflows float32, not float64.
        const regression = !spec.options.loss!.endsWith('Crossentropy');
        const y = regression ? targets.map((row) => row.map((v) => Math.fround(v * scale))) : targets;
        const [wasm, js] = await Promise.all([
          Network.create({ ...spec.options, backend: 'wasm' }),
          Network.create({ ...spec.options, backend: 'js' }),
        ]);
        const [lw, lj] = [wasm.evaluate(inputs, y).loss, js.evaluate(inputs, y).loss];
        expect(notClose([lw], [lj], RELATIVE), `${describeSpec(spec)}, targets ×${scale}: loss ${lw} vs ${lj}`).toBeUndefined();
        wasm.dispose();
        js.dispose();
      }),
      runs(RUNS),
    );
  }, timeout(RUNS, 1_000));
});
