import { expect } from 'vitest';
import { compareKeys } from '../keyOrder.js';
import { MemoryKeyValueStore } from '../memoryKeyValueStore.js';

/** A seeded source of choices (SeededRandom fits), so a failure names the seed that reproduces it. */
export interface Random {
  readonly seed: number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** A part of a tuple: an id, or a number (a sequence) where the key writes one. */
export type Part = string | number;

/** A way of building store keys from tuples whose first part is an id, checked by `checkKeyScheme`. */
export interface KeyScheme {
  readonly name: string;
  /** The tuple's key. */
  key(parts: readonly Part[]): string;
  /** The bounds of the scan that lists the keys whose first part is `first`. */
  scan(first: string): { gte: string; lt: string };
  /** The parts after the first, drawn with `id` for any that is an id. */
  rest(random: Random, id: () => string): Part[];
}

/**
 * What ids are made of: separators, the two code points the key encoding escapes and the one
 * after them, the ends of the code unit blocks the key order shifts (keyOrder.ts), an astral
 * character, both halves of a surrogate pair alone, control characters and ordinary text.
 */
const PIECES = [
  '\u0000',
  '\u0001',
  '\u0002',
  '\u0000\u0000',
  '\u0001\u0001',
  '/',
  ':',
  ' ',
  '0',
  '1',
  'a',
  'victim',
  'A-1',
  '\u007f',
  '\u0085',
  '\u00a0',
  'é',
  '中',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '😀',
  '\ud83d',
  '\ude00',
];

/** A random id: empty, around the 200-byte limit, or a few pieces. */
export function randomId(random: Random): string {
  switch (random.int(0, 11)) {
    case 0:
      return '';
    case 1:
      return 'x'.repeat(random.int(199, 201));
    case 2:
      return '😀'.repeat(50) + random.pick(PIECES);
    default:
      return Array.from({ length: random.int(1, 5) }, () => random.pick(PIECES)).join('');
  }
}

/**
 * Ids that share beginnings and ends, as `victim`, `victim\0`, `victim\u00001` do: a third of the
 * pool is another id of it with a piece before or after.
 */
export function idPool(random: Random, size: number): string[] {
  const pool: string[] = [];
  while (pool.length < size) {
    const base = pool.length > 0 && random.int(0, 2) === 0 ? random.pick(pool) : undefined;
    const piece = random.pick(PIECES);
    pool.push(base === undefined ? randomId(random) : random.int(0, 1) ? base + piece : piece + base);
  }
  return [...new Set(pool)];
}

/** Tuples in order: part by part (ids in code point order, numbers by value), a prefix first. */
export function compareTuples(a: readonly Part[], b: readonly Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareKeys(String(x), String(y));
    if (c !== 0) return Math.sign(c);
  }
  return Math.sign(a.length - b.length);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const show = (value: unknown) => JSON.stringify(value);

/**
 * Throws `count` tuples of random ids at a key scheme and checks that it is what a composite key
 * must be: no two distinct tuples share a key, keys sort as their tuples do, and a scan for one
 * id — by bounds, and through a real store — lists exactly the keys of that id, never another's.
 */
export async function checkKeyScheme(scheme: KeyScheme, random: Random, count = 3000): Promise<void> {
  const where = `${scheme.name}, seed ${random.seed}`;
  const pool = idPool(random, 150);
  const byKey = new Map<string, readonly Part[]>();
  const tuples: (readonly Part[])[] = [];
  for (let i = 0; i < count; i++) {
    const tuple = [random.pick(pool), ...scheme.rest(random, () => random.pick(pool))];
    const key = scheme.key(tuple);
    const known = byKey.get(key);
    if (known) {
      expect(show(known), `${where}: two tuples with the key ${show(key)}`).toBe(show(tuple));
    } else {
      byKey.set(key, tuple);
      tuples.push(tuple);
    }
  }
  expect(tuples.length, `${where}: enough distinct tuples`).toBeGreaterThan(count / 2);

  // Order: sorted by tuple, the keys are strictly increasing; and so for random pairs.
  const sorted = [...tuples].sort(compareTuples);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (compareKeys(scheme.key(a), scheme.key(b)) >= 0) {
      expect.fail(`${where}: ${show(a)} < ${show(b)}, but their keys are not in that order`);
    }
  }
  for (let i = 0; i < count; i++) {
    const [a, b] = [random.pick(tuples), random.pick(tuples)];
    expect(Math.sign(compareKeys(scheme.key(a), scheme.key(b))), `${where}: ${show(a)} vs ${show(b)}`).toBe(
      compareTuples(a, b),
    );
  }

  // Scans by bounds: every key against the bounds of every first part.
  const firsts = [...new Set(tuples.map((t) => t[0] as string))];
  const keys = tuples.map((t) => scheme.key(t));
  for (const first of firsts) {
    const { gte, lt } = scheme.scan(first);
    for (const [i, tuple] of tuples.entries()) {
      const key = keys[i]!;
      const listed = compareKeys(key, gte) >= 0 && compareKeys(key, lt) < 0;
      const own = tuple[0] === first && tuple.length > 1;
      if (listed !== own) {
        expect.fail(`${where}: the scan of ${show(first)} ${listed ? 'lists' : 'misses'} ${show(tuple)}`);
      }
    }
  }

  // Scans through a store (which refuses keys without a UTF-8 form: lone surrogates).
  const store = new MemoryKeyValueStore(scheme.name);
  const stored = tuples.filter((t) => !LONE_SURROGATE.test(scheme.key(t)));
  await store.write(stored.map((t) => ({ key: scheme.key(t), value: Buffer.from(show(t)) })));
  for (const first of firsts.filter((f) => !LONE_SURROGATE.test(f))) {
    const listed: string[] = [];
    for await (const [, value] of store.range(scheme.scan(first))) listed.push(value.toString());
    const own = stored.filter((t) => t[0] === first && t.length > 1).sort(compareTuples);
    expect(listed, `${where}: the store's scan of ${show(first)}`).toEqual(own.map(show));
  }
  await store.close();
}
