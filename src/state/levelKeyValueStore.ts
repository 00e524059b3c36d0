import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { checkCheckpoint, checkKey, keyRange } from './keyOrder.js';
import type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';
import {
  ALL_DATA,
  CHECKPOINT_KEY,
  dataKey,
  decodeDecimal,
  encodeDecimal,
  FORMAT_KEY,
  FORMAT_VERSION,
  levelBounds,
  userKey,
} from './levelLayout.js';
import { StateError } from './stateError.js';

type Db = ClassicLevel<string, Buffer>;
type Operation = { type: 'put'; key: string; value: Buffer } | { type: 'del'; key: string };

/** Kafka's topic name characters, which are also safe as a directory name. */
const STORE_NAME = /^[A-Za-z0-9._-]+$/;

/** A KeyValueStore in a LevelDB database (classic-level); see levelLayout.ts for what it stores. */
export class LevelKeyValueStore implements KeyValueStore {
  private closed = false;

  private constructor(
    readonly name: string,
    readonly location: string,
    private readonly db: Db,
  ) {}

  /**
   * Opens (creating it if missing) the store `name` in the directory `dir`; its database is the
   * subdirectory `dir/name`, so one task directory holds all of a task's stores.
   */
  static async open(dir: string, name: string): Promise<LevelKeyValueStore> {
    if (!STORE_NAME.test(name) || name === '.' || name === '..') {
      throw new StateError('INVALID_STORE_NAME', JSON.stringify(name));
    }
    const location = path.join(dir, name);
    fs.mkdirSync(location, { recursive: true });
    const db: Db = new ClassicLevel<string, Buffer>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'buffer',
    });
    await db.open();
    try {
      await checkFormat(db, location);
    } catch (err) {
      await db.close();
      throw err;
    }
    return new LevelKeyValueStore(name, location, db);
  }

  async get(key: string): Promise<Buffer | undefined> {
    this.checkOpen();
    checkKey(key);
    // Synchronous: one key is a fast lookup (block cache, memtable), cheaper than a round trip
    // through the thread pool and a promise.
    return this.db.getSync(dataKey(key));
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    this.checkOpen();
    keys.forEach(checkKey);
    if (keys.length === 0) return [];
    return this.db.getMany(keys.map(dataKey));
  }

  async write(writes: readonly StoreWrite[], checkpoint?: bigint): Promise<void> {
    this.checkOpen();
    const ops: Operation[] = writes.map(({ key, value }) => {
      checkKey(key);
      return value === null ? { type: 'del', key: dataKey(key) } : { type: 'put', key: dataKey(key), value };
    });
    if (checkpoint !== undefined) {
      checkCheckpoint(checkpoint);
      ops.push({ type: 'put', key: CHECKPOINT_KEY, value: encodeDecimal(checkpoint) });
    }
    if (ops.length > 0) await this.db.batch(ops);
  }

  async *range(options?: RangeOptions): AsyncGenerator<[string, Buffer]> {
    this.checkOpen();
    const range = keyRange(options);
    if (range.limit === 0) return;
    const iterator = this.db.iterator({
      ...levelBounds(range),
      reverse: range.reverse,
      limit: range.limit === Infinity ? -1 : range.limit,
    });
    try {
      for await (const [key, value] of iterator) yield [userKey(key), value];
    } finally {
      await iterator.close();
    }
  }

  async checkpoint(): Promise<bigint | undefined> {
    this.checkOpen();
    const bytes = await this.db.get(CHECKPOINT_KEY);
    if (bytes === undefined) return undefined;
    const offset = decodeDecimal(bytes);
    if (offset === undefined) throw new StateError('UNSUPPORTED_FORMAT', `${this.location}: bad checkpoint`);
    return offset;
  }

  async clear(): Promise<void> {
    this.checkOpen();
    // The checkpoint goes first: a crash halfway leaves data without a checkpoint, which a
    // restore treats as "start over" and clears again.
    await this.db.del(CHECKPOINT_KEY);
    await this.db.clear(ALL_DATA);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new StateError('CLOSED', `store ${this.name}`);
  }
}

/** Marks a new database with the format version; refuses a database of another version or none. */
async function checkFormat(db: Db, location: string): Promise<void> {
  const marker = await db.get(FORMAT_KEY);
  if (marker === undefined) {
    for await (const _ of db.keys({ limit: 1 })) {
      throw new StateError('UNSUPPORTED_FORMAT', `${location} holds data but no format version`);
    }
    await db.put(FORMAT_KEY, encodeDecimal(BigInt(FORMAT_VERSION)));
    return;
  }
  const version = decodeDecimal(marker);
  if (version !== BigInt(FORMAT_VERSION)) {
    throw new StateError(
      'UNSUPPORTED_FORMAT',
      `${location} has format version ${marker.toString('ascii')}, this version reads ${FORMAT_VERSION}`,
    );
  }
}
