import type { KeyRange } from './keyOrder.js';

/**
 * How a LevelKeyValueStore lays out its LevelDB database (format version 1):
 *
 * - `d/<key>`: the value of user key `<key>`. The fixed prefix keeps the order of user keys.
 * - `m/format`: the format version, as ASCII decimal; a database without it is not a store.
 * - `m/checkpoint`: the changelog offset the data reflects, as ASCII decimal; absent if none.
 *
 * User keys live only under `d/`, so the metadata can never collide with them nor show in a range.
 */
export const FORMAT_VERSION = 1;
export const FORMAT_KEY = 'm/format';
export const CHECKPOINT_KEY = 'm/checkpoint';

const DATA_PREFIX = 'd/';
/** The first key after every `d/` key ('0' follows '/'). */
const DATA_END = 'd0';

export const dataKey = (key: string) => DATA_PREFIX + key;
export const userKey = (stored: string) => stored.slice(DATA_PREFIX.length);

/** Every stored data key. */
export const ALL_DATA = { gte: DATA_PREFIX, lt: DATA_END } as const;

/** LevelDB iterator bounds for a range of user keys. */
export function levelBounds(range: KeyRange): { gte?: string; gt?: string; lte?: string; lt?: string } {
  const { lower, upper } = range;
  return {
    ...(lower ? { [lower.inclusive ? 'gte' : 'gt']: dataKey(lower.key) } : { gte: DATA_PREFIX }),
    ...(upper ? { [upper.inclusive ? 'lte' : 'lt']: dataKey(upper.key) } : { lt: DATA_END }),
  };
}

export const encodeDecimal = (offset: bigint) => Buffer.from(offset.toString(), 'ascii');

/** The number in an `m/` value, or undefined when it is not a non-negative decimal. */
export function decodeDecimal(bytes: Buffer): bigint | undefined {
  const text = bytes.toString('ascii');
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}
