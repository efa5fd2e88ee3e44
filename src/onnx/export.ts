// A network as an ONNX model: per layer one Gemm (kernel [inputs×units] as B, bias as C) and one
// activation node, from `input` float32 [batch, inputs] to `output` float32 [batch, outputs].
// Weights are stored as little-endian raw_data, so they leave bit for bit.

import type { Activation } from '../codes.js';
import type { NetworkConfig } from '../config.js';
import type { LayerWeights } from '../model.js';
import { describe, requireObject } from '../validate.js';
import {
  ATTRIBUTE_FLOAT, ATTRIBUTE_INT, FLOAT, IR_VERSION, LOSS_KEY, OPSET_VERSION, PRODUCER_NAME, PRODUCER_VERSION,
  encodeModel, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from './schema.js';

/** Each activation's ONNX operator and the attributes that pin engram's definition of it. */
const OPERATORS: Record<Activation, { opType: string; attribute?: AttributeProto }> = {
  linear: { opType: 'Identity' },
  sigmoid: { opType: 'Sigmoid' },
  tanh: { opType: 'Tanh' },
  relu: { opType: 'Relu' },
  leakyRelu: { opType: 'LeakyRelu', attribute: { name: 'alpha', type: ATTRIBUTE_FLOAT, f: 0.01 } },
  elu: { opType: 'Elu', attribute: { name: 'alpha', type: ATTRIBUTE_FLOAT, f: 1 } },
  // Opset 13 semantics: softmax along the last axis alone, each sample's row on its own.
  softmax: { opType: 'Softmax', attribute: { name: 'axis', type: ATTRIBUTE_INT, i: -1 } },
};

/**
 * The ONNX model file (protobuf bytes) of a network with this configuration and these weights; `metadata`
 * goes into the model's metadata_props beside the loss.
 */
export function exportONNX(
  config: NetworkConfig, weights: readonly LayerWeights[], metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let fanIn = config.inputs;
  let current = 'input';
  config.layers.forEach((layer, i) => {
    const kernel = `layers.${i}.kernel`;
    const bias = `layers.${i}.bias`;
    initializers.push(tensor(kernel, [fanIn, layer.units], weights[i].kernel));
    initializers.push(tensor(bias, [layer.units], weights[i].bias));
    const linear = `layers.${i}.linear`;
    nodes.push({ name: `layers.${i}.gemm`, opType: 'Gemm', input: [current, kernel, bias], output: [linear] });
    const { opType, attribute } = OPERATORS[layer.activation];
    current = i === config.layers.length - 1 ? 'output' : `layers.${i}.output`;
    nodes.push({
      name: `layers.${i}.${layer.activation}`,
      opType,
      input: [linear],
      output: [current],
      attribute: attribute ? [attribute] : [],
    });
    fanIn = layer.units;
  });
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    graph: {
      name: 'engram',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', config.inputs)],
      output: [valueInfo('output', fanIn)],
    },
    metadataProps: [{ key: LOSS_KEY, value: config.loss }, ...Object.entries(metadata).map(([key, value]) => ({ key, value }))],
  });
}

function tensor(name: string, dims: number[], values: Float32Array): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, dataType: FLOAT, rawData: raw };
}

/** float32 [batch, width], the batch dimension left free. */
function valueInfo(name: string, width: number): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } },
  };
}

/** Checks toONNX's metadata: string values only, and not the key engram itself writes. */
export function checkMetadata(value: unknown): Record<string, string> {
  const metadata = requireObject(value, 'toONNX metadata');
  for (const [key, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`toONNX metadata[${JSON.stringify(key)}] must be a string, got ${describe(v)}`);
    if (key === LOSS_KEY) {
      throw new RangeError(`toONNX metadata cannot set ${JSON.stringify(LOSS_KEY)}: engram writes the network's loss there; choose another key`);
    }
  }
  return metadata as Record<string, string>;
}
