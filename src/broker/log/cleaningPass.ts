import { type BatchHeader, isControl, isTransactional } from '../protocol/recordBatch.js';
import type { AbortedTransaction } from './abortedTransaction.js';
import type { CleanerMemory } from './cleanerMemory.js';
import type { OffsetMap } from './offsetMap.js';
import { rebuildBatch } from './rebuildBatch.js';
import { type RecordSlice, readRecordSlices } from './recordSlices.js';

/**
 * The retention rules of one cleaning pass over a partition, applied batch by batch in offset
 * order from the log start (LogCleaner.scala's cleanInto and its transaction bookkeeping):
 *
 * - A keyed record stays only if the offset map holds no later offset for its key. Records
 *   without a key cannot be produced to a compacted topic; any found are removed, as Kafka does.
 * - A tombstone that is the latest for its key stays until delete.retention.ms after the first
 *   completed pass that covered it (CleanerMemory).
 * - Batches of aborted transactions (transactional, not control, within an aborted transaction of
 *   their producer) are removed whole.
 * - A transaction marker stays while any data of its transaction is left, and for
 *   delete.retention.ms after a pass first found none. An ABORT marker also stays while the
 *   partition still lists its aborted transaction: read_committed consumers skip that producer's
 *   batches from the transaction's first offset until they meet the marker, so dropping the marker
 *   first would hide the producer's later, committed data.
 * - Batches whose codec Node cannot read (snappy, lz4, zstd) are kept whole and never rewritten.
 * - Batches wholly below the log start are unreadable and go.
 *
 * Emptied batches are dropped. Kafka keeps the last batch of each producer to retain its sequence
 * numbers; here producer state lives outside the log, so nothing needs it.
 */

export interface BatchOutcome {
  /** The batch to write: the original, a rebuilt one, or null when it goes. */
  readonly batch: Buffer | null;
  readonly removedRecords: number;
}

export interface CleaningPassOptions {
  readonly map: OffsetMap;
  readonly memory: CleanerMemory;
  readonly abortedTransactions: readonly AbortedTransaction[];
  readonly logStartOffset: bigint;
  readonly deleteRetentionMs: number;
  readonly now: number;
}

export class CleaningPass {
  /** Producer id → whether the transaction it has open (in log order) still has data. */
  private readonly openTransactionData = new Map<bigint, boolean>();
  /** Marker offset → since when its transaction has had no data, for the markers kept. */
  readonly markersWithoutData = new Map<bigint, number>();
  private readonly abortedByProducer = new Map<bigint, AbortedTransaction[]>();
  private readonly listedAbortMarkers = new Set<bigint>();

  constructor(private readonly options: CleaningPassOptions) {
    for (const txn of options.abortedTransactions) {
      const list = this.abortedByProducer.get(txn.producerId) ?? [];
      list.push(txn);
      this.abortedByProducer.set(txn.producerId, list);
      this.listedAbortMarkers.add(txn.lastOffset);
    }
  }

  /** Whether the batch belongs to an aborted transaction of its producer. */
  isAborted(header: BatchHeader): boolean {
    if (!isTransactional(header.attributes) || isControl(header.attributes)) return false;
    const list = this.abortedByProducer.get(header.producerId);
    return (
      list?.some((txn) => txn.firstOffset <= header.baseOffset && header.baseOffset < txn.lastOffset) ?? false
    );
  }

  async clean(batch: Buffer, header: BatchHeader): Promise<BatchOutcome> {
    const keep = { batch, removedRecords: 0 };
    const drop = { batch: null, removedRecords: header.recordCount };
    const { logStartOffset, now } = this.options;
    if (header.baseOffset + BigInt(header.lastOffsetDelta) < logStartOffset) return drop;
    if (isControl(header.attributes)) return this.keepMarker(header) ? keep : drop;
    if (this.isAborted(header)) return drop;
    const transactional = isTransactional(header.attributes);
    const records = await readRecordSlices(batch);
    if (!records) {
      if (transactional) this.openTransactionData.set(header.producerId, true);
      return keep;
    }
    const kept = records.filter((r) => this.keepRecord(header.baseOffset + BigInt(r.offsetDelta), r, now));
    if (transactional && kept.length > 0) this.openTransactionData.set(header.producerId, true);
    if (kept.length === records.length) return keep;
    if (kept.length === 0) return drop;
    return { batch: await rebuildBatch(batch, kept), removedRecords: records.length - kept.length };
  }

  private keepRecord(offset: bigint, record: RecordSlice, now: number): boolean {
    if (record.key === null) return false;
    const latest = this.options.map.get(record.key);
    if (latest !== undefined && latest > offset) return false;
    if (!record.tombstone) return true;
    return !this.options.memory.tombstoneExpired(offset, now, this.options.deleteRetentionMs);
  }

  private keepMarker(header: BatchHeader): boolean {
    const { producerId, baseOffset: offset } = header;
    const hasData = this.openTransactionData.get(producerId) ?? false;
    this.openTransactionData.delete(producerId);
    if (hasData) return true;
    const { memory, now, deleteRetentionMs } = this.options;
    const since = memory.markerDataGoneSince(offset);
    if (since !== undefined && now - since >= deleteRetentionMs && !this.listedAbortMarkers.has(offset)) {
      return false;
    }
    this.markersWithoutData.set(offset, since ?? now);
    return true;
  }
}
