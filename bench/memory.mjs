// @ts-check
// Question: what does training cost in memory? (a) JS heap allocated per training step, after warm-up;
// (b) the memory a network's backend holds, against what its architecture needs: parameters, gradients,
// optimizer state and the batch's activations.
//
// (a) runs in a child process started with --expose-gc and a new space large enough that no garbage
// collection happens while a measurement runs (each one checks, via the gc performance entries, and is
// repeated if one did): heapUsed after a train() call minus before it, for 1 and for 21 epochs over the
// same data; the difference divided by the extra steps is the marginal allocation per step (per-epoch
// work included), the rest is per call.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engramMlp, digits, BATCH } from './lib/mlp.mjs';
import { formatBytes, formatNumber, formatRatio, markdownTable, median, meets } from './lib/format.mjs';
import { isMain, runStandalone } from './lib/main.mjs';
import { heapGrowth } from '../scripts/memory-watch.mjs';

/** Per backend: the JS one takes ~0.1 s per step, so it gets fewer. */
const PLAN = {
  wasm: { samples: 320, extraEpochs: 20, repeats: 9, warmups: 12 },
  js: { samples: 64, extraEpochs: 5, repeats: 3, warmups: 2 },
};
const SAMPLES = PLAN.wasm.samples;
const CHILD_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];

/** In the child: heap bytes per step and per call for one backend. */
async function measureHeap(/** @type {'wasm' | 'js'} */ backend) {
  const net = await engramMlp(backend);
  const { samples, extraEpochs, repeats, warmups } = PLAN[backend];
  const stepsPerEpoch = samples / BATCH;
  const { inputs, targets } = digits(samples);
  // Warm-up: both calls measured below, several times over, until V8 has compiled and optimised the
  // driver. A function it optimises or tiers up during a measured call puts its code and metadata on the
  // heap; after one short warm-up call, that alone moved single readings by ±40 KiB, and the median
  // per step between −13 and 35 B from run to run.
  for (let w = 0; w < warmups; w++) {
    net.train(inputs, targets, { epochs: 1, batchSize: BATCH });
    net.train(inputs, targets, { epochs: 1 + extraEpochs, batchSize: BATCH });
  }

  const allocated = (/** @type {number} */ epochs) => heapGrowth(() => net.train(inputs, targets, { epochs, batchSize: BATCH }));
  const perStep = [];
  const perCall = [];
  for (let r = 0; r < repeats; r++) {
    const one = await allocated(1);
    const many = await allocated(1 + extraEpochs);
    const step = (many - one) / (extraEpochs * stepsPerEpoch);
    perStep.push(step);
    perCall.push(one - step * stepsPerEpoch);
  }
  return { perStep: median(perStep), perCall: median(perCall) };
}

/** The architecture's needs in bytes, f32: parameters, gradients, optimizer state, activations for the batch. */
function idealBytes(/** @type {import('engram').Network} */ net, /** @type {number} */ slots, /** @type {number} */ batch) {
  const p = net.parameterCount;
  const activations = batch * (net.inputs + net.layers.reduce((sum, l) => sum + l.units, 0));
  return { parameters: 4 * p, gradients: 4 * p, optimizer: 4 * p * slots, activations: 4 * activations, total: 4 * (p * (2 + slots) + activations) };
}

