// Reading an ONNX model into engram's terms: a chain of dense layers, each a Gemm (or a MatMul with an
// optional Add of the bias) followed by at most one activation. That covers what engram exports and what
// PyTorch's exporter writes for a stack of nn.Linear layers (Gemm with transB=1, Flatten, Identity).
// Anything else is refused with an Error naming the node, its operator or the shape that does not fit.

import { LOSS_NAMES, type Activation, type Loss } from '../codes.js';
import type { LayerConfig } from '../config.js';
import type { LayerWeights } from '../model.js';
import { describe, requireChoice } from '../validate.js';
import {
  DATA_LOCATION_EXTERNAL, FLOAT, LOSS_KEY, dataTypeName, decodeModel,
  type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from './schema.js';

export interface ImportedNetwork {
  inputs: number;
  layers: LayerConfig[];
  loss: Loss;
  weights: LayerWeights[];
}

/** A dense layer being read: its Gemm or MatMul node, weights, and the activation once one is seen. */
interface Layer {
  node: string;
  units: number;
  kernel: Float32Array;
  /** Undefined until a Gemm's C or an Add supplies it; zeros if neither does. */
  bias: Float32Array | undefined;
  activation: Activation | undefined;
}

const SUPPORTED =
  'engram reads chains of dense layers: Gemm, or MatMul with an Add, each followed by at most one of ' +
  'Sigmoid, Tanh, Relu, LeakyRelu, Elu, Softmax (Flatten and Identity pass through)';
const ACTIVATIONS: Record<string, Activation> = {
  Sigmoid: 'sigmoid', Tanh: 'tanh', Relu: 'relu', LeakyRelu: 'leakyRelu', Elu: 'elu', Softmax: 'softmax',
};

/** The layers, weights and loss of an ONNX model's bytes; throws an Error naming what engram cannot read. */
export function importONNX(bytes: unknown): ImportedNetwork {
  const model = decode(bytes);
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0) throw new TypeError('not an ONNX model, or an empty one: it has no graph (no nodes)');
  const constants = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  const nodes = graph.node.filter((node) => {
    const domain = node.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') {
      throw new TypeError(`unsupported ONNX operator '${domain}.${node.opType}' (node ${nameOf(node)}); ${SUPPORTED}`);
    }
    if (node.opType === 'Transpose' && constants.has(node.input?.[0] ?? '')) {
      constants.set(node.output?.[0] ?? '', transposedConstant(node, constants));
      return false;
    }
    if (node.opType !== 'Constant') return true;
    const value = attribute(node, 'value')?.t;
    if (!value) throw new TypeError(`Constant node ${nameOf(node)} holds no tensor 'value'; ${SUPPORTED}`);
    constants.set(node.output?.[0] ?? '', value);
    return false;
  });

  const input = graphInput(graph, constants);
  const layers: Layer[] = [];
  const width = () => (layers.length === 0 ? input.width : layers[layers.length - 1].units);
  const open = () => layers[layers.length - 1] as Layer | undefined;
  let current = input.name;
  let rank = input.rank;
  for (const node of nodes) {
    const op = node.opType ?? '';
    if (!(node.input ?? []).includes(current)) {
      throw new TypeError(`node ${nameOf(node)} (${op}) does not take the output of the node before it; ${SUPPORTED}`);
    }
    if (node.output?.length !== 1) {
      throw new TypeError(`node ${nameOf(node)} (${op}) has ${node.output?.length ?? 0} outputs; ${SUPPORTED}`);
    }
    const last = open();
    if (op === 'Identity') {
      // passes its input through
    } else if (op === 'Flatten') {
      const axis = intAttribute(node, 'axis', 1);
      if (axis !== 1) throw new RangeError(`Flatten node ${nameOf(node)} has axis ${axis}; engram reads only axis 1 (keeping the batch)`);
      rank = 2;
    } else if (op === 'Gemm' || op === 'MatMul') {
      if (rank !== 2) {
        throw new RangeError(`${op} node ${nameOf(node)} gets a rank-${rank} tensor; engram's layers take [batch, values] (add a Flatten)`);
      }
      layers.push(op === 'Gemm' ? gemm(node, current, width(), constants) : matmul(node, current, width(), constants));
    } else if (op === 'Add') {
      if (!last || last.bias || last.activation) {
        throw new TypeError(`Add node ${nameOf(node)} does not add a bias straight after a MatMul; ${SUPPORTED}`);
      }
      last.bias = addend(node, current, last.units, constants);
    } else if (op in ACTIVATIONS) {
      if (!last || last.activation) throw new TypeError(`${op} node ${nameOf(node)} does not follow a Gemm or MatMul; ${SUPPORTED}`);
      last.activation = activationOf(node, ACTIVATIONS[op]);
    } else {
      throw new TypeError(`unsupported ONNX operator '${op}' (node ${nameOf(node)}); ${SUPPORTED}`);
    }
    current = node.output[0];
  }
  if (layers.length === 0) throw new TypeError(`the ONNX graph has no Gemm or MatMul layer; ${SUPPORTED}`);
  layers.forEach((layer, i) => {
    if (layer.activation === 'softmax' && i !== layers.length - 1) {
      throw new TypeError(`the Softmax after node '${layer.node}' is in a hidden layer; engram supports softmax on the last layer only`);
    }
  });
  graphOutput(graph, current, width());
  return {
    inputs: input.width,
    layers: layers.map((l) => ({ units: l.units, activation: l.activation ?? 'linear' })),
    loss: lossOf(model),
    weights: layers.map((l) => ({ kernel: l.kernel, bias: l.bias ?? new Float32Array(l.units) })),
  };
}

