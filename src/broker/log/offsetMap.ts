import { createHash } from 'node:crypto';

/**
 * Key → offset of the latest record with that key in the dirty part of a log, built by the log
 * cleaner before it rewrites segments. As Kafka's SkimpyOffsetMap, long keys are stored as their
 * MD5 digest (16 bytes) so that memory per entry is bounded; keys of up to 16 bytes are stored as
 * they are, so the common short keys cost no hashing. A digest collision (odds below 10^-20 even
 * for a billion keys) would drop a record whose key only shares the digest; Kafka accepts the same.
 */

const INLINE_KEY_BYTES = 16;

function mapKey(key: Buffer): string {
  if (key.length <= INLINE_KEY_BYTES) return `k${key.toString('latin1')}`;
  return `h${createHash('md5').update(key).digest().toString('latin1')}`;
}

export class OffsetMap {
  private readonly latest = new Map<string, bigint>();

  /** Records `offset` for `key`; offsets arrive in log order, so the last one put wins. */
  put(key: Buffer, offset: bigint): void {
    this.latest.set(mapKey(key), offset);
  }

  /** The offset of the latest record with `key`, or undefined when the dirty part lacks the key. */
  get(key: Buffer): bigint | undefined {
    return this.latest.get(mapKey(key));
  }

  get size(): number {
    return this.latest.size;
  }
}
