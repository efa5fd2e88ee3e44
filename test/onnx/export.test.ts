// net.toONNX(): the exported file runs in ONNX Runtime and gives predictBatch's outputs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import ort from 'onnxruntime-node';
import { Network } from '../../src/index.js';
import { PRODUCER_VERSION } from '../../src/onnx/schema.js';
import { BACKENDS } from '../helpers/backends.js';
import { caught, expectError } from '../helpers/errors.js';
import { ARCHITECTURES, trainedNetwork } from './networks.js';
import { largestDifference, randomRows, runInOrt } from './runtime.js';

const { onnx } = onnxProto;

describe.each(BACKENDS)('toONNX on %s', (backend) => {
  for (const [name, options] of Object.entries(ARCHITECTURES)) {
    it(`${name}: ONNX Runtime gives predictBatch's outputs within 1e-5`, async () => {
      const net = await trainedNetwork(options, backend);
      expect(net.getWeights().some((w) => w.bias.some((b) => b !== 0))).toBe(true);
      // 37 rows: more than one batch of engram's initial capacity, and negative inputs for every branch.
      const x = randomRows(options.seed!, 37, options.inputs);
      const ours = net.predictBatch(x);
      const theirs = await runInOrt(net.toONNX(), x);
      const { diff, at } = largestDifference(ours, theirs);
      console.log(`onnx ${backend} ${name}: largest |engram − ONNX Runtime| = ${diff.toExponential(2)}`);
      expect(diff, `largest difference at ${at}`).toBeLessThanOrEqual(1e-5);
    });
  }

  it('leaves the batch dimension free: one row and many rows run in the same file', async () => {
    const net = await trainedNetwork(ARCHITECTURES['sigmoid-tanh-linear'], backend);
    const bytes = net.toONNX();
    const x = randomRows(5, 3, 4);
    for (const rows of [x.slice(0, 1), x]) {
      const { diff, at } = largestDifference(net.predictBatch(rows), await runInOrt(bytes, rows));
      expect(diff, `${rows.length} rows, at ${at}`).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('the exported file', () => {
  it('pins IR 8 and opset 13, names its producer, input, output and batch dimension, and keeps the loss', async () => {
    const net = await Network.create({ ...ARCHITECTURES['tanh-softmax classifier'], backend: 'js' });
    const model = onnx.ModelProto.decode(net.toONNX());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect([model.producerName, model.producerVersion]).toEqual(['engram', PRODUCER_VERSION]);
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([['loss', 'categoricalCrossentropy']]);
    const graph = model.graph as Onnx.GraphProto;
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Tanh', 'Gemm', 'Softmax']);
    const softmax = (graph.node[3] as Onnx.NodeProto).attribute[0];
    expect([softmax.name, Number(softmax.i)]).toEqual(['axis', -1]);
    const shape = (v: Onnx.IValueInfoProto) =>
      v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(graph.input.map((v) => [v.name, v.type!.tensorType!.elemType, shape(v)])).toEqual([['input', 1, ['batch', 6]]]);
    expect(graph.output.map((v) => [v.name, v.type!.tensorType!.elemType, shape(v)])).toEqual([['output', 1, ['batch', 5]]]);
  });

  it("records the version package.json states", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(PRODUCER_VERSION).toBe(pkg.version);
  });

  it('writes LeakyRelu with alpha 0.01, Elu with alpha 1 and Identity for linear', async () => {
    const net = await Network.create({ ...ARCHITECTURES['relu-leakyRelu-elu-linear'], backend: 'js' });
    const nodes = (onnx.ModelProto.decode(net.toONNX()).graph as Onnx.GraphProto).node as Onnx.NodeProto[];
    expect(nodes.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'LeakyRelu', 'Gemm', 'Elu', 'Gemm', 'Identity']);
    expect(nodes[3].attribute.map((a) => [a.name, a.f])).toEqual([['alpha', Math.fround(0.01)]]);
    expect(nodes[5].attribute.map((a) => [a.name, a.f])).toEqual([['alpha', 1]]);
  });

  it('is deterministic and refuses a disposed network', async () => {
    const net = await Network.create({ ...ARCHITECTURES['sigmoid-tanh-linear'], backend: 'js' });
    expect(net.toONNX()).toEqual(net.toONNX());
    net.dispose();
    expect(() => net.toONNX()).toThrow(/disposed/);
  });
});

describe('toONNX metadata', () => {
  it('adds string key/value pairs after the loss, and ONNX Runtime reads them', async () => {
    const net = await Network.create({ ...ARCHITECTURES['sigmoid-tanh-linear'], backend: 'js' });
    const bytes = net.toONNX({ metadata: { 'engram.preprocessing': '{"features":[]}', author: 'ada' } });
    const model = onnx.ModelProto.decode(bytes);
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['loss', 'mse'], ['engram.preprocessing', '{"features":[]}'], ['author', 'ada'],
    ]);
    const session = await ort.InferenceSession.create(bytes);
    try {
      // onnxruntime-node does not expose metadata_props; running the file shows the extra entries are well formed.
      const rows = randomRows(11, 2, net.inputs);
      const { diff } = largestDifference(await runInOrt(bytes, rows), net.predictBatch(rows));
      expect(diff).toBeLessThanOrEqual(1e-5);
    } finally {
      await session.release();
    }
  });

  const refusals: { name: string; options: unknown; error: 'TypeError' | 'RangeError'; patterns: RegExp[] }[] = [
    { name: 'options that are not an object', options: 'meta', error: 'TypeError', patterns: [/toONNX options/, /"meta"/] },
    { name: 'an unknown option', options: { metadat: {} }, error: 'TypeError', patterns: [/'metadat'/, /metadata/] },
    { name: 'metadata that is not an object', options: { metadata: [1] }, error: 'TypeError', patterns: [/toONNX metadata/] },
    { name: 'a value that is not a string', options: { metadata: { epochs: 200 } }, error: 'TypeError', patterns: [/metadata\["epochs"\]/, /200/] },
    { name: "engram's own loss key", options: { metadata: { loss: 'mae' } }, error: 'RangeError', patterns: [/"loss"/, /another key/] },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}`, async () => {
      const net = await Network.create({ ...ARCHITECTURES['sigmoid-tanh-linear'], backend: 'js' });
      expectError(caught(() => net.toONNX(c.options as never)), c.error, ...c.patterns);
    });
  }
});
