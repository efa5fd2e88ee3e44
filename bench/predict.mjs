// @ts-check
// Question: how long does one sample take to go through a 784-128-10 network, call to result?

import { tf, useTf } from './lib/systems.mjs';
import { runInterleaved, ms } from './lib/run.mjs';
import { formatRatio, formatTime, markdownTable, meets } from './lib/format.mjs';
import { engramMlp, tfMlp, brainMlp, digits } from './lib/mlp.mjs';
import { isMain, runStandalone } from './lib/main.mjs';

export async function run() {
  const data = digits(16);
  // Every system predicts the same digits in turn, one per call: engram skips a sample's zero pixels
  // (81% of an MNIST digit's, on average), so one digit alone would make its time depend on the draw.
  const samples = data.inputs;
  const sampleArrays = samples.map((s) => Array.from(s));
  let turn = 0;
  const next = () => (turn = (turn + 1) % samples.length);
  const zeros = samples.reduce((sum, s) => sum + s.filter((v) => v === 0).length, 0) / (samples.length * 784);
  // The same digits without a zero pixel (each pixel moved into [0.02, 0.98]): what a dense input costs.
  const denseSamples = samples.map((s) => s.map((v) => 0.02 + 0.96 * v));
  /** @type {import('./lib/run.mjs').TaskSpec[]} */
  const tasks = [];

  for (const backend of /** @type {const} */ (['wasm', 'js'])) {
    const net = await engramMlp(backend);
    tasks.push({ name: `engram-${backend}:predict-1`, fn: () => net.predict(samples[next()]) });
    if (backend === 'wasm') tasks.push({ name: 'engram-wasm:predict-dense', fn: () => net.predict(denseSamples[next()]) });
  }
  for (const backend of /** @type {const} */ (['wasm', 'cpu'])) {
    await useTf(backend);
    const model = tfMlp();
    tasks.push({
      name: `tfjs-${backend}:predict-1`,
      before: () => useTf(backend),
      // The sample arrives as a Float32Array like engram's; making its tensor is part of the call.
      fn: () => tf.tidy(() => /** @type {import('@tensorflow/tfjs-core').Tensor} */ (model.predict(tf.tensor2d(samples[next()], [1, 784]))).dataSync()),
    });
  }
  const brainNet = brainMlp();
  brainNet.train(data.pairs, { iterations: 1 });
  tasks.push({ name: 'brain.js:run-1', fn: () => brainNet.run(sampleArrays[next()]) });

  // Ten short rounds: a call takes microseconds, and the machine's speed moves over seconds.
  const results = await runInterleaved(tasks, { rounds: 10, time: 45, iterations: 50, warmupTime: 100 });
  const t = {
    wasm: ms(results, 'engram-wasm:predict-1'),
    wasmDense: ms(results, 'engram-wasm:predict-dense'),
    js: ms(results, 'engram-js:predict-1'),
    tfWasm: ms(results, 'tfjs-wasm:predict-1'),
    tfCpu: ms(results, 'tfjs-cpu:predict-1'),
    brain: ms(results, 'brain.js:run-1'),
  };
  const row = (/** @type {string} */ system, /** @type {number} */ time, /** @type {string} */ note) =>
    [system, formatTime(time), formatRatio(time / t.wasm), note];
  const markdown = markdownTable(['system', 'latency (median)', 'engram-wasm faster by', 'what is timed'], [
    row('engram-wasm', t.wasm, '`net.predict(float32Sample)` → Float32Array'),
    row('engram-wasm, no zero pixels', t.wasmDense, 'same, each pixel v moved to 0.02 + 0.96·v'),
    row('engram-js', t.js, 'same, `backend: \'js\'`'),
    row('tfjs-wasm', t.tfWasm, '`tf.tidy(() => model.predict(tf.tensor2d(sample, [1, 784])).dataSync())`'),
    row('tfjs-cpu', t.tfCpu, 'same on the cpu backend'),
    row('brain.js', t.brain, '`net.run(sampleArray)`'),
  ]);
  const dense = `${formatRatio(t.tfWasm / t.wasmDense)} on the digits without a zero pixel (${formatTime(t.wasmDense)})`;
  const targets = [
    { id: '4', target: 'Single-sample predict on 784-128-10: ≥ 20× faster than TF.js wasm `model.predict`', measured: `${formatRatio(t.tfWasm / t.wasm)} on MNIST digits (${formatTime(t.wasm)} vs ${formatTime(t.tfWasm)}); ${dense}`, ok: meets(t.tfWasm / t.wasm, 20, 'atLeast') },
  ];
  const note = `Each call predicts the next of ${samples.length} MNIST digits (${(100 * zeros).toFixed(0)}% of their pixels are 0), the same digits for every system. engram lists a lone row's nonzero inputs before its product when at least a quarter are zero, and skips the rest: a zero term cannot change a sum (weights are finite), so the outputs are the bits the full product gives. TF.js and brain.js do the whole product; so does engram on the digits with no zero pixel.`;
  return { title: 'Single-sample predict latency: 784-128-10', markdown: `${markdown}\n\n${note}`, targets };
}

if (isMain(import.meta.url)) await runStandalone(run);
