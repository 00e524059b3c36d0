import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueStore, RangeOptions } from '../keyValueStore.js';

export interface ContractSubject {
  store: KeyValueStore;
  /** Closes the store and opens it again on the same data; absent where nothing persists. */
  reopen?: () => Promise<KeyValueStore>;
  /** Closes whatever is open and removes what the subject created. */
  dispose: () => Promise<void>;
}

const b = (text: string) => Buffer.from(text);
const text = (value: Buffer | undefined) => value?.toString();

/** Key order as LevelDB sees it: the bytes of the UTF-8 form. */
const byteOrder = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));

async function entries(store: KeyValueStore, options?: RangeOptions): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [key, value] of store.range(options)) out.push([key, value.toString()]);
  return out;
}

/** What a range must return, worked out from the definition on a sorted copy of every key. */
function oracle(keys: string[], options: RangeOptions): string[] {
  const above = (k: string, bound: string | undefined, strict: boolean) =>
    bound === undefined || (strict ? byteOrder(k, bound) > 0 : byteOrder(k, bound) >= 0);
  const below = (k: string, bound: string | undefined, strict: boolean) =>
    bound === undefined || (strict ? byteOrder(k, bound) < 0 : byteOrder(k, bound) <= 0);
  const selected = [...keys]
    .sort(byteOrder)
    .filter(
      (k) =>
        above(k, options.gte, false) &&
        above(k, options.gt, true) &&
        below(k, options.lte, false) &&
        below(k, options.lt, true),
    );
  if (options.reverse) selected.reverse();
  return selected.slice(0, options.limit ?? Infinity);
}

/**
 * The behaviour every KeyValueStore implementation must have. `open` makes a fresh, empty store
 * for each test; a `persistent` store must also offer `reopen`.
 */
