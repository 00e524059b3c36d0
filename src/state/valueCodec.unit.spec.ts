import { describe, expect, it } from 'vitest';
import { bufferCodec, jsonCodec, stringCodec } from './valueCodec.js';

describe('jsonCodec', () => {
  const codec = jsonCodec<unknown>();

  it('round-trips JSON values with bigints kept exact, nested anywhere', () => {
    const value = {
      version: 12345678901234567890n,
      negative: -5n,
      zero: 0n,
      items: [1n, { qty: 2, price: 999999999999999999999n }],
      name: 'naïve 😀',
      nothing: null,
      flag: true,
    };
    expect(codec.decode(codec.encode(value))).toEqual(value);
    expect(codec.decode(codec.encode(7n))).toBe(7n);
  });

  it('writes a bigint as a tagged object', () => {
    expect(codec.encode({ v: 1n }).toString()).toBe('{"v":{"$bigint":"1"}}');
  });

  it('refuses an object of its own that would read back as a bigint', () => {
    expect(() => codec.encode({ $bigint: '1' })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => codec.encode([{ $bigint: 1 }])).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    // With another key beside it, the object is unambiguous.
    expect(codec.decode(codec.encode({ $bigint: '1', other: 2 }))).toEqual({ $bigint: '1', other: 2 });
  });

  it('leaves tags that are not decimal strings as they are when reading', () => {
    expect(codec.decode(Buffer.from('{"$bigint":"abc"}'))).toEqual({ $bigint: 'abc' });
    expect(codec.decode(Buffer.from('{"$bigint":5}'))).toEqual({ $bigint: 5 });
  });

  it('refuses values without a JSON form, and bytes that are not JSON', () => {
    expect(() => codec.encode(undefined)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => codec.encode(cyclic)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => codec.decode(Buffer.from('{nope'))).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    );
  });
});

describe('bufferCodec and stringCodec', () => {
  it('pass bytes through, and text as UTF-8', () => {
    const bytes = Buffer.from([0, 1, 255]);
    expect(bufferCodec.decode(bufferCodec.encode(bytes))).toBe(bytes);
    expect(stringCodec.encode('é').equals(Buffer.from([0xc3, 0xa9]))).toBe(true);
    expect(stringCodec.decode(stringCodec.encode('😀 ok'))).toBe('😀 ok');
  });
});
