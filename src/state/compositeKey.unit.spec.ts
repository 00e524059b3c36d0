import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compositeKey,
  compositePrefix,
  compositeRange,
  decodeCompositeKey,
  decodeKeyPart,
  encodeKeyPart,
} from './compositeKey.js';
import { compareKeys } from './keyOrder.js';
import { anyId, checkKeyScheme } from './testing/compositeKeyProperties.js';

describe('composite keys', () => {
  it('write a part without U+0000 or U+0001 as itself, so the stores keep their layout', () => {
    expect(compositeKey('A-1', '000000000007')).toBe('A-1\u0000000000000007');
    expect(compositeKey('orders', 'O/1:2', '😀')).toBe('orders\u0000O/1:2\u0000😀');
    expect(compositeKey('solo')).toBe('solo');
    expect(compositePrefix('victim')).toBe('victim\u0000');
    expect(compositeRange('victim')).toEqual({ gte: 'victim\u0000', lt: 'victim\u0001' });
  });

  it('escape U+0000 and U+0001 within a part, and write an empty part as a lone U+0001', () => {
    expect(encodeKeyPart('victim\u00001')).toBe('victim\u0001\u00011');
    expect(encodeKeyPart('a\u0001b')).toBe('a\u0001\u0002b');
    expect(encodeKeyPart('')).toBe('\u0001');
    expect(compositeKey('victim\u00001', '1')).toBe('victim\u0001\u00011\u00001');
    expect(compositeKey('', 'progress')).toBe('\u0001\u0000progress');
  });

  it('never start a key with U+0000, where the stores keep their own keys', () => {
    fc.assert(
      fc.property(anyId, (id) => {
        expect(compositeKey(id, 'x').startsWith('\u0000')).toBe(false);
        expect(compositeKey(id).startsWith('\u0000')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('keep the victim case apart: a scan of victim lists neither victim\\u00001 nor victim\\u0000', () => {
    const keys = ['victim', 'victim\u00001', 'victim\u0000', 'victim\u00001\u0000x', 'victi', 'victim\u0001']
      .flatMap((id) => [1, 2].map((n) => compositeKey(id, String(n))))
      .sort(compareKeys);
    const { gte, lt } = compositeRange('victim');
    const listed = keys.filter((k) => compareKeys(k, gte) >= 0 && compareKeys(k, lt) < 0);
    expect(listed.map((k) => decodeCompositeKey(k))).toEqual([
      ['victim', '1'],
      ['victim', '2'],
    ]);
  });

  it('decode to the parts they were built from', () => {
    fc.assert(
      fc.property(fc.array(anyId, { minLength: 1, maxLength: 4 }), (parts) => {
        expect(decodeCompositeKey(compositeKey(...parts))).toEqual(parts);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse to decode what no part is written as', () => {
    for (const encoded of ['', 'a\u0000b', 'a\u0001', 'a\u0001\u0003', '\u0001\u0001\u0001']) {
      expect(() => decodeKeyPart(encoded), JSON.stringify(encoded)).toThrow(/not an encoded key part/);
    }
    expect(() => compositeKey()).toThrow(/at least one part/);
  });

  it('of any tuples: no collisions, tuple order kept, a scan lists one id’s keys only', async () => {
    await checkKeyScheme({
      name: 'compositeKey',
      // Tuples of one to four parts: a shorter tuple sorts before the longer ones it begins.
      key: (parts) => compositeKey(...parts.map(String)),
      scan: (first) => compositeRange(first),
      rest: (id) => fc.array(id, { maxLength: 3 }),
    });
  });
});