export function describeKeyValueStoreContract(
  label: string,
  open: () => Promise<ContractSubject>,
  { persistent = false } = {},
): void {
  describe(`${label} (KeyValueStore contract)`, () => {
    let subject: ContractSubject;
    let store: KeyValueStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.dispose();
    });

    it('starts empty, without a checkpoint', async () => {
      expect(await store.get('a')).toBeUndefined();
      expect(await store.checkpoint()).toBeUndefined();
      expect(await entries(store)).toEqual([]);
    });

    it('puts, overwrites and deletes', async () => {
      await store.write([{ key: 'a', value: b('1') }]);
      expect(text(await store.get('a'))).toBe('1');
      await store.write([{ key: 'a', value: b('2') }]);
      expect(text(await store.get('a'))).toBe('2');
      await store.write([{ key: 'a', value: null }]);
      expect(await store.get('a')).toBeUndefined();
      await store.write([{ key: 'never-written', value: null }]);
      expect(await entries(store)).toEqual([]);
    });

    it('keeps values as bytes: empty and binary values, copies in and out', async () => {
      const binary = Buffer.from([0, 255, 0, 1]);
      await store.write([
        { key: 'empty', value: Buffer.alloc(0) },
        { key: 'binary', value: binary },
      ]);
      binary[0] = 9;
      const empty = await store.get('empty');
      expect(empty).toBeInstanceOf(Buffer);
      expect(empty!.length).toBe(0);
      const read = await store.get('binary');
      expect([...read!]).toEqual([0, 255, 0, 1]);
      read![1] = 7;
      expect([...(await store.get('binary'))!]).toEqual([0, 255, 0, 1]);
    });

    it('reads many keys at once, in the order asked, missing ones undefined', async () => {
      await store.write([
        { key: 'a', value: b('1') },
        { key: 'c', value: b('3') },
      ]);
      const values = await store.getMany(['c', 'b', 'a', 'c']);
      expect(values.map(text)).toEqual(['3', undefined, '1', '3']);
      expect(await store.getMany([])).toEqual([]);
    });

    it('applies a batch in order: the last write of a key wins', async () => {
      await store.write([
        { key: 'a', value: b('1') },
        { key: 'a', value: null },
        { key: 'b', value: null },
        { key: 'b', value: b('2') },
        { key: 'c', value: b('3') },
        { key: 'c', value: b('4') },
      ]);
      expect(await entries(store)).toEqual([
        ['b', '2'],
        ['c', '4'],
      ]);
    });

    it('records a checkpoint with the writes, and alone', async () => {
      await store.write([{ key: 'a', value: b('1') }], 10n);
      expect(await store.checkpoint()).toBe(10n);
      await store.write([{ key: 'b', value: b('2') }]);
      expect(await store.checkpoint()).toBe(10n);
      await store.write([], 12n);
      expect(await store.checkpoint()).toBe(12n);
      expect(await entries(store)).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      await store.write([], 0n);
      expect(await store.checkpoint()).toBe(0n);
      await store.write([], 2n ** 63n - 1n);
      expect(await store.checkpoint()).toBe(2n ** 63n - 1n);
    });

    it('applies nothing of a batch with an invalid key or checkpoint', async () => {
      await store.write([{ key: 'a', value: b('1') }], 5n);
      await expect(
        store.write([
          { key: 'a', value: b('2') },
          { key: 'bad\uD800', value: b('x') },
        ]),
      ).rejects.toMatchObject({ code: 'INVALID_KEY' });
      await expect(store.write([{ key: 'a', value: b('3') }], -1n)).rejects.toMatchObject({
        code: 'INVALID_CHECKPOINT',
      });
      expect(text(await store.get('a'))).toBe('1');
      expect(await store.checkpoint()).toBe(5n);
    });

    it('rejects keys and bounds that are not well-formed Unicode', async () => {
      await expect(store.get('\uDC00x')).rejects.toMatchObject({ code: 'INVALID_KEY' });
      await expect(store.getMany(['ok', 'x\uD800'])).rejects.toMatchObject({ code: 'INVALID_KEY' });
      await expect(entries(store, { gte: '\uD800' })).rejects.toMatchObject({ code: 'INVALID_KEY' });
    });

    it('treats keys that look like its own metadata as ordinary keys', async () => {
      const keys = ['m/checkpoint', 'm/format', 'd/a', '', '\u0000', 'checkpoint', '\u0001'];
      await store.write(
        keys.map((key) => ({ key, value: b('7') })),
        3n,
      );
      expect(await store.checkpoint()).toBe(3n);
      expect((await entries(store)).map(([k]) => k)).toEqual([...keys].sort(byteOrder));
      await store.write(keys.map((key) => ({ key, value: null })));
      expect(await entries(store)).toEqual([]);
      expect(await store.checkpoint()).toBe(3n);
    });

    describe('ranges', () => {
      const keys = ['a', 'aa', 'b', 'ba', 'c', 'd', 'e'];
      beforeEach(async () => {
        await store.write(keys.map((key) => ({ key, value: b(`v-${key}`) })));
      });

      const lowers: RangeOptions[] = [
        {},
        { gte: 'b' },
        { gt: 'b' },
        { gte: 'ab' },
        { gt: 'ab' },
        { gte: 'b', gt: 'b' },
      ];
      const uppers: RangeOptions[] = [
        {},
        { lte: 'd' },
        { lt: 'd' },
        { lte: 'cz' },
        { lt: 'cz' },
        { lte: 'd', lt: 'd' },
      ];
      const shapes: RangeOptions[] = [
        {},
        { reverse: true },
        { limit: 2 },
        { limit: 2, reverse: true },
        { limit: 0 },
      ];
      const cases = lowers.flatMap((lower) =>
        uppers.flatMap((upper) => shapes.map((shape) => ({ ...lower, ...upper, ...shape }))),
      );

      it.each(cases.map((options) => [JSON.stringify(options), options] as const))(
        'returns what the bounds define: %s',
        async (_, options) => {
          const expected = oracle(keys, options).map((k) => [k, `v-${k}`]);
          expect(await entries(store, options)).toEqual(expected);
        },
      );

      it('uses the tighter bound when both an inclusive and an exclusive one are given', async () => {
        expect((await entries(store, { gte: 'b', gt: 'a' })).map(([k]) => k)[0]).toBe('b');
        expect((await entries(store, { gt: 'b', gte: 'a' })).map(([k]) => k)[0]).toBe('ba');
        expect((await entries(store, { lte: 'b', lt: 'c', reverse: true })).map(([k]) => k)[0]).toBe('b');
        expect((await entries(store, { lt: 'b', lte: 'c', reverse: true })).map(([k]) => k)[0]).toBe('aa');
      });

      it('returns nothing for empty and inverted ranges', async () => {
        expect(await entries(store, { gt: 'c', lt: 'c' })).toEqual([]);
        expect(await entries(store, { gte: 'd', lte: 'b' })).toEqual([]);
        expect(await entries(store, { gte: 'c', lte: 'c' })).toEqual([['c', 'v-c']]);
        expect(await entries(store, { gt: 'e' })).toEqual([]);
        expect(await entries(store, { lt: 'a' })).toEqual([]);
      });

      it('rejects a limit that is not a non-negative integer', async () => {
        await expect(entries(store, { limit: -1 })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
        await expect(entries(store, { limit: 1.5 })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
        expect(await entries(store, { limit: Infinity })).toHaveLength(keys.length);
      });

      it('reads as of the start of iteration, and can stop early', async () => {
        const seen: string[] = [];
        for await (const [key] of store.range()) {
          seen.push(key);
          if (key === 'b') {
            await store.write([
              { key: 'bb', value: b('new') },
              { key: 'e', value: null },
            ]);
          }
        }
        expect(seen).toEqual(keys);
        for await (const [key] of store.range({ reverse: true })) {
          expect(key).toBe('d');
          break;
        }
        expect(text(await store.get('bb'))).toBe('new');
      });
    });

    it('orders Unicode keys by code point, as their UTF-8 bytes', async () => {
      const keys = ['z', 'é', 'ü', '中', '中文', '😀', '😀😀', '\uE000', '\uFFFF', 'Z', '', 'a\u0000b', 'a'];
      await store.write(keys.map((key, i) => ({ key, value: b(String(i)) })));
      const sorted = [...keys].sort(byteOrder);
      expect((await entries(store)).map(([k]) => k)).toEqual(sorted);
      expect((await entries(store, { reverse: true })).map(([k]) => k)).toEqual([...sorted].reverse());
      for (const options of [
        { gte: 'é' },
        { gt: '\uE000', lt: '😀😀' },
        { lte: '中', gt: 'a' },
        { lt: '\uFFFF' },
      ]) {
        expect((await entries(store, options)).map(([k]) => k)).toEqual(oracle(keys, options));
      }
      for (const [i, key] of keys.entries()) expect(text(await store.get(key))).toBe(String(i));
    });

    it('holds a thousand keys written in one batch', async () => {
      const keys = Array.from({ length: 1000 }, (_, i) => `k${(i * 7919) % 1000}`);
      await store.write(
        keys.map((key) => ({ key, value: b(key) })),
        1000n,
      );
      const all = await entries(store);
      expect(all.map(([k]) => k)).toEqual([...keys].sort(byteOrder));
      expect(await entries(store, { gte: 'k5', lt: 'k6', limit: 3 })).toEqual([
        ['k5', 'k5'],
        ['k50', 'k50'],
        ['k500', 'k500'],
      ]);
    });

    it('clears every entry and the checkpoint, and stays usable', async () => {
      await store.write(
        [
          { key: 'a', value: b('1') },
          { key: 'b', value: b('2') },
        ],
        9n,
      );
      await store.clear();
      expect(await entries(store)).toEqual([]);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.checkpoint()).toBeUndefined();
      await store.write([{ key: 'c', value: b('3') }], 1n);
      expect(await entries(store)).toEqual([['c', '3']]);
      expect(await store.checkpoint()).toBe(1n);
    });

    it('refuses use after close, and closes twice', async () => {
      await store.close();
      await store.close();
      await expect(store.get('a')).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(store.write([])).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(store.checkpoint()).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(entries(store)).rejects.toMatchObject({ code: 'CLOSED' });
    });

    if (persistent) {
      it('keeps data and checkpoint across a reopen', async () => {
        await store.write(
          [
            { key: 'a', value: b('1') },
            { key: '😀', value: b('2') },
          ],
          42n,
        );
        await store.write([{ key: 'a', value: null }]);
        store = await subject.reopen!();
        expect(await entries(store)).toEqual([['😀', '2']]);
        expect(await store.checkpoint()).toBe(42n);
      });
    }
  });
}
