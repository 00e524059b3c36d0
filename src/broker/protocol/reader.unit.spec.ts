import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocolError.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

describe('Reader and Writer', () => {
  it('round-trip every primitive', () => {
    const w = new Writer(4);
    w.int8(-5)
      .int16(-300)
      .int32(-70000)
      .int64(-(2n ** 62n))
      .uint32(0xfffffffe)
      .bool(true)
      .float64(1.5);
    w.string('héllo').nullableString(null).compactString('x').compactNullableString(null);
    w.bytes(Buffer.from([1, 2]))
      .nullableBytes(null)
      .compactNullableBytes(Buffer.from([3]));
    const r = new Reader(w.toBuffer());
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.uint32(), r.bool(), r.float64()]).toEqual([
      -5,
      -300,
      -70000,
      -(2n ** 62n),
      0xfffffffe,
      true,
      1.5,
    ]);
    expect([r.string(), r.nullableString(), r.compactString(), r.compactNullableString()]).toEqual([
      'héllo',
      null,
      'x',
      null,
    ]);
    expect([...r.bytes()]).toEqual([1, 2]);
    expect(r.nullableBytes()).toBeNull();
    expect([...r.compactNullableBytes()!]).toEqual([3]);
    expect(r.remaining).toBe(0);
  });

  it('encodes zigzag varints as Kafka does', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [-1, [0x01]],
      [1, [0x02]],
      [63, [0x7e]],
      [-64, [0x7f]],
      [64, [0x80, 0x01]],
      [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
      [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [value, bytes] of cases) {
      const encoded = new Writer().varint(value).toBuffer();
      expect([...encoded]).toEqual(bytes);
      expect(new Reader(encoded).varint()).toBe(value);
    }
  });

  it('round-trips 64-bit varlongs at the extremes', () => {
    for (const value of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1_700_000_000_000n]) {
      expect(new Reader(new Writer().varlong(value).toBuffer()).varlong()).toBe(value);
    }
  });

  it('refuses truncated input and impossible lengths with ProtocolError', () => {
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xfe])).nullableBytes()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0, 0, 0, 100])).arrayLength()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).uvarint()).toThrow(
      ProtocolError,
    );
  });

  it('keeps large byte payloads as references instead of copying them', () => {
    const big = Buffer.alloc(64 * 1024, 7);
    const chunks = new Writer().int32(1).raw(big).int32(2).finish();
    expect(chunks.some((c) => c === big)).toBe(true);
    expect(Buffer.concat(chunks).length).toBe(8 + big.length);
  });
});
