import type { RangeOptions } from './keyValueStore.js';
import { StateError } from './stateError.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws INVALID_KEY unless `key` is a string with a UTF-8 form (no lone surrogates). */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || LONE_SURROGATE.test(key)) {
    throw new StateError('INVALID_KEY', JSON.stringify(key));
  }
}

/**
 * Orders keys by code point, the order of their UTF-8 bytes and so LevelDB's. JavaScript's `<`
 * compares UTF-16 code units, which puts U+10000 and above (surrogate pairs, 0xD800-0xDFFF)
 * before U+E000-U+FFFF; shifting the two blocks fixes that.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number) =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

export interface Bound {
  readonly key: string;
  readonly inclusive: boolean;
}

/** Range options reduced to at most one bound per side, checked. */
export interface KeyRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
  /** Infinity when unlimited. */
  readonly limit: number;
  readonly reverse: boolean;
}

export function keyRange(options: RangeOptions = {}): KeyRange {
  for (const bound of [options.gte, options.gt, options.lte, options.lt]) {
    if (bound !== undefined) checkKey(bound);
  }
  const limit = options.limit ?? Infinity;
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw new StateError('INVALID_RANGE', `limit ${String(limit)}`);
  }
  return {
    lower: tighter(options.gte, options.gt, (inclusive, exclusive) => compareKeys(exclusive, inclusive) >= 0),
    upper: tighter(options.lte, options.lt, (inclusive, exclusive) => compareKeys(exclusive, inclusive) <= 0),
    limit,
    reverse: options.reverse ?? false,
  };
}

function tighter(
  inclusive: string | undefined,
  exclusive: string | undefined,
  exclusiveWins: (inclusive: string, exclusive: string) => boolean,
): Bound | undefined {
  if (exclusive !== undefined && (inclusive === undefined || exclusiveWins(inclusive, exclusive))) {
    return { key: exclusive, inclusive: false };
  }
  return inclusive === undefined ? undefined : { key: inclusive, inclusive: true };
}

export function inRange(key: string, range: KeyRange): boolean {
  const { lower, upper } = range;
  if (lower) {
    const c = compareKeys(key, lower.key);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper) {
    const c = compareKeys(key, upper.key);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}

/** Throws INVALID_CHECKPOINT unless `checkpoint` is a non-negative bigint. */
export function checkCheckpoint(checkpoint: bigint): void {
  if (typeof checkpoint !== 'bigint' || checkpoint < 0n) {
    throw new StateError('INVALID_CHECKPOINT', String(checkpoint));
  }
}
