import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { type BatchHeader, isTransactional } from '../protocol/recordBatch.js';
import type { AbortedTransaction } from './abortedTransaction.js';

/**
 * What a partition knows of each producer that wrote to it, as Kafka's ProducerStateManager and
 * ProducerAppendInfo: the epoch, the last five batches (to answer a retried batch with its
 * original offsets), and the first offset of the producer's open transaction. From the open
 * transactions comes the last stable offset; from the aborted ones the index that read_committed
 * fetches send along.
 *
 * Sequence rules for a batch with a producer id (KIP-98):
 * - lower epoch than known: INVALID_PRODUCER_EPOCH (47);
 * - same epoch and the same sequence range as one of the last five batches: a duplicate, answered
 *   with that batch's offsets and not appended (never DUPLICATE_SEQUENCE_NUMBER: KafkaJS treats
 *   46 as fatal);
 * - a new epoch must start at sequence 0, and the same epoch must continue at last + 1 (wrapping
 *   after INT32_MAX), otherwise OUT_OF_ORDER_SEQUENCE_NUMBER (45);
 * - a producer the partition has never seen is accepted as it comes.
 */

const RETAINED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMetadata[];
  /** First offset of the open transaction on this partition, or null. */
  txnFirstOffset: bigint | null;
  /** Wall-clock time of the last write, for expiring idle producers. */
  lastWrite: number;
}

/** Sequence after `lastSeq` + `delta`, wrapping past INT32_MAX to 0 as Kafka does. */
export function addSequence(seq: number, delta: number): number {
  return seq > INT32_MAX - delta ? delta - (INT32_MAX - seq) - 1 : seq + delta;
}

export interface ProducerStateSnapshot {
  formatVersion: number;
  /** The log end offset the snapshot describes: replay the log from here. */
  offset: string;
  producers: {
    producerId: string;
    epoch: number;
    batches: { firstSeq: number; lastSeq: number; baseOffset: string; lastOffset: string }[];
    txnFirstOffset: string | null;
    lastWrite: number;
  }[];
  aborted: { producerId: string; firstOffset: string; lastOffset: string }[];
}

export const PRODUCER_SNAPSHOT_FORMAT_VERSION = 1;

export class ProducerState {
  private readonly producers = new Map<bigint, ProducerEntry>();
  /** Aborted transactions in the order their markers were written (increasing last offset). */
  private aborted: AbortedTransaction[] = [];

