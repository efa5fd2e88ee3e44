// Protocol Buffers, as far as ONNX files need them: messages described by a table of their fields, read
// and written by one generic pair of functions. Wire types: varint (int32, int64, enums), 32-bit
// (float) and length-delimited (strings, bytes, nested messages, packed repeated numbers). Reading
// skips every field the table does not name, as protobuf readers must, and accepts repeated numbers
// packed or one by one. Writing puts fields in field-number order and writes every field that is
// present (not undefined or null; empty repeated fields are left out), as protobufjs does, so the two
// write the same bytes for the same message.

/** How a field's values are stored: numbers as varints or 32-bit floats, text, bytes, or a message. */
export type FieldKind = 'int' | 'float' | 'string' | 'bytes' | MessageSchema;

export interface Field {
  /** The property name in the decoded object (protobufjs's camelCase of the .proto name). */
  readonly name: string;
  readonly number: number;
  readonly kind: FieldKind;
  /** Repeated; numbers are then written packed. */
  readonly repeated?: boolean;
}

/** A message's fields, in field-number order. */
export type MessageSchema = readonly Field[];

const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;
const FIXED32 = 5;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** The message in bytes [start, end) as a plain object of the fields `schema` names. */
export function decodeMessage(bytes: Uint8Array, schema: MessageSchema, start = 0, end = bytes.length): Record<string, unknown> {
  const reader = new Reader(bytes, start, end);
  const message: Record<string, unknown> = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    const field = schema.find((f) => f.number === number);
    if (!field) {
      reader.skip(wire, number);
      continue;
    }
    if (field.repeated) {
      const list = (message[field.name] ??= []) as unknown[];
      if (wire === DELIMITED && (field.kind === 'int' || field.kind === 'float')) {
        const stop = reader.delimited();
        while (reader.pos < stop) list.push(reader.value(field, field.kind === 'int' ? VARINT : FIXED32));
        if (reader.pos !== stop) throw new RangeError(`packed field ${number} (${field.name}) ends inside a value`);
      } else {
        list.push(reader.value(field, wire));
      }
    } else {
      message[field.name] = reader.value(field, wire);
    }
  }
  return message;
}

/** The bytes of `message`, a plain object of the fields `schema` names. */
export function encodeMessage(message: Readonly<Record<string, unknown>>, schema: MessageSchema): Uint8Array {
  const writer = new Writer();
  writer.message(message, schema);
  return writer.finish();
}

class Reader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, public pos: number, readonly end: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  value(field: Field, wire: number): unknown {
    const { kind } = field;
    const expected = kind === 'int' ? VARINT : kind === 'float' ? FIXED32 : DELIMITED;
    if (wire !== expected) throw new TypeError(`field ${field.number} (${field.name}) has wire type ${wire}, expected ${expected}`);
    if (kind === 'int') return this.int64();
    if (kind === 'float') return this.float();
    const stop = this.delimited();
    const start = this.pos;
    this.pos = stop;
    if (kind === 'bytes') return this.bytes.subarray(start, stop);
    if (kind === 'string') return utf8Decoder.decode(this.bytes.subarray(start, stop));
    return decodeMessage(this.bytes, kind, start, stop);
  }

  /** A varint as a two's-complement 64-bit integer (int32 and enums are sign-extended to 64 bits). */
  int64(): number {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return Number(BigInt.asIntN(64, value));
    }
    throw new RangeError(`a varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A varint that must fit 32 bits unsigned: tags and lengths. */
  uint32(): number {
    const value = this.int64();
    if (value < 0 || value > 0xffffffff) throw new RangeError(`a tag or length of ${value} at byte ${this.pos}`);
    return value;
  }

  float(): number {
    return this.view.getFloat32(this.take(4), true);
  }

  /** Reads a length; returns where the delimited bytes that follow it end (pos stays at their start). */
  delimited(): number {
    const length = this.uint32();
    if (this.pos + length > this.end) {
      throw new RangeError(`a field of ${length} bytes at byte ${this.pos} runs past the end of its message (byte ${this.end})`);
    }
    return this.pos + length;
  }

  skip(wire: number, number: number): void {
    if (wire === VARINT) this.int64();
    else if (wire === FIXED64) this.take(8);
    else if (wire === DELIMITED) this.pos = this.delimited();
    else if (wire === FIXED32) this.take(4);
    else throw new TypeError(`field ${number} has wire type ${wire}, which ONNX files do not use`);
  }

  private byte(): number {
    return this.bytes[this.take(1)];
  }

  /** Advances past `count` bytes that must exist; returns where they start. */
  private take(count: number): number {
    const at = this.pos;
    if (at + count > this.end) throw new RangeError(`the bytes end inside a field (byte ${at} + ${count} > ${this.end})`);
    this.pos = at + count;
    return at;
  }
}

class Writer {
  private buffer = new Uint8Array(1024);
  private length = 0;

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  message(message: Readonly<Record<string, unknown>>, schema: MessageSchema): void {
    for (const field of schema) {
      const value = message[field.name];
      if (value === undefined || value === null) continue;
      if (!field.repeated) {
        this.field(field, value);
      } else if ((value as unknown[]).length > 0) {
        const values = value as unknown[];
        if (field.kind === 'int' || field.kind === 'float') {
          this.tag(field.number, DELIMITED);
          this.delimit((inner) => {
            for (const v of values) inner.number(field.kind, v as number);
          });
        } else {
          for (const v of values) this.field(field, v);
        }
      }
    }
  }

  private field(field: Field, value: unknown): void {
    const { kind } = field;
    if (kind === 'int' || kind === 'float') {
      this.tag(field.number, kind === 'int' ? VARINT : FIXED32);
      this.number(kind, value as number);
      return;
    }
    this.tag(field.number, DELIMITED);
    if (kind === 'string') this.bytes(utf8Encoder.encode(value as string));
    else if (kind === 'bytes') this.bytes(value as Uint8Array);
    else this.delimit((inner) => inner.message(value as Record<string, unknown>, kind));
  }

  private number(kind: FieldKind, value: number): void {
    if (kind === 'int') {
      this.varint(value);
      return;
    }
    const at = this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(at, value, true);
  }

  private tag(number: number, wire: number): void {
    this.varint(number * 8 + wire);
  }

  /** An integer as a varint; negative ones as their 64-bit two's complement (ten bytes). */
  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer protobuf can hold`);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private byte(value: number): void {
    const at = this.reserve(1);
    this.buffer[at] = value;
  }

  private bytes(bytes: Uint8Array): void {
    this.varint(bytes.length);
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }

  /** What `write` writes into a writer of its own, preceded by its length. */
  private delimit(write: (inner: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(inner.buffer.subarray(0, inner.length));
  }

  /** Makes room for `count` more bytes; returns where they go. It may replace the buffer: call it before reading `buffer`. */
  private reserve(count: number): number {
    const at = this.length;
    if (at + count > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, at + count));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
    }
    this.length = at + count;
    return at;
  }
}
