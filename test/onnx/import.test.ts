// Network.fromONNX: engram's own files come back bit for bit; files in the shapes PyTorch and other
// exporters write import and predict what ONNX Runtime predicts; anything else is refused by name.
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';
import { sameBits } from '../helpers/data.js';
import { ARCHITECTURES, trainedNetwork } from './networks.js';
import { floatTensor, modelBytes, node, pytorchStyle, randomValues, value, type GraphParts } from './graphs.js';
import { largestDifference, randomRows, runInOrt } from './runtime.js';

describe.each(BACKENDS)('fromONNX on %s', (backend) => {
  for (const [name, options] of Object.entries(ARCHITECTURES)) {
    it(`${name}: export → import keeps every weight bit for bit`, async () => {
      const net = await trainedNetwork(options, backend);
      const copy = await Network.fromONNX(net.toONNX(), { backend });
      expect(copy.backend).toBe(backend);
      expect(copy.inputs).toBe(net.inputs);
      expect(copy.layers).toEqual(net.layers);
      expect(copy.loss).toBe(net.loss);
      const a = net.getWeights();
      copy.getWeights().forEach((layer, l) => {
        expect(sameBits(layer.kernel, a[l].kernel), `layer ${l} kernel`).toBeUndefined();
        expect(sameBits(layer.bias, a[l].bias), `layer ${l} bias`).toBeUndefined();
      });
      const x = randomRows(7, 9, options.inputs);
      copy.predictBatch(x).forEach((row, r) => expect(sameBits(row, net.predict(x[r])), `row ${r}`).toBeUndefined());
      expect(copy.toONNX()).toEqual(net.toONNX());
    });
  }

  it('imports a PyTorch-style graph (Flatten, Gemm transB=1, raw_data) and predicts what ONNX Runtime does', async () => {
    const { parts, fc1, fc2 } = pytorchStyle();
    const bytes = modelBytes(parts);
    const net = await Network.fromONNX(bytes, { backend });
    expect(net.inputs).toBe(6);
    expect(net.layers).toEqual([{ units: 8, activation: 'relu' }, { units: 3, activation: 'tanh' }]);
    // nn.Linear stores weight [out][in]; engram's kernel is [in][out].
    const [first, second] = net.getWeights();
    for (let i = 0; i < 6; i++) for (let j = 0; j < 8; j++) expect(first.kernel[i * 8 + j]).toBe(Math.fround(fc1.weight[j * 6 + i]));
    for (let i = 0; i < 8; i++) for (let j = 0; j < 3; j++) expect(second.kernel[i * 3 + j]).toBe(Math.fround(fc2.weight[j * 8 + i]));
    expect(sameBits(second.bias, fc2.bias)).toBeUndefined();
    const x = randomRows(21, 37, 6);
    const { diff, at } = largestDifference(net.predictBatch(x), await runInOrt(bytes, x, [1, 2, 3]));
    console.log(`onnx ${backend} pytorch-style import: largest |engram − ONNX Runtime| = ${diff.toExponential(2)}`);
    expect(diff, `largest difference at ${at}`).toBeLessThanOrEqual(1e-5);
  });

  it('imports initializers listed as graph inputs too, and float_data initializers', async () => {
    const { parts, fc1 } = pytorchStyle({ initializersAsInputs: true, biasAsFloatData: true });
    const net = await Network.fromONNX(modelBytes(parts), { backend });
    expect(net.inputs).toBe(6);
    expect(sameBits(net.getWeights()[0].bias, fc1.bias)).toBeUndefined();
  });

  it('imports a MatMul+Add graph (a Transpose of a stored weight, bias first, a Constant weight, no second bias, opset 11 Softmax)', async () => {
    const w1 = randomValues(5, 7 * 4, 0.9);
    const b1 = randomValues(6, 7, 0.4);
    const w2 = randomValues(7, 7 * 3, 0.9);
    const parts: GraphParts = {
      nodes: [
        { name: 'w1.T', opType: 'Transpose', input: ['w1'], output: ['w1.T'], attribute: [{ name: 'perm', type: 7, ints: [1, 0] }] },
        node('MatMul', ['x', 'w1.T'], 'h1'),
        node('Add', ['b1', 'h1'], 'z1'),
        node('LeakyRelu', ['z1'], 'a1', { alpha: 0.01 }),
        { name: 'w2', opType: 'Constant', input: [], output: ['w2'], attribute: [{ name: 'value', type: 4, t: floatTensor('', [7, 3], w2) }] },
        node('MatMul', ['a1', 'w2'], 'z2'),
        node('Softmax', ['z2'], 'probabilities', { axis: 1 }),
      ],
      initializers: [floatTensor('w1', [7, 4], w1), floatTensor('b1', [1, 7], b1, 'float')],
      inputs: [value('x', ['N', 4])],
      outputs: [value('probabilities', ['N', 3])],
      opset: 11,
      metadata: { loss: 'categoricalCrossentropy' },
    };
    const bytes = modelBytes(parts);
    const net = await Network.fromONNX(bytes, { backend, seed: 99 });
    expect(net.layers).toEqual([{ units: 7, activation: 'leakyRelu' }, { units: 3, activation: 'softmax' }]);
    expect([net.loss, net.seed, net.optimizer.type]).toEqual(['categoricalCrossentropy', 99, 'adam']);
    expect(Array.from(net.getWeights()[1].bias)).toEqual([0, 0, 0]);
    expect(net.getWeights()[0].kernel[1 * 7 + 2]).toBe(Math.fround(w1[2 * 4 + 1]));
    const x = randomRows(31, 20, 4);
    const { diff, at } = largestDifference(net.predictBatch(x), await runInOrt(bytes, x));
    expect(diff, `largest difference at ${at}`).toBeLessThanOrEqual(1e-5);
  });

  it("gives imported networks loss 'mse', the default optimizer and seed 0 unless told otherwise, and they train", async () => {
    const net = await Network.fromONNX(modelBytes(pytorchStyle().parts), { backend });
    expect([net.loss, net.seed]).toEqual(['mse', 0]);
    expect(net.optimizer).toEqual((await Network.create({ inputs: 1, layers: [{ units: 1 }], backend })).optimizer);
    const x = randomRows(41, 16, 6);
    const y = x.map((row) => [Math.tanh(row[0]), 0, -Math.tanh(row[1])]);
    const result = net.train(x, y, { epochs: 30, learningRate: 0.01 });
    expect(result.loss).toBeLessThan(result.history[0]);
  });
});

