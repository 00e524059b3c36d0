import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire, WireFormatError } from './wireFormat.js';

describe('Confluent wire format', () => {
  it('is a zero byte, the schema id as a big-endian int32, then the Avro body', () => {
    const framed = encodeWire(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    expect(decodeWire(framed)).toEqual({ schemaId: 0x01020304, body: Buffer.from([0xaa, 0xbb]) });
  });

  it('reads an empty body (a record without fields)', () => {
    expect(decodeWire(encodeWire(7, Buffer.alloc(0)))).toEqual({ schemaId: 7, body: Buffer.alloc(0) });
  });

  it('refuses short buffers and other magic bytes', () => {
    expect(() => decodeWire(Buffer.from([0, 0, 0]))).toThrow(WireFormatError);
    expect(() => decodeWire(Buffer.from([1, 0, 0, 0, 1]))).toThrow('unknown magic byte 1, expected 0');
  });
});
