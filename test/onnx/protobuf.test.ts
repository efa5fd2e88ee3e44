// engram's ONNX codec (src/onnx/protobuf.ts and the field tables in src/onnx/schema.ts) against the
// published schema's own codec, onnx-proto (protobufjs): the same bytes out, the same values in, every
// other field skipped, and malformed bytes refused with an error instead of a wrong model.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { Network } from '../../src/index.js';
import { decodeMessage, encodeMessage, type MessageSchema } from '../../src/onnx/protobuf.js';
import { decodeModel, encodeModel, type ModelProto } from '../../src/onnx/schema.js';
import { ARCHITECTURES, trainedNetwork } from './networks.js';
import { floatTensor, modelBytes, node, value } from './graphs.js';

const { onnx } = onnxProto;

/** protobufjs's decoded message as plain JSON-able values: int64 as numbers, bytes as arrays. */
function plain(message: unknown): unknown {
  return JSON.parse(JSON.stringify(message, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
}

/** A model that sets every field engram's tables name, with values that reach each encoding's edge. */
function everyField(): Onnx.IModelProto {
  return {
    irVersion: 9,
    producerName: 'pytörch ✓',
    producerVersion: '',
    opsetImport: [{ domain: '', version: 13 }, { domain: 'ai.onnx.ml', version: 3 }],
    metadataProps: [{ key: 'loss', value: 'mse' }, { key: 'ünïcode', value: '数字' }],
    graph: {
      name: 'g',
      node: [
        {
          name: 'n', opType: 'Gemm', domain: '', input: ['x', 'w', ''], output: ['y'],
          attribute: [
            { name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: -0.25 },
            { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 },
            { name: 'big', type: onnx.AttributeProto.AttributeType.INT, i: 2 ** 40 + 3 },
            { name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 0, -7, 300] },
            { name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: floatTensor('c', [2], [1.5, -2], 'float') },
          ],
        },
      ],
      initializer: [
        floatTensor('w', [3, 2], [0.1, -0.2, 3e-30, 1e30, -0, 7]),
        { ...floatTensor('v', [2, 1], [1, 2], 'float'), dataLocation: onnx.TensorProto.DataLocation.EXTERNAL },
      ],
      input: [value('x', ['batch', 3])],
      output: [value('y', [0, 2])],
    },
  };
}

describe('the ONNX codec', () => {
  for (const [name, options] of Object.entries(ARCHITECTURES)) {
    it(`${name}: toONNX writes the bytes onnx-proto writes for the same model`, async () => {
      const bytes = (await trainedNetwork(options, 'js')).toONNX();
      const theirs = new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.decode(bytes)).finish());
      expect(Buffer.from(bytes).equals(Buffer.from(theirs))).toBe(true);
    });
  }

  it('writes every field of its tables as onnx-proto does, and reads back what onnx-proto wrote', () => {
    const model = everyField();
    const theirs = new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
    const ours = encodeModel(model as unknown as ModelProto);
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    expect(plain(decodeModel(theirs))).toEqual(plain(model));
  });

  it('skips the fields it does not read (doc strings, value_info, training info, other attribute kinds)', () => {
    const model = everyField();
    const extra = {
      ...model,
      docString: 'a model', domain: 'org.example', modelVersion: 5,
      trainingInfo: [{ initialization: { name: 'init' } }],
      graph: {
        ...model.graph,
        docString: 'a graph',
        valueInfo: [value('h', ['batch', 4])],
        node: model.graph!.node!.map((n) => ({
          ...n, docString: 'a node',
          attribute: [...n.attribute!, { name: 's', type: onnx.AttributeProto.AttributeType.STRING, s: new Uint8Array([1, 2]) },
            { name: 'fs', type: onnx.AttributeProto.AttributeType.FLOATS, floats: [1, 2, 3] }, { name: 'doc', docString: 'x' }],
        })),
        initializer: model.graph!.initializer!.map((t) => ({ ...t, docString: 'a tensor', int64Data: [1, 2], segment: { begin: 0, end: 1 } })),
      },
    };
    const bytes = new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.create(extra)).finish());
    const read = plain(decodeModel(bytes)) as ModelProto;
    const expected = plain(model) as ModelProto;
    // The extra attributes arrive with the fields the tables name (name; docString is not one of them).
    expected.graph!.node![0].attribute!.push({ name: 's', type: 3 }, { name: 'fs', type: 6 }, { name: 'doc' });
    expect(read).toEqual(expected);
  });

  it('reads repeated numbers written one by one as well as packed', () => {
    const schema: MessageSchema = [
      { name: 'ints', number: 1, kind: 'int', repeated: true },
      { name: 'floats', number: 4, kind: 'float', repeated: true },
    ];
    // Field 1 as three separate varints, then packed [4, 5]; field 4 as one fixed32, then packed [2.5].
    const bytes = Uint8Array.of(
      0x08, 1, 0x08, 0x7f, 0x08, 0xac, 0x02, 0x0a, 2, 4, 5,
      0x25, 0, 0, 0x80, 0x3f, 0x22, 4, 0, 0, 0x20, 0x40,
    );
    expect(decodeMessage(bytes, schema)).toEqual({ ints: [1, 127, 300, 4, 5], floats: [1, 2.5] });
    expect(Array.from(encodeMessage({ ints: [1, 127, 300, 4, 5] }, schema))).toEqual([0x0a, 6, 1, 0x7f, 0xac, 0x02, 4, 5]);
  });

  it('writes negative integers as ten-byte varints and reads them back', () => {
    const schema: MessageSchema = [{ name: 'i', number: 3, kind: 'int' }];
    const bytes = encodeMessage({ i: -1 }, schema);
    expect(Array.from(bytes)).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    for (const i of [-1, -(2 ** 31), -(2 ** 53) + 1, 0, 2 ** 31, 2 ** 53 - 1]) expect(decodeMessage(encodeMessage({ i }, schema), schema)).toEqual({ i });
    expect(() => encodeMessage({ i: 1.5 }, schema)).toThrow(/not an integer/);
  });

  it('refuses every truncation of a model, a wrong wire type, a varint past ten bytes and groups', () => {
    const bytes = modelBytes({
      nodes: [node('Gemm', ['x', 'w'], 'y', { transB: 1 })],
      initializers: [floatTensor('w', [2, 2], [1, 2, 3, 4])],
      inputs: [value('x', ['batch', 2])],
      outputs: [value('y', ['batch', 2])],
    });
    expect(decodeModel(bytes).graph?.node?.[0].opType).toBe('Gemm');
    for (let length = 1; length < bytes.length; length++) {
      let error: unknown;
      let read: ModelProto | undefined;
      try {
        read = decodeModel(bytes.subarray(0, length));
      } catch (e) {
        error = e;
      }
      // A cut between two top-level fields is a well-formed shorter model (protobuf has no end marker);
      // anywhere else the reader must say so rather than hand back part of a field.
      if (error === undefined) expect(read, `cut at ${length} of ${bytes.length}`).toBeDefined();
      else expect(error, `cut at ${length} of ${bytes.length}`).toSatisfy((e) => e instanceof RangeError || e instanceof TypeError);
    }
    const cutsInside = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1).filter((length) => {
      try {
        decodeModel(bytes.subarray(0, length));
        return false;
      } catch {
        return true;
      }
    });
    expect(cutsInside.length, 'cuts refused').toBeGreaterThan(bytes.length - 10);

    const schema: MessageSchema = [{ name: 'i', number: 1, kind: 'int' }];
    expect(() => decodeMessage(Uint8Array.of(0x0d, 0, 0, 0, 0), schema)).toThrow(/wire type 5, expected 0/);
    expect(() => decodeMessage(Uint8Array.of(0x08, ...Array(10).fill(0x80), 0), schema)).toThrow(/longer than 10 bytes/);
    expect(() => decodeMessage(Uint8Array.of(0x13, 0x14), schema)).toThrow(/wire type 3/);
    expect(() => decodeMessage(Uint8Array.of(0x12, 5, 1), [])).toThrow(/runs past the end/);
  });

  it('a network survives toONNX → fromONNX through bytes onnx-proto re-encoded', async () => {
    const net = await Network.create({ inputs: 3, layers: [{ units: 4, activation: 'leakyRelu' }, { units: 2, activation: 'softmax' }], seed: 3 });
    const again = new Uint8Array(onnx.ModelProto.encode(onnx.ModelProto.decode(net.toONNX())).finish());
    const copy = await Network.fromONNX(again);
    expect(copy.getWeights()).toEqual(net.getWeights());
  });
});