  /**
   * Checks a batch about to be appended. Returns the earlier append when it is a retry of one of
   * the last batches; throws the KafkaError to answer when it is out of sequence or fenced.
   */
  check(header: BatchHeader): BatchMetadata | undefined {
    if (header.producerId < 0n) return undefined;
    const entry = this.producers.get(header.producerId);
    if (!entry) return undefined;
    const firstSeq = header.baseSequence;
    if (header.producerEpoch < entry.epoch) {
      throw new KafkaError(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `producer ${header.producerId} epoch ${header.producerEpoch} is older than ${entry.epoch}`,
      );
    }
    if (header.producerEpoch > entry.epoch || entry.batches.length === 0) {
      if (firstSeq !== 0) {
        throw new KafkaError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `producer ${header.producerId} epoch ${header.producerEpoch} must start at sequence 0, not ${firstSeq}`,
        );
      }
      return undefined;
    }
    const lastSeq = addSequence(firstSeq, header.lastOffsetDelta);
    const duplicate = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (duplicate) return duplicate;
    const expected = addSequence(entry.batches.at(-1)!.lastSeq, 1);
    if (firstSeq !== expected) {
      throw new KafkaError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `producer ${header.producerId}: sequence ${firstSeq}, expected ${expected}`,
      );
    }
    return undefined;
  }

  /** Records a data batch written at [baseOffset, lastOffset]. */
  onAppend(header: BatchHeader, baseOffset: bigint, lastOffset: bigint, now = Date.now()): void {
    if (header.producerId < 0n) return;
    const entry = this.entry(header.producerId, header.producerEpoch);
    entry.lastWrite = now;
    if (header.baseSequence >= 0) {
      entry.batches.push({
        firstSeq: header.baseSequence,
        lastSeq: addSequence(header.baseSequence, header.lastOffsetDelta),
        baseOffset,
        lastOffset,
      });
      if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    }
    if (isTransactional(header.attributes) && entry.txnFirstOffset === null)
      entry.txnFirstOffset = baseOffset;
  }

  /**
   * Records a transaction marker written at `offset`. A marker with a newer epoch (a fenced or
   * timed-out producer) moves the producer to it, so its zombie's next batch is refused.
   */
  onMarker(producerId: bigint, epoch: number, commit: boolean, offset: bigint, now = Date.now()): void {
    const entry = this.entry(producerId, epoch);
    entry.lastWrite = now;
    if (entry.txnFirstOffset !== null && !commit) {
      this.aborted.push({ producerId, firstOffset: entry.txnFirstOffset, lastOffset: offset });
    }
    entry.txnFirstOffset = null;
  }

  private entry(producerId: bigint, epoch: number): ProducerEntry {
    let entry = this.producers.get(producerId);
    if (!entry) {
      entry = { epoch, batches: [], txnFirstOffset: null, lastWrite: 0 };
      this.producers.set(producerId, entry);
    } else if (epoch > entry.epoch) {
      // A new epoch starts its sequences afresh.
      entry.epoch = epoch;
      entry.batches = [];
    }
    return entry;
  }

  hasOpenTransaction(producerId: bigint): boolean {
    return (this.producers.get(producerId)?.txnFirstOffset ?? null) !== null;
  }

  /** The lowest first offset of any open transaction: where read_committed must stop. */
  firstUnstableOffset(): bigint | undefined {
    let lowest: bigint | undefined;
    for (const entry of this.producers.values()) {
      if (entry.txnFirstOffset !== null && (lowest === undefined || entry.txnFirstOffset < lowest)) {
        lowest = entry.txnFirstOffset;
      }
    }
    return lowest;
  }

  /**
   * Aborted transactions overlapping [from, to): last offset at or after `from`, first offset
   * before `to`, in the order they were aborted, as Kafka lists them (TransactionIndex.java is
   * appended to as ABORT markers are written, and read in that order). Interleaved transactions
   * are then not in first-offset order; consumers sort them (KafkaJS once did not: src/kafka).
   */
  abortedTransactions(from = 0n, to?: bigint): AbortedTransaction[] {
    return this.aborted.filter((t) => t.lastOffset >= from && (to === undefined || t.firstOffset < to));
  }

  /** Forgets aborted transactions that ended before `offset` (the log start, or cleaned data). */
  truncateBelow(logStartOffset: bigint): void {
    this.aborted = this.aborted.filter((t) => t.lastOffset >= logStartOffset);
  }

  /** Forgets producers idle longer than `maxIdleMs` with no open transaction. */
  expire(now: number, maxIdleMs: number): void {
    for (const [producerId, entry] of this.producers) {
      if (entry.txnFirstOffset === null && now - entry.lastWrite > maxIdleMs)
        this.producers.delete(producerId);
    }
  }

  snapshot(offset: bigint): ProducerStateSnapshot {
    return {
      formatVersion: PRODUCER_SNAPSHOT_FORMAT_VERSION,
      offset: offset.toString(),
      producers: [...this.producers].map(([producerId, e]) => ({
        producerId: producerId.toString(),
        epoch: e.epoch,
        batches: e.batches.map((b) => ({
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          baseOffset: b.baseOffset.toString(),
          lastOffset: b.lastOffset.toString(),
        })),
        txnFirstOffset: e.txnFirstOffset?.toString() ?? null,
        lastWrite: e.lastWrite,
      })),
      aborted: this.aborted.map((t) => ({
        producerId: t.producerId.toString(),
        firstOffset: t.firstOffset.toString(),
        lastOffset: t.lastOffset.toString(),
      })),
    };
  }

  static fromSnapshot(snapshot: ProducerStateSnapshot): ProducerState {
    const state = new ProducerState();
    for (const p of snapshot.producers) {
      state.producers.set(BigInt(p.producerId), {
        epoch: p.epoch,
        batches: p.batches.map((b) => ({
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          baseOffset: BigInt(b.baseOffset),
          lastOffset: BigInt(b.lastOffset),
        })),
        txnFirstOffset: p.txnFirstOffset === null ? null : BigInt(p.txnFirstOffset),
        lastWrite: p.lastWrite,
      });
    }
    state.aborted = snapshot.aborted.map((t) => ({
      producerId: BigInt(t.producerId),
      firstOffset: BigInt(t.firstOffset),
      lastOffset: BigInt(t.lastOffset),
    }));
    return state;
  }
}
