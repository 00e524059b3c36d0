import { describe, expect, it } from 'vitest';
import { checkKey, compareKeys, inRange, keyRange } from './keyOrder.js';

const byteOrder = (x: string, y: string) => Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));

/** A random well-formed string over ASCII, BMP (around the surrogate block) and astral characters. */
function randomKey(random: () => number): string {
  const pool = [
    0x00, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff,
  ];
  const length = Math.floor(random() * 4);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCodePoint(pool[Math.floor(random() * pool.length)]!);
  return out;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('compareKeys', () => {
  it('agrees with the byte order of UTF-8 on random keys', () => {
    const random = seeded(7);
    for (let i = 0; i < 5000; i++) {
      const a = randomKey(random);
      const c = randomKey(random);
      expect(Math.sign(compareKeys(a, c)), `${JSON.stringify(a)} vs ${JSON.stringify(c)}`).toBe(
        byteOrder(a, c),
      );
    }
  });

  it('puts astral characters after U+E000-U+FFFF, unlike UTF-16 order', () => {
    expect('😀' < '\uFFFF').toBe(true);
    expect(compareKeys('😀', '\uFFFF')).toBeGreaterThan(0);
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
    expect(compareKeys('', '')).toBe(0);
  });
});

describe('checkKey', () => {
  it('accepts well-formed strings, including the empty string and NUL', () => {
    for (const key of ['', '\u0000', 'a', '😀', '\uFFFF']) expect(() => checkKey(key)).not.toThrow();
  });

  it.each(['\uD800', '\uDC00', 'a\uD83Db', '\uDE00\uD83D'])('rejects the lone surrogate in %j', (key) => {
    expect(() => checkKey(key)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});

describe('keyRange', () => {
  it('keeps the tighter of two bounds on a side', () => {
    expect(keyRange({ gte: 'b', gt: 'a' }).lower).toEqual({ key: 'b', inclusive: true });
    expect(keyRange({ gte: 'b', gt: 'b' }).lower).toEqual({ key: 'b', inclusive: false });
    expect(keyRange({ lte: 'b', lt: 'c' }).upper).toEqual({ key: 'b', inclusive: true });
    expect(keyRange({ lte: 'b', lt: 'b' }).upper).toEqual({ key: 'b', inclusive: false });
    expect(keyRange({}).limit).toBe(Infinity);
  });

  it('decides membership by the bounds', () => {
    const range = keyRange({ gt: 'b', lte: 'd' });
    expect(['a', 'b', 'ba', 'd', 'da'].filter((k) => inRange(k, range))).toEqual(['ba', 'd']);
  });
});
