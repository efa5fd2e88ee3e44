// The published ONNX schema, as protobufjs static code (the onnx-proto package), and the few constants
// engram's ONNX files pin. onnx-proto is CommonJS: Node's ESM loader hands it over as a default export
// only (a named `import { onnx }` fails there), so the namespace is taken from the default.

import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { Onnx };

/** IR version 8 (ONNX 1.10): read by every ONNX Runtime since 1.10. */
export const IR_VERSION = 8;
/** The operator set the exported graph is written against; its Softmax works on one axis. */
export const OPSET_VERSION = 13;
export const PRODUCER_NAME = 'engram';
/** engram's version, as package.json states it; test/onnx/export.test.ts keeps the two in sync. */
export const PRODUCER_VERSION = '0.1.0';
/** The metadata_props key holding the loss the network trains with. */
export const LOSS_KEY = 'loss';

/** protobufjs decodes int64 fields as Long objects when the `long` package is present, numbers otherwise. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
