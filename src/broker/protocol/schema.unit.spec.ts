import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocolError.js';
import { Reader } from './reader.js';
import { array, field, int16, int32, parseRange, string, struct } from './schema.js';
import { Writer } from './writer.js';

const Sample = struct({
  id: int32,
  name: field(string, { nullable: '1+' }),
  since2: field(int16, { versions: '2+', default: 7 }),
  items: array(struct({ n: int32 })),
  note: field(string, { versions: '3+', tag: 0, nullable: '3+', default: null }),
});

const encode = (value: typeof Sample.zero, version: number, flexible: boolean) => {
  const w = new Writer();
  Sample.write(w, value, { version, flexible }, false);
  return w.toBuffer();
};
const decode = (bytes: Buffer, version: number, flexible: boolean) =>
  Sample.read(new Reader(bytes), { version, flexible }, false);

describe('schema', () => {
  it('parses version ranges as Kafka writes them', () => {
    expect(parseRange('3+')).toEqual({ min: 3, max: Number.MAX_SAFE_INTEGER });
    expect(parseRange('0-2')).toEqual({ min: 0, max: 2 });
    expect(parseRange('4')).toEqual({ min: 4, max: 4 });
    expect(() => parseRange('x')).toThrow();
  });

  it('leaves out fields absent from a version and fills their default on decode', () => {
    const value = { id: 1, name: 'a', since2: 9, items: [{ n: 2 }], note: null };
    const v1 = encode(value, 1, false);
    expect(v1.length).toBe(4 + 2 + 1 + 4 + 4);
    expect(decode(v1, 1, false)).toEqual({ ...value, since2: 7 });
    expect(decode(encode(value, 2, false), 2, false)).toEqual(value);
  });

  it('refuses null where a version does not allow it', () => {
    expect(() => encode({ id: 1, name: null, since2: 0, items: [], note: null }, 0, false)).toThrow(
      ProtocolError,
    );
    const decoded = decode(
      encode({ id: 1, name: null, since2: 0, items: [], note: null }, 1, false),
      1,
      false,
    );
    expect(decoded?.name).toBeNull();
  });

  it('uses compact encodings and tagged fields in flexible versions', () => {
    const value = { id: 1, name: 'ab', since2: 3, items: [{ n: 5 }], note: 'hi' };
    const bytes = encode(value, 3, true);
    // id(4) name(1+2) since2(2) items: len(1) + {n(4) tags(1)} + tags: count(1) tag(1) size(1) 'hi'(1+2)
    expect(bytes.length).toBe(4 + 3 + 2 + 1 + 5 + 1 + 1 + 1 + 3);
    expect(decode(bytes, 3, true)).toEqual(value);
    // A default tagged field is not written at all.
    expect(encode({ ...value, note: null }, 3, true).length).toBe(bytes.length - 5);
  });

  it('skips tagged fields it does not know', () => {
    // items = [] (compact length 0+1), then the struct's tag section: 1 field, tag 9, 2 bytes.
    const bytes = Buffer.concat([
      new Writer().int32(1).compactString('ab').int16(3).uvarint(1).toBuffer(),
      new Writer().uvarint(1).uvarint(9).uvarint(2).int16(0x7777).toBuffer(),
    ]);
    expect(decode(bytes, 3, true)).toEqual({ id: 1, name: 'ab', since2: 3, items: [], note: null });
  });
});
