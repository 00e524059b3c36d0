import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir.js';
import { LevelKeyValueStore } from './levelKeyValueStore.js';
import { describeKeyValueStoreContract } from './testing/keyValueStoreContract.js';

describeKeyValueStoreContract(
  'LevelKeyValueStore',
  async () => {
    const dir = tempDir('kes-state-');
    let store = await LevelKeyValueStore.open(dir.path, 'contract');
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await LevelKeyValueStore.open(dir.path, 'contract');
        return store;
      },
      dispose: async () => {
        await store.close();
        dir.remove();
      },
    };
  },
  { persistent: true },
);

describe('LevelKeyValueStore on disk', () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => {
    dir = tempDir('kes-state-');
  });
  afterEach(() => dir.remove());

  it('keeps each store of a directory in a database of its own', async () => {
    const one = await LevelKeyValueStore.open(dir.path, 'orders-aggregates');
    const two = await LevelKeyValueStore.open(dir.path, 'orders.view_v2');
    await one.write([{ key: 'k', value: Buffer.from('1') }], 3n);
    await two.write([{ key: 'k', value: Buffer.from('2') }]);
    expect((await one.get('k'))?.toString()).toBe('1');
    expect((await two.get('k'))?.toString()).toBe('2');
    expect(await two.checkpoint()).toBeUndefined();
    expect(one.location).toBe(path.join(dir.path, 'orders-aggregates'));
    await one.close();
    await two.close();
  });

  it('creates missing parent directories', async () => {
    const store = await LevelKeyValueStore.open(path.join(dir.path, 'app', '0_1'), 'store');
    await store.write([{ key: 'k', value: Buffer.from('v') }]);
    await store.close();
    expect(fs.existsSync(path.join(dir.path, 'app', '0_1', 'store'))).toBe(true);
  });

  it.each(['', '.', '..', 'a/b', 'a\\b', 'näme'])('refuses the store name %j', async (name) => {
    await expect(LevelKeyValueStore.open(dir.path, name)).rejects.toMatchObject({
      code: 'INVALID_STORE_NAME',
    });
  });

  it('marks a new database with its format version', async () => {
    const store = await LevelKeyValueStore.open(dir.path, 's');
    await store.close();
    const db = new ClassicLevel<string, string>(path.join(dir.path, 's'));
    expect(await db.get('m/format')).toBe('1');
    await db.close();
  });

  it('refuses a database of another format version', async () => {
    const db = new ClassicLevel<string, string>(path.join(dir.path, 's'));
    await db.put('m/format', '2');
    await db.close();
    await expect(LevelKeyValueStore.open(dir.path, 's')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
    // The refused database was closed again: a second attempt gets the same answer, not a lock error.
    await expect(LevelKeyValueStore.open(dir.path, 's')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
  });

  it('refuses a database that holds data but no format version', async () => {
    const db = new ClassicLevel<string, string>(path.join(dir.path, 's'));
    await db.put('something', 'else');
    await db.close();
    await expect(LevelKeyValueStore.open(dir.path, 's')).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
  });

  it('cannot be opened twice at once (LevelDB lock)', async () => {
    const store = await LevelKeyValueStore.open(dir.path, 's');
    await expect(LevelKeyValueStore.open(dir.path, 's')).rejects.toThrow();
    await store.close();
    const again = await LevelKeyValueStore.open(dir.path, 's');
    await again.close();
  });
});