function decode(bytes: unknown): ModelProto {
  let view: Uint8Array;
  if (bytes instanceof Uint8Array) view = bytes;
  else if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
  else throw new TypeError(`an ONNX model must be given as a Uint8Array or ArrayBuffer of its bytes, got ${describe(bytes)}`);
  try {
    return decodeModel(view);
  } catch (cause) {
    throw new TypeError(`not an ONNX model: the bytes do not decode as an ONNX ModelProto (${(cause as Error).message})`, { cause });
  }
}

/** The one graph input that is not an initializer (older exporters list initializers as inputs too). */
function graphInput(graph: GraphProto, constants: Map<string, unknown>): { name: string; width: number; rank: number } {
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (inputs.length !== 1) {
    throw new TypeError(`engram networks take one input; the ONNX graph has ${inputs.length} (${inputs.map((v) => `'${v.name}'`).join(', ')})`);
  }
  const [input] = inputs;
  const dims = tensorShape(input, 'input');
  if (dims.length < 2) {
    throw new RangeError(`the ONNX input '${input.name}' has shape ${shapeText(dims)}; engram needs [batch, values]`);
  }
  const inner = dims.slice(1);
  if (inner.some((d) => typeof d !== 'number' || d < 1)) {
    throw new RangeError(`the ONNX input '${input.name}' has shape ${shapeText(dims)}; every dimension after the batch must be a fixed size`);
  }
  return { name: input.name ?? '', width: (inner as number[]).reduce((a, b) => a * b, 1), rank: dims.length };
}

function graphOutput(graph: GraphProto, current: string, width: number): void {
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) {
    throw new TypeError(`engram networks have one output; the ONNX graph has ${outputs.length} (${outputs.map((v) => `'${v.name}'`).join(', ')})`);
  }
  const [output] = outputs;
  if (output.name !== current) {
    throw new TypeError(`the ONNX graph's output '${output.name}' is not the end of its chain of layers ('${current}')`);
  }
  const dims = tensorShape(output, 'output');
  const last = dims[dims.length - 1];
  if (dims.length > 0 && (dims.length !== 2 || (typeof last === 'number' && last !== width))) {
    throw new RangeError(`the ONNX output '${output.name}' has shape ${shapeText(dims)}, but the layers produce [batch, ${width}]`);
  }
}

