// The part of the ONNX schema (onnx.proto) that engram reads and writes, as field tables for the codec
// in protobuf.ts, with the few constants engram's ONNX files pin. Field numbers and names are ONNX's
// (test/onnx checks them against the published schema, the onnx-proto package). Fields not listed are
// skipped when reading: a model may carry doc strings, value_info, training info and the like.
//
// This replaces onnx-proto and the protobufjs runtime inside the package: together they were 124 KB of
// a 278 KB minified bundle, paid by every page that imports Network, ONNX or not.

import { decodeMessage, encodeMessage, type MessageSchema } from './protobuf.js';

/** IR version 8 (ONNX 1.10): read by every ONNX Runtime since 1.10. */
export const IR_VERSION = 8;
/** The operator set the exported graph is written against; its Softmax works on one axis. */
export const OPSET_VERSION = 13;
export const PRODUCER_NAME = 'engram';
/** engram's version, as package.json states it; test/onnx/export.test.ts keeps the two in sync. */
export const PRODUCER_VERSION = '0.1.0';
/** The metadata_props key holding the loss the network trains with. */
export const LOSS_KEY = 'loss';

/** TensorProto.DataType, by number: index 1 is FLOAT. */
const DATA_TYPE_NAMES = [
  'UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16',
  'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ',
  'FLOAT8E5M2', 'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1',
] as const;
export const FLOAT = 1;
/** A data type's name, such as 'DOUBLE', or its number where ONNX had no such type when this was written. */
export function dataTypeName(type: number | undefined): string {
  return DATA_TYPE_NAMES[type ?? 0] ?? String(type);
}

/** AttributeProto.AttributeType values engram writes. */
export const ATTRIBUTE_FLOAT = 1;
export const ATTRIBUTE_INT = 2;
/** TensorProto.DataLocation: the values are in a file beside the model. */
export const DATA_LOCATION_EXTERNAL = 1;

export interface TensorShapeDimension { dimValue?: number; dimParam?: string }
export interface TypeProto { tensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimension[] } } }
export interface ValueInfoProto { name?: string; type?: TypeProto }
export interface TensorProto {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  name?: string;
  /** Little-endian values; when read, a view into the model's bytes. */
  rawData?: Uint8Array;
  dataLocation?: number;
}
export interface AttributeProto { name?: string; f?: number; i?: number; t?: TensorProto; ints?: number[]; type?: number }
export interface NodeProto { input?: string[]; output?: string[]; name?: string; opType?: string; attribute?: AttributeProto[]; domain?: string }
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
}
export interface OperatorSetIdProto { domain?: string; version?: number }
export interface StringStringEntryProto { key?: string; value?: string }
export interface ModelProto {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  graph?: GraphProto;
  opsetImport?: OperatorSetIdProto[];
  metadataProps?: StringStringEntryProto[];
}

const DIMENSION: MessageSchema = [
  { name: 'dimValue', number: 1, kind: 'int' },
  { name: 'dimParam', number: 2, kind: 'string' },
];
const SHAPE: MessageSchema = [{ name: 'dim', number: 1, kind: DIMENSION, repeated: true }];
const TENSOR_TYPE: MessageSchema = [
  { name: 'elemType', number: 1, kind: 'int' },
  { name: 'shape', number: 2, kind: SHAPE },
];
const TYPE: MessageSchema = [{ name: 'tensorType', number: 1, kind: TENSOR_TYPE }];
const VALUE_INFO: MessageSchema = [
  { name: 'name', number: 1, kind: 'string' },
  { name: 'type', number: 2, kind: TYPE },
];
const TENSOR: MessageSchema = [
  { name: 'dims', number: 1, kind: 'int', repeated: true },
  { name: 'dataType', number: 2, kind: 'int' },
  { name: 'floatData', number: 4, kind: 'float', repeated: true },
  { name: 'name', number: 8, kind: 'string' },
  { name: 'rawData', number: 9, kind: 'bytes' },
  { name: 'dataLocation', number: 14, kind: 'int' },
];
const ATTRIBUTE: MessageSchema = [
  { name: 'name', number: 1, kind: 'string' },
  { name: 'f', number: 2, kind: 'float' },
  { name: 'i', number: 3, kind: 'int' },
  { name: 't', number: 5, kind: TENSOR },
  { name: 'ints', number: 8, kind: 'int', repeated: true },
  { name: 'type', number: 20, kind: 'int' },
];
const NODE: MessageSchema = [
  { name: 'input', number: 1, kind: 'string', repeated: true },
  { name: 'output', number: 2, kind: 'string', repeated: true },
  { name: 'name', number: 3, kind: 'string' },
  { name: 'opType', number: 4, kind: 'string' },
  { name: 'attribute', number: 5, kind: ATTRIBUTE, repeated: true },
  { name: 'domain', number: 7, kind: 'string' },
];
const GRAPH: MessageSchema = [
  { name: 'node', number: 1, kind: NODE, repeated: true },
  { name: 'name', number: 2, kind: 'string' },
  { name: 'initializer', number: 5, kind: TENSOR, repeated: true },
  { name: 'input', number: 11, kind: VALUE_INFO, repeated: true },
  { name: 'output', number: 12, kind: VALUE_INFO, repeated: true },
];
const OPERATOR_SET_ID: MessageSchema = [
  { name: 'domain', number: 1, kind: 'string' },
  { name: 'version', number: 2, kind: 'int' },
];
const STRING_STRING_ENTRY: MessageSchema = [
  { name: 'key', number: 1, kind: 'string' },
  { name: 'value', number: 2, kind: 'string' },
];
const MODEL: MessageSchema = [
  { name: 'irVersion', number: 1, kind: 'int' },
  { name: 'producerName', number: 2, kind: 'string' },
  { name: 'producerVersion', number: 3, kind: 'string' },
  { name: 'graph', number: 7, kind: GRAPH },
  { name: 'opsetImport', number: 8, kind: OPERATOR_SET_ID, repeated: true },
  { name: 'metadataProps', number: 14, kind: STRING_STRING_ENTRY, repeated: true },
];

/** A ModelProto's bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return encodeMessage(model as Record<string, unknown>, MODEL);
}

/** The fields above of the ModelProto in `bytes`; throws if they are not a well-formed protobuf message. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return decodeMessage(bytes, MODEL) as ModelProto;
}
