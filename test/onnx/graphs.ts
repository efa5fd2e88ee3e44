// ONNX models built by hand in the tests, in the shapes other exporters write, so that import is checked
// against files engram did not produce.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export { onnx, type Onnx };

/** A float32 initializer, stored as little-endian raw_data (PyTorch's way) or as float_data. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>, storage: 'raw' | 'float' = 'raw'): Onnx.ITensorProto {
  if (storage === 'float') return { name, dims, dataType: FLOAT, floatData: Array.from(values) };
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, dataType: FLOAT, rawData: raw };
}

export function node(opType: string, input: string[], output: string, attributes: Record<string, number> = {}, name = output): Onnx.INodeProto {
  const attribute = Object.entries(attributes).map(([key, value]) =>
    ['axis', 'transA', 'transB'].includes(key)
      ? { name: key, type: onnx.AttributeProto.AttributeType.INT, i: value }
      : { name: key, type: onnx.AttributeProto.AttributeType.FLOAT, f: value },
  );
  return { name, opType, input, output: [output], attribute };
}

/** A float32 graph input or output; strings are named (free) dimensions. */
export function value(name: string, dims: (number | string)[]): Onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

export interface GraphParts {
  nodes: Onnx.INodeProto[];
  initializers: Onnx.ITensorProto[];
  inputs: Onnx.IValueInfoProto[];
  outputs: Onnx.IValueInfoProto[];
  opset?: number;
  irVersion?: number;
  metadata?: Record<string, string>;
}

export function modelBytes(parts: GraphParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: parts.irVersion ?? 7,
    producerName: 'pytorch',
    producerVersion: '2.3.0',
    opsetImport: [{ domain: '', version: parts.opset ?? 13 }],
    graph: { name: 'main_graph', node: parts.nodes, initializer: parts.initializers, input: parts.inputs, output: parts.outputs },
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, v]) => ({ key, value: v })),
  });
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}

/** `count` values from a fixed seed, in [−scale, scale). */
export function randomValues(seed: number, count: number, scale = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 4294967296 * 2 - 1) * scale;
  });
}

/**
 * What torch.onnx.export writes for nn.Sequential(nn.Flatten(), nn.Linear(6, 8), nn.ReLU(),
 * nn.Linear(8, 3), nn.Tanh()) on a [batch, 1, 2, 3] input: Gemm with transB=1 and nn.Linear's weight
 * stored [out, in], raw_data initializers named after the module's parameters, numbered values.
 */
export function pytorchStyle(options: { initializersAsInputs?: boolean; biasAsFloatData?: boolean } = {}) {
  const fc1 = { weight: randomValues(1, 8 * 6, 0.8), bias: randomValues(2, 8, 0.5) };
  const fc2 = { weight: randomValues(3, 3 * 8, 0.8), bias: randomValues(4, 3, 0.5) };
  const initializers = [
    floatTensor('1.weight', [8, 6], fc1.weight),
    floatTensor('1.bias', [8], fc1.bias, options.biasAsFloatData ? 'float' : 'raw'),
    floatTensor('3.weight', [3, 8], fc2.weight),
    floatTensor('3.bias', [3], fc2.bias),
  ];
  const gemm = { alpha: 1, beta: 1, transB: 1 };
  const parts: GraphParts = {
    nodes: [
      node('Flatten', ['input.1'], '/0/Flatten_output_0', { axis: 1 }, '/0/Flatten'),
      node('Gemm', ['/0/Flatten_output_0', '1.weight', '1.bias'], '/1/Gemm_output_0', gemm, '/1/Gemm'),
      node('Relu', ['/1/Gemm_output_0'], '/2/Relu_output_0', {}, '/2/Relu'),
      node('Gemm', ['/2/Relu_output_0', '3.weight', '3.bias'], '/3/Gemm_output_0', gemm, '/3/Gemm'),
      node('Tanh', ['/3/Gemm_output_0'], '/4/Tanh_output_0', {}, '/4/Tanh'),
      node('Identity', ['/4/Tanh_output_0'], '15', {}, 'Identity_5'),
    ],
    initializers,
    inputs: [value('input.1', ['batch_size', 1, 2, 3])],
    outputs: [value('15', ['batch_size', 3])],
    opset: 17,
  };
  if (options.initializersAsInputs) parts.inputs.push(...initializers.map((t) => value(t.name!, t.dims as number[])));
  return { parts, fc1, fc2 };
}
