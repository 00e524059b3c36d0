import { describe, expect, it } from 'vitest';
import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';
import { MemoryKeyValueStore } from './memoryKeyValueStore.js';
import { TransactionalStore } from './transactionalStore.js';

const b = (text: string) => Buffer.from(text);
const text = (value: Buffer | undefined) => value?.toString();

async function collect(source: AsyncIterable<[string, Buffer]>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [key, value] of source) out.push([key, value.toString()]);
  return out;
}

async function storeWith(entries: Record<string, string>, checkpoint?: bigint): Promise<MemoryKeyValueStore> {
  const store = new MemoryKeyValueStore('s');
  await store.write(
    Object.entries(entries).map(([key, value]) => ({ key, value: b(value) })),
    checkpoint,
  );
  return store;
}

describe('TransactionalStore', () => {
  it('reads its own writes first, then the store', async () => {
    const tx = new TransactionalStore(await storeWith({ a: '1', b: '2', c: '3' }));
    tx.put('a', b('10'));
    tx.delete('b');
    tx.put('d', b('4'));
    expect(text(await tx.get('a'))).toBe('10');
    expect(await tx.get('b')).toBeUndefined();
    expect(text(await tx.get('c'))).toBe('3');
    expect(text(await tx.get('d'))).toBe('4');
    expect((await tx.getMany(['d', 'c', 'b', 'a', 'x'])).map(text)).toEqual([
      '4',
      '3',
      undefined,
      '10',
      undefined,
    ]);
    expect(await collect(tx.range())).toEqual([
      ['a', '10'],
      ['c', '3'],
      ['d', '4'],
    ]);
  });

  it('leaves the store alone until commit', async () => {
    const store = await storeWith({ a: '1' }, 5n);
    const tx = new TransactionalStore(store);
    tx.put('a', b('2'));
    tx.put('b', b('3'));
    expect(text(await store.get('a'))).toBe('1');
    expect(await store.get('b')).toBeUndefined();
    expect(await store.checkpoint()).toBe(5n);
  });

  it('lists one write per key, its last, in the order of those last writes', () => {
    const tx = new TransactionalStore(new MemoryKeyValueStore());
    tx.put('a', b('1'));
    tx.put('b', b('2'));
    tx.delete('c');
    tx.put('a', b('3'));
    tx.delete('b');
    const writes = tx.pendingWrites().map(({ key, value }) => [key, value?.toString() ?? null]);
    expect(writes).toEqual([
      ['c', null],
      ['a', '3'],
      ['b', null],
    ]);
    expect(tx.pendingCount).toBe(3);
  });

  it('commits the writes and the checkpoint in one write, then starts afresh', async () => {
    const store = await storeWith({ a: '1', b: '2' }, 5n);
    const calls: [StoreWrite[], bigint | undefined][] = [];
    const write = store.write.bind(store);
    store.write = async (writes, checkpoint) => {
      calls.push([[...writes], checkpoint]);
      return write(writes, checkpoint);
    };
    const tx = new TransactionalStore(store);
    tx.put('a', b('10'));
    tx.delete('b');
    await tx.commit(9n);
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toBe(9n);
    expect(await collect(store.range())).toEqual([['a', '10']]);
    expect(await store.checkpoint()).toBe(9n);
    expect(tx.pendingWrites()).toEqual([]);
    expect(text(await tx.get('a'))).toBe('10');
  });

  it('commits a checkpoint alone, and nothing at all without writes or checkpoint', async () => {
    const store = await storeWith({ a: '1' }, 5n);
    let writes = 0;
    const write = store.write.bind(store);
    store.write = async (w, c) => {
      writes++;
      return write(w, c);
    };
    const tx = new TransactionalStore(store);
    await tx.commit();
    expect(writes).toBe(0);
    await tx.commit(7n);
    expect(writes).toBe(1);
    expect(await store.checkpoint()).toBe(7n);
  });

  it('commits writes without a checkpoint, keeping the old one', async () => {
    const store = await storeWith({}, 5n);
    const tx = new TransactionalStore(store);
    tx.put('a', b('1'));
    await tx.commit();
    expect(text(await store.get('a'))).toBe('1');
    expect(await store.checkpoint()).toBe(5n);
  });

  it('drops the writes on abort', async () => {
    const store = await storeWith({ a: '1' }, 5n);
    const tx = new TransactionalStore(store);
    tx.put('a', b('2'));
    tx.delete('a');
    tx.put('z', b('9'));
    tx.abort();
    expect(tx.pendingWrites()).toEqual([]);
    expect(text(await tx.get('a'))).toBe('1');
    expect(await tx.get('z')).toBeUndefined();
    expect(await collect(store.range())).toEqual([['a', '1']]);
  });

  it('copies values in and out', async () => {
    const tx = new TransactionalStore(new MemoryKeyValueStore());
    const value = b('abc');
    tx.put('k', value);
    value[0] = 0x78;
    const read = await tx.get('k');
    expect(text(read)).toBe('abc');
    read![0] = 0x79;
    expect(text(await tx.get('k'))).toBe('abc');
    expect(tx.pendingWrites()[0]!.value!.toString()).toBe('abc');
  });

  it('keeps the writes when the store refuses them, so that commit can be retried', async () => {
    const store = new MemoryKeyValueStore();
    const write = store.write.bind(store);
    let fail = true;
    store.write = async (writes, checkpoint) => {
      if (fail) throw new Error('disk full');
      return write(writes, checkpoint);
    };
    const tx = new TransactionalStore(store);
    tx.put('a', b('1'));
    await expect(tx.commit(3n)).rejects.toThrow('disk full');
    expect(tx.pendingCount).toBe(1);
    fail = false;
    await tx.commit(3n);
    expect(text(await store.get('a'))).toBe('1');
    expect(await store.checkpoint()).toBe(3n);
  });

  it('refuses writes, commit and abort while a commit is being applied', async () => {
    const store = new MemoryKeyValueStore();
    const write = store.write.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.write = async (writes, checkpoint) => {
      await gate;
      return write(writes, checkpoint);
    };
    const tx = new TransactionalStore(store);
    tx.put('a', b('1'));
    const committing = tx.commit(1n);
    expect(() => tx.put('b', b('2'))).toThrow(expect.objectContaining({ code: 'COMMIT_IN_PROGRESS' }));
    expect(() => tx.delete('a')).toThrow(expect.objectContaining({ code: 'COMMIT_IN_PROGRESS' }));
    expect(() => tx.abort()).toThrow(expect.objectContaining({ code: 'COMMIT_IN_PROGRESS' }));
    await expect(tx.commit(2n)).rejects.toMatchObject({ code: 'COMMIT_IN_PROGRESS' });
    // Reads still see the writes being applied.
    expect(text(await tx.get('a'))).toBe('1');
    release();
    await committing;
    tx.put('b', b('2'));
    expect(await store.checkpoint()).toBe(1n);
  });

  it('refuses keys that are not well-formed Unicode', async () => {
    const tx = new TransactionalStore(new MemoryKeyValueStore());
    expect(() => tx.put('\uD800', b('x'))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => tx.delete('\uDC00')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    await expect(tx.get('\uD800')).rejects.toMatchObject({ code: 'INVALID_KEY' });
  });

  it('merges ranges exactly as the committed result would read, for random writes and bounds', async () => {
    let state = 42;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((state / 2 ** 31) * n);
    };
    const alphabet = ['a', 'b', 'c', 'd', 'é', '😀'];
    const key = () =>
      alphabet[random(alphabet.length)]! + (random(2) ? alphabet[random(alphabet.length)]! : '');
    for (let round = 0; round < 200; round++) {
      const initial: Record<string, string> = {};
      for (let i = random(12); i > 0; i--) initial[key()] = `s${i}`;
      const store = await storeWith(initial);
      const oracle = await storeWith(initial);
      const tx = new TransactionalStore(store);
      for (let i = random(12); i > 0; i--) {
        const k = key();
        if (random(3) === 0) {
          tx.delete(k);
          await oracle.write([{ key: k, value: null }]);
        } else {
          tx.put(k, b(`p${i}`));
          await oracle.write([{ key: k, value: b(`p${i}`) }]);
        }
      }
      const options: RangeOptions = {};
      if (random(2)) options[random(2) ? 'gte' : 'gt'] = key();
      if (random(2)) options[random(2) ? 'lte' : 'lt'] = key();
      if (random(2)) options.limit = random(5);
      if (random(2)) options.reverse = true;
      expect(await collect(tx.range(options)), JSON.stringify({ initial, options })).toEqual(
        await collect(oracle.range(options)),
      );
    }
  });

  it('stops reading the store once the limit is reached', async () => {
    const store = await storeWith({ a: '1', b: '2', c: '3', d: '4' });
    let read = 0;
    const range = store.range.bind(store);
    (store as KeyValueStore).range = (options) => {
      const inner = range(options);
      return (async function* () {
        for await (const entry of inner) {
          read++;
          yield entry;
        }
      })();
    };
    const tx = new TransactionalStore(store);
    tx.delete('a');
    expect(await collect(tx.range({ limit: 2 }))).toEqual([
      ['b', '2'],
      ['c', '3'],
    ]);
    expect(read).toBe(3);
  });
});
