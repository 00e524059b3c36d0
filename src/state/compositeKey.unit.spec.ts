import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../domain/testing/seededRandom.js';
import {
  compositeKey,
  compositePrefix,
  compositeRange,
  decodeCompositeKey,
  decodeKeyPart,
  encodeKeyPart,
} from './compositeKey.js';
import { compareKeys } from './keyOrder.js';
import { checkKeyScheme, idPool, type Part } from './testing/compositeKeyProperties.js';

const SEED = 20_250_115;

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
    for (const id of idPool(new SeededRandom(SEED), 500)) {
      expect(compositeKey(id, 'x').startsWith('\u0000'), JSON.stringify(id)).toBe(false);
      expect(compositeKey(id).startsWith('\u0000'), JSON.stringify(id)).toBe(false);
    }
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
    const random = new SeededRandom(SEED);
    const pool = idPool(random, 300);
    for (let i = 0; i < 3000; i++) {
      const parts = Array.from({ length: random.int(1, 4) }, () => random.pick(pool));
      expect(decodeCompositeKey(compositeKey(...parts)), `seed ${SEED}, ${JSON.stringify(parts)}`).toEqual(
        parts,
      );
    }
  });

  it('refuse to decode what no part is written as', () => {
    for (const encoded of ['', 'a\u0000b', 'a\u0001', 'a\u0001\u0003', '\u0001\u0001\u0001']) {
      expect(() => decodeKeyPart(encoded), JSON.stringify(encoded)).toThrow(/not an encoded key part/);
    }
    expect(() => compositeKey()).toThrow(/at least one part/);
  });

  it.each([1, 2, 3])(
    'of random tuples (seed %i): no collisions, tuple order kept, a scan lists one id’s keys only',
    async (n) => {
      await checkKeyScheme(
        {
          name: 'compositeKey',
          // Tuples of one to four parts: a shorter tuple sorts before the longer ones it begins.
          key: (parts) => compositeKey(...parts.map(String)),
          scan: (first) => compositeRange(first),
          rest: (random, id) => Array.from({ length: random.int(0, 3) }, (): Part => id()),
        },
        new SeededRandom(SEED + n),
      );
    },
  );
});