describe('fromONNX refuses what it cannot read', () => {
  const pytorch = () => pytorchStyle().parts;
  const cases: [string, () => unknown, RegExp][] = [
    ['a file name instead of bytes', () => 'model.onnx', /Uint8Array or ArrayBuffer of its bytes, got "model.onnx"/],
    ['the bytes of a JSON model file', () => new TextEncoder().encode(JSON.stringify({ format: 'engram-network' })), /not an ONNX model: the bytes do not decode/],
    ['a model without a graph', () => modelBytes({ nodes: [], initializers: [], inputs: [], outputs: [] }), /not an ONNX model, or an empty one: it has no graph/],
    ['a convolution', () => {
      const p = pytorch();
      p.nodes[0] = node('Conv', ['input.1', '1.weight'], '/0/Flatten_output_0', {}, '/0/Conv');
      return modelBytes(p);
    }, /unsupported ONNX operator 'Conv' \(node '\/0\/Conv'\)/],
    ['an operator from another domain', () => {
      const p = pytorch();
      p.nodes[2] = { ...p.nodes[2], opType: 'FusedGelu', domain: 'com.microsoft' };
      return modelBytes(p);
    }, /unsupported ONNX operator 'com\.microsoft\.FusedGelu'/],
    ['LeakyRelu with another slope', () => {
      const p = pytorch();
      p.nodes[2] = node('LeakyRelu', ['/1/Gemm_output_0'], '/2/Relu_output_0', { alpha: 0.2 }, '/2/LeakyRelu');
      return modelBytes(p);
    }, /LeakyRelu node '\/2\/LeakyRelu' has alpha 0\.2\d*; engram's leakyRelu has slope 0\.01/],
    ['Elu with another alpha', () => {
      const p = pytorch();
      p.nodes[2] = node('Elu', ['/1/Gemm_output_0'], '/2/Relu_output_0', { alpha: 0.5 }, '/2/Elu');
      return modelBytes(p);
    }, /Elu node '\/2\/Elu' has alpha 0\.5/],
    ['Gemm with transA', () => {
      const p = pytorch();
      p.nodes[1] = node('Gemm', ['/0/Flatten_output_0', '1.weight', '1.bias'], '/1/Gemm_output_0', { transA: 1, transB: 1 }, '/1/Gemm');
      return modelBytes(p);
    }, /Gemm node '\/1\/Gemm' has transA 1/],
    ['Gemm with alpha 2', () => {
      const p = pytorch();
      p.nodes[1] = node('Gemm', ['/0/Flatten_output_0', '1.weight', '1.bias'], '/1/Gemm_output_0', { alpha: 2, transB: 1 }, '/1/Gemm');
      return modelBytes(p);
    }, /Gemm node '\/1\/Gemm' has alpha 2 and beta 1/],
    ['a weight that does not fit', () => {
      const p = pytorch();
      p.initializers[2] = floatTensor('3.weight', [3, 5], randomValues(1, 15));
      return modelBytes(p);
    }, /Gemm node '\/3\/Gemm' has a weight of shape \[3, 5\] \(transB=1\), which does not fit its input of 8 values/],
    ['a bias of the wrong size', () => {
      const p = pytorch();
      p.initializers[3] = floatTensor('3.bias', [4], randomValues(1, 4));
      return modelBytes(p);
    }, /bias of shape \[4\]; a layer of 3 units needs \[3\]/],
    ['raw_data of the wrong length', () => {
      const p = pytorch();
      p.initializers[3] = { ...p.initializers[3], rawData: new Uint8Array(8) };
      return modelBytes(p);
    }, /'3\.bias' has 8 bytes of raw_data, but its shape \[3\] needs 12/],
    ['float64 weights', () => {
      const p = pytorch();
      p.initializers[0] = { name: '1.weight', dims: [8, 6], dataType: 11, doubleData: randomValues(1, 48) };
      return modelBytes(p);
    }, /'1\.weight' holds DOUBLE; engram reads float32/],
    ['weights in an external file', () => {
      const p = pytorch();
      p.initializers[0] = { name: '1.weight', dims: [8, 6], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] };
      return modelBytes(p);
    }, /'1\.weight' is stored in an external file/],
    ['a weight that is computed, not stored', () => {
      const p = pytorch();
      p.initializers.splice(2, 1);
      return modelBytes(p);
    }, /Gemm node '\/3\/Gemm' reads '3\.weight', which is not an initializer/],
    ['a non-finite weight', () => {
      const p = pytorch();
      p.initializers[3] = floatTensor('3.bias', [3], [0, NaN, 1]);
      return modelBytes(p);
    }, /'3\.bias' holds NaN at index 1; weights must be finite/],
    ['two inputs', () => {
      const p = pytorch();
      p.inputs.push(value('mask', ['batch_size', 3]));
      return modelBytes(p);
    }, /one input; the ONNX graph has 2 \('input\.1', 'mask'\)/],
    ['an integer input', () => {
      const p = pytorch();
      p.inputs[0] = { name: 'input.1', type: { tensorType: { elemType: 7, shape: { dim: [{ dimParam: 'b' }, { dimValue: 6 }] } } } };
      return modelBytes(p);
    }, /input 'input\.1' holds INT64; engram reads float32/],
    ['an input dimension left free after the batch', () => {
      const p = pytorch();
      p.inputs[0] = value('input.1', ['batch_size', 'channels', 2, 3]);
      return modelBytes(p);
    }, /input 'input\.1' has shape \[batch_size, channels, 2, 3\]; every dimension after the batch must be a fixed size/],
    ['a rank-4 input without a Flatten', () => {
      const p = pytorch();
      p.nodes.shift();
      p.nodes[0] = node('Gemm', ['input.1', '1.weight', '1.bias'], '/1/Gemm_output_0', { transB: 1 }, '/1/Gemm');
      return modelBytes(p);
    }, /Gemm node '\/1\/Gemm' gets a rank-4 tensor; .*add a Flatten/],
    ['a Transpose of a weight in three dimensions', () => {
      const p = pytorch();
      p.initializers.push(floatTensor('cube', [2, 2, 2], randomValues(9, 8)));
      p.nodes.unshift({ name: 'cube.T', opType: 'Transpose', input: ['cube'], output: ['cube.T'], attribute: [] });
      return modelBytes(p);
    }, /Transpose node 'cube\.T' permutes a weight of shape \[2, 2, 2\] by \[2, 1, 0\]/],
    ['a Flatten on another axis', () => {
      const p = pytorch();
      p.nodes[0] = node('Flatten', ['input.1'], '/0/Flatten_output_0', { axis: 2 }, '/0/Flatten');
      return modelBytes(p);
    }, /Flatten node '\/0\/Flatten' has axis 2/],
    ['a branch (a skip connection)', () => {
      const p = pytorch();
      p.nodes[3] = node('Gemm', ['/1/Gemm_output_0', '3.weight', '3.bias'], '/3/Gemm_output_0', { transB: 1 }, '/3/Gemm');
      return modelBytes(p);
    }, /node '\/3\/Gemm' \(Gemm\) does not take the output of the node before it/],
    ['two activations in a row', () => {
      const p = pytorch();
      p.nodes.splice(3, 0, node('Sigmoid', ['/2/Relu_output_0'], '/2b', {}, '/2/Sigmoid'));
      p.nodes[4] = node('Gemm', ['/2b', '3.weight', '3.bias'], '/3/Gemm_output_0', { transB: 1 }, '/3/Gemm');
      return modelBytes(p);
    }, /Sigmoid node '\/2\/Sigmoid' does not follow a Gemm or MatMul/],
    ['softmax in a hidden layer', () => {
      const p = pytorch();
      p.nodes[2] = node('Softmax', ['/1/Gemm_output_0'], '/2/Relu_output_0', { axis: 1 }, '/2/Softmax');
      return modelBytes(p);
    }, /Softmax after node '\/1\/Gemm' is in a hidden layer/],
    ['an output that is not the end of the chain', () => {
      const p = pytorch();
      p.outputs[0] = value('/3/Gemm_output_0', ['batch_size', 3]);
      return modelBytes(p);
    }, /output '\/3\/Gemm_output_0' is not the end of its chain of layers \('15'\)/],
    ['an unknown loss in the metadata', () => modelBytes({ ...pytorch(), metadata: { loss: 'crossEntropy' } }),
      /unknown loss in the ONNX model's metadata "crossEntropy"/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, async () => {
      await expect(Network.fromONNX(bytes() as Uint8Array, { backend: 'js' })).rejects.toThrow(message);
    });
  }

  it('checks its options', async () => {
    const bytes = modelBytes(pytorch());
    await expect(Network.fromONNX(bytes, { sed: 1 } as object)).rejects.toThrow(/unknown option 'sed' in fromONNX options/);
    await expect(Network.fromONNX(bytes, { backend: 'gpu' as 'js' })).rejects.toThrow(/unknown backend "gpu"/);
    await expect(Network.fromONNX(bytes, { seed: 1.5 })).rejects.toThrow(/seed must be a whole number/);
  });
});