/** A float32 tensor value's dims (a string for a named, free dimension; [] when no shape is given). */
function tensorShape(value: ValueInfoProto, role: string): (number | string)[] {
  const type = value.type?.tensorType;
  if (!type) throw new TypeError(`the ONNX ${role} '${value.name}' is not a tensor`);
  if (type.elemType !== FLOAT) {
    throw new TypeError(`the ONNX ${role} '${value.name}' holds ${dataTypeName(type.elemType)}; engram reads float32 (FLOAT)`);
  }
  return (type.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : d.dimParam || '?'));
}

/** Gemm: Y = A·B + C, B stored [inputs, units], or [units, inputs] with transB=1 (nn.Linear's weight). */
function gemm(node: NodeProto, current: string, width: number, constants: Map<string, TensorProto>): Layer {
  const [a, b, c] = node.input ?? [];
  if (a !== current) throw new TypeError(`Gemm node ${nameOf(node)} takes the layer input as B; engram reads it as A`);
  const transA = intAttribute(node, 'transA', 0);
  if (transA !== 0) throw new RangeError(`Gemm node ${nameOf(node)} has transA ${transA}; engram reads only transA 0`);
  // Scaled products would not survive the trip back bit for bit; PyTorch and engram both write 1.
  const alpha = floatAttribute(node, 'alpha', 1);
  const beta = c ? floatAttribute(node, 'beta', 1) : 1;
  if (alpha !== 1 || beta !== 1) {
    throw new RangeError(`Gemm node ${nameOf(node)} has alpha ${alpha} and beta ${beta}; engram reads only alpha 1 and beta 1`);
  }
  const transB = intAttribute(node, 'transB', 0) === 1;
  const weight = floats(constants, b, node);
  const [rows, cols] = weight.dims;
  const units = transB ? rows : cols;
  if (weight.dims.length !== 2 || (transB ? cols : rows) !== width) {
    throw new RangeError(
      `Gemm node ${nameOf(node)} has a weight of shape ${shapeText(weight.dims)}${transB ? ' (transB=1)' : ''}, ` +
        `which does not fit its input of ${width} values`,
    );
  }
  const kernel = transB ? transpose(weight.values, rows, cols) : weight.values;
  return { node: node.name || b, units, kernel, bias: c ? bias(floats(constants, c, node), units, node) : undefined, activation: undefined };
}

/** MatMul: Y = A·B, B stored [inputs, units]; the bias, if any, comes from the Add after it. */
function matmul(node: NodeProto, current: string, width: number, constants: Map<string, TensorProto>): Layer {
  const [a, b] = node.input ?? [];
  if (a !== current) throw new TypeError(`MatMul node ${nameOf(node)} takes the layer input as its second operand; engram reads it as the first`);
  const weight = floats(constants, b, node);
  if (weight.dims.length !== 2 || weight.dims[0] !== width) {
    throw new RangeError(`MatMul node ${nameOf(node)} has a weight of shape ${shapeText(weight.dims)}, which does not fit its input of ${width} values`);
  }
  return { node: node.name || b, units: weight.dims[1], kernel: weight.values, bias: undefined, activation: undefined };
}

function addend(node: NodeProto, current: string, units: number, constants: Map<string, TensorProto>): Float32Array {
  const other = (node.input ?? []).filter((name) => name !== current);
  if (other.length !== 1) throw new TypeError(`Add node ${nameOf(node)} does not add a constant bias to the layer; ${SUPPORTED}`);
  return bias(floats(constants, other[0], node), units, node);
}

/** A bias of shape [units] or [1, units], or a single value broadcast to every unit. */
function bias(tensor: { dims: number[]; values: Float32Array }, units: number, node: NodeProto): Float32Array {
  const { dims, values } = tensor;
  if (values.length === units && dims[dims.length - 1] === units && dims.length <= 2 && (dims.length < 2 || dims[0] === 1)) return values;
  if (values.length === 1 && dims.length <= 1) return new Float32Array(units).fill(values[0]);
  throw new RangeError(`${node.opType} node ${nameOf(node)} has a bias of shape ${shapeText(dims)}; a layer of ${units} units needs [${units}]`);
}