export async function run() {
  /** @type {Record<string, { perStep: number, perCall: number }>} */
  const heap = {};
  for (const backend of ['wasm', 'js']) {
    const child = spawnSync(process.execPath, [...CHILD_FLAGS, fileURLToPath(import.meta.url), '--child', backend], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`memory child (${backend}) failed: ${child.stderr}`);
    heap[backend] = JSON.parse(child.stdout.trim().split('\n').pop() ?? '');
  }

  /** @type {string[][]} */
  const memRows = [];
  let worstRatio = 0;
  let withoutSnapshot = 0;
  for (const backend of /** @type {const} */ (['wasm', 'js'])) {
    const net = await engramMlp(backend);
    const ideal = idealBytes(net, 0, BATCH);
    const created = net.memoryBytes;
    const { inputs, targets } = digits(SAMPLES);
    net.train(inputs, targets, { epochs: 1, batchSize: BATCH });
    const trained = net.memoryBytes;
    const data = 4 * SAMPLES * (net.inputs + net.outputs);
    // The divergence snapshot: one copy of the parameters, held from the first train() call on.
    const snapshot = ideal.parameters;
    const r1 = created / ideal.total;
    const r2 = trained / (ideal.total + snapshot + data);
    if (backend === 'wasm') {
      worstRatio = Math.max(r1, r2);
      withoutSnapshot = trained / (ideal.total + data);
    }
    memRows.push([
      `engram-${backend}`, formatBytes(ideal.total), formatBytes(created), formatRatio(r1),
      formatBytes(snapshot), formatBytes(data), formatBytes(trained), formatRatio(r2), formatRatio(trained / (ideal.total + data)),
    ]);
  }
  const net = await engramMlp('wasm');
  const ideal = idealBytes(net, 0, BATCH);

  const markdown = [
    markdownTable(['system', 'JS heap allocated per training step', 'per train() call, besides its steps'], Object.entries(heap).map(([b, h]) => [
      `engram-${b}`, formatBytes(h.perStep), formatBytes(h.perCall),
    ])),
    '',
    `784-128-10, SGD, batch ${BATCH}, after a warm-up, in a child process (\`node ${CHILD_FLAGS.join(' ')}\`), no garbage collection during any measurement. ` +
      `Per step = (heap growth over a (1 + E)-epoch call − over a 1-epoch call) ÷ (E × steps per epoch), median of R: ` +
      Object.entries(PLAN).map(([b, p]) => `${b}: ${p.samples} MNIST samples (${p.samples / BATCH} steps per epoch), E = ${p.extraEpochs}, R = ${p.repeats}`).join('; ') +
      '. Per-epoch work (loss history, the divergence snapshot) is spread over the epoch\'s steps.',
    '',
    markdownTable([
      'backend', 'ideal: params + grads + optimizer + batch activations', 'memory after create', 'ratio',
      'divergence snapshot', 'training set staged', 'memory after train()', 'ratio to ideal + snapshot + staged set', 'same, snapshot not counted',
    ], memRows),
    '',
    `Ideal for 784-128-10 (${net.parameterCount.toLocaleString('en-US')} parameters), f32: parameters ${formatBytes(ideal.parameters)}, gradients ${formatBytes(ideal.gradients)}, ` +
      `SGD state 0, activations for a batch of ${BATCH} (inputs and every layer's output) ${formatBytes(ideal.activations)}. ` +
      `Actual is \`net.memoryBytes\`: the whole WebAssembly memory (the module's static data, the layout, and growth slack in 64 KiB pages), or the JS backend's array. ` +
      'Besides the ideal, a network holds a batch of targets and two rows-by-widest-layer buffers for the backward pass (the gradient flowing back through the layers).',
    '',
    'What counts after train(): the training set a user hands to train() is data, not the model, so its staged copy (inputs and targets, f32) is added to the ideal. ' +
      'So is the divergence snapshot, as training state of the same kind as an optimizer slot: a parameter-shaped buffer that train() updates as it goes ' +
      '(a copy of the parameters at every epoch\'s start) so that it can keep its promise that a diverged epoch leaves the weights where that epoch began. ' +
      'It exists only once a network has trained (it is laid out with the staged data, not with the network). ' +
      'The last column leaves it out, for a reader who counts it as overhead.',
  ].join('\n');
  const wasmHeap = heap.wasm.perStep;
  const targets = [
    {
      id: '5a',
      target: 'Memory: a training step allocates nothing on the JS heap',
      measured: `engram-wasm ${formatNumber(wasmHeap)} B per step (${formatBytes(heap.wasm.perCall)} per train() call besides)`,
      ok: meets(wasmHeap, 16, 'atMost'),
    },
    {
      id: '5b',
      target: 'Memory: WebAssembly memory within 1.1× of params + grads + optimizer state + batch activations',
      measured: `${formatRatio(worstRatio)} (worst of after create / after train, the latter counting the staged training set and the divergence snapshot; ${formatRatio(withoutSnapshot)} without the snapshot)`,
      ok: meets(worstRatio, 1.1, 'atMost'),
    },
  ];
  return { title: 'Memory', markdown, targets };
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measureHeap(/** @type {'wasm' | 'js'} */ (process.argv[3]))));
} else if (isMain(import.meta.url)) {
  await runStandalone(run);
}