function activationOf(node: NodeProto, activation: Activation): Activation {
  if (activation === 'leakyRelu') {
    const alpha = floatAttribute(node, 'alpha', 0.01);
    if (alpha !== Math.fround(0.01)) throw new RangeError(`LeakyRelu node ${nameOf(node)} has alpha ${alpha}; engram's leakyRelu has slope 0.01`);
  } else if (activation === 'elu') {
    const alpha = floatAttribute(node, 'alpha', 1);
    if (alpha !== 1) throw new RangeError(`Elu node ${nameOf(node)} has alpha ${alpha}; engram's elu has alpha 1`);
  } else if (activation === 'softmax') {
    // On [batch, units], axis 1 and axis -1 are the same: each sample's row (the default before and after opset 13).
    const axis = intAttribute(node, 'axis', -1);
    if (axis !== 1 && axis !== -1) throw new RangeError(`Softmax node ${nameOf(node)} has axis ${axis}; engram takes softmax over each sample (axis 1 or -1)`);
  }
  return activation;
}

/** A float32 initializer or Constant, as raw_data (little-endian) or float_data. */
function floats(constants: Map<string, TensorProto>, name: string | undefined, node: NodeProto): { dims: number[]; values: Float32Array } {
  const tensor = name === undefined ? undefined : constants.get(name);
  if (!tensor) {
    throw new TypeError(`${node.opType} node ${nameOf(node)} reads '${name}', which is not an initializer; engram needs its weights stored in the file`);
  }
  if (tensor.dataType !== FLOAT) {
    throw new TypeError(`the initializer '${name}' holds ${dataTypeName(tensor.dataType)}; engram reads float32 (FLOAT) weights`);
  }
  if (tensor.dataLocation === DATA_LOCATION_EXTERNAL) {
    throw new TypeError(`the initializer '${name}' is stored in an external file; engram reads weights stored inside the model`);
  }
  const dims = tensor.dims ?? [];
  const count = dims.reduce((a, b) => a * b, 1);
  let values: Float32Array;
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    if (raw.length !== count * 4) {
      throw new RangeError(`the initializer '${name}' has ${raw.length} bytes of raw_data, but its shape ${shapeText(dims)} needs ${count * 4}`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  } else {
    const data = tensor.floatData ?? [];
    if (data.length !== count) {
      throw new RangeError(`the initializer '${name}' has ${data.length} values, but its shape ${shapeText(dims)} needs ${count}`);
    }
    values = Float32Array.from(data);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`the initializer '${name}' holds ${values[bad]} at index ${bad}; weights must be finite`);
  return { dims, values };
}

/** A Transpose of a stored 2-D weight (exporters that do not fold constants write one): folded here. */
function transposedConstant(node: NodeProto, constants: Map<string, TensorProto>): TensorProto {
  const { dims, values } = floats(constants, node.input![0], node);
  // Without perm, Transpose reverses the dimensions.
  const perm = attribute(node, 'perm')?.ints ?? dims.map((_, i) => dims.length - 1 - i);
  if (dims.length !== 2 || perm.join() !== '1,0') {
    throw new RangeError(`Transpose node ${nameOf(node)} permutes a weight of shape ${shapeText(dims)} by [${perm.join(', ')}]; engram reads only 2-D transposes`);
  }
  const [rows, cols] = dims;
  return { dims: [cols, rows], dataType: FLOAT, floatData: Array.from(transpose(values, rows, cols)) };
}

/** out[cols×rows] = the transpose of m[rows×cols] */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

function lossOf(model: ModelProto): Loss {
  const entry = (model.metadataProps ?? []).find((p) => p.key === LOSS_KEY);
  return entry ? requireChoice(entry.value, LOSS_NAMES, `loss in the ONNX model's metadata`) : 'mse';
}

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? (a.i ?? 0) : fallback;
}

function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? (a.f ?? 0) : fallback;
}

function nameOf(node: NodeProto): string {
  return node.name ? `'${node.name}'` : `(unnamed, output '${node.output?.[0] ?? ''}')`;
}

function shapeText(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}
