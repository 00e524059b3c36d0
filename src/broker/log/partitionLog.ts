import * as fs from 'node:fs';
import type { Logger } from 'pino';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { encodeControlBatch } from '../protocol/controlBatch.js';
import {
  Attributes,
  BatchLayout,
  type BatchHeader,
  readBatchHeader,
  rewriteCrc,
} from '../protocol/recordBatch.js';
import type { AbortedTransaction } from './abortedTransaction.js';
import { offsetForTimestamp } from './offsetForTimestamp.js';
import { openSegments } from './openSegments.js';
import { readPartitionState, writePartitionState } from './partitionState.js';
import { ProducerState } from './producerState.js';
import { loadProducerState, saveProducerState } from './producerStateFile.js';
import { Segment } from './segment.js';
import { recoverCleanerFiles, swapInCleaned } from './segmentSwap.js';
import type { TopicConfig } from './topicConfig.js';

/**
 * A partition's log: an ordered list of segments, the last one active. It assigns offsets,
 * appends batches, serves reads of whole batches, finds offsets by timestamp, moves the log start
 * (DeleteRecords, retention) and rolls segments by size and time. On a single node the high
 * watermark is the log end offset.
 */

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** The time the broker stamped, or -1 for CreateTime topics. */
  logAppendTime: number;
  /** A retried batch already in the log: nothing was appended, the offsets are the original ones. */
  duplicate: boolean;
}

export class PartitionLog {
  private readonly segments: Segment[] = [];
  private _logStartOffset = 0n;
  private producers = new ProducerState();
  private readonly listeners = new Set<() => void>();
  private lastFlush = Date.now();
  private closed = false;
  private _cleanerCheckpoint: bigint | undefined;

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    private config: TopicConfig,
    private readonly logger: Logger,
  ) {}

  /** Opens (recovering if needed) or creates the log in `dir`. */
  static open(
    dir: string,
    topic: string,
    partition: number,
    config: TopicConfig,
    logger: Logger,
  ): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(dir, topic, partition, config, logger.child({ topic, partition }));
    recoverCleanerFiles(dir, log.logger);
    log.load();
    return log;
  }

  private load(): void {
    this.segments.push(...openSegments(this.dir, this.config.indexIntervalBytes, this.logger));
    const state = readPartitionState(this.dir);
    this._cleanerCheckpoint = state?.cleanerCheckpoint;
    const persisted = state?.logStartOffset ?? 0n;
    const first = this.segments[0]!.baseOffset;
    this._logStartOffset = persisted > first ? persisted : first;
    if (this._logStartOffset > this.logEndOffset) this._logStartOffset = this.logEndOffset;
    this.loadProducerState();
  }

  private loadProducerState(): void {
    const { state, replayed } = loadProducerState(
      this.dir,
      this.segments,
      this._logStartOffset,
      this.logEndOffset,
    );
    this.producers = state;
    if (replayed > 0) this.logger.debug({ replayed }, 'rebuilt producer state');
  }

  private saveProducerState(): void {
    saveProducerState(this.dir, this.producers, this.logEndOffset);
  }

  private get active(): Segment {
    return this.segments.at(-1)!;
  }

  get logStartOffset(): bigint {
    return this._logStartOffset;
  }

  get logEndOffset(): bigint {
    return this.active.nextOffset;
  }

  get highWatermark(): bigint {
    return this.logEndOffset;
  }

  /**
   * The last stable offset: read_committed consumers read below it. It is the first offset of the
   * oldest open transaction, or the high watermark when none is open.
   */
  get lastStableOffset(): bigint {
    return this.producers.firstUnstableOffset() ?? this.highWatermark;
  }

  /**
   * Aborted transactions overlapping [from, to) (default: all since the log start), ordered by
   * first offset.
   */
  abortedTransactions(from?: bigint, to?: bigint): readonly AbortedTransaction[] {
    return this.producers.abortedTransactions(from, to);
  }

  /**
   * Forgets aborted transactions that ended before `offset`: the log cleaner calls this once it
   * has removed their data, so read_committed readers no longer need them (and their markers can
   * go in a later pass).
   */
  forgetAbortedTransactionsBefore(offset: bigint): void {
    this.producers.truncateBelow(offset);
  }

  /** Whether the producer has an open transaction on this partition. */
  hasOpenTransaction(producerId: bigint): boolean {
    return this.producers.hasOpenTransaction(producerId);
  }

  get sizeInBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  updateConfig(config: TopicConfig): void {
    this.config = config;
  }

  /** Calls `listener` after every append (long-polling fetches wait on it). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends a validated batch: assigns its offsets, applies the timestamp policy, writes it.
   * `batch` is modified in place (base offset, and max timestamp for LogAppendTime topics).
   */
  append(batch: Buffer, header: BatchHeader, now = Date.now()): AppendResult {
    if (this.closed) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'partition is closed');
    if (batch.length > this.config.maxMessageBytes) {
      throw new KafkaError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `batch of ${batch.length} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`,
      );
    }
    const duplicate = this.producers.check(header);
    if (duplicate) {
      return {
        baseOffset: duplicate.baseOffset,
        lastOffset: duplicate.lastOffset,
        logAppendTime: -1,
        duplicate: true,
      };
    }
    let logAppendTime = -1;
    if (this.config.logAppendTime) {
      logAppendTime = now;
      batch.writeInt16BE(header.attributes | Attributes.LOG_APPEND_TIME, BatchLayout.ATTRIBUTES);
      batch.writeBigInt64BE(BigInt(now), BatchLayout.MAX_TIMESTAMP);
      rewriteCrc(batch);
      header = { ...header, maxTimestamp: now };
    } else {
      this.checkTimestamp(header, now);
    }
    const baseOffset = this.logEndOffset;
    batch.writeBigInt64BE(baseOffset, BatchLayout.BASE_OFFSET);
    batch.writeInt32BE(0, BatchLayout.LEADER_EPOCH);
    header = { ...header, baseOffset };
    const lastOffset = baseOffset + BigInt(header.lastOffsetDelta);
    this.write(batch, header, now);
    this.producers.onAppend(header, baseOffset, lastOffset, now);
    for (const listener of this.listeners) listener();
    return { baseOffset, lastOffset, logAppendTime, duplicate: false };
  }

  private write(batch: Buffer, header: BatchHeader, now: number): void {
    this.maybeRoll(batch.length, header, now);
    this.active.append(batch, header, this.config.indexIntervalBytes);
    if (this.active.unflushedMessages >= this.config.flushMessages) this.flush();
  }

  /**
   * Appends a transaction marker (COMMIT or ABORT) for the producer: its open transaction here
   * ends, the last stable offset moves, and an abort enters the aborted-transaction index.
   */
  appendMarker(
    producerId: bigint,
    producerEpoch: number,
    commit: boolean,
    coordinatorEpoch = 0,
    now = Date.now(),
  ): bigint {
    if (this.closed) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'partition is closed');
    const batch = encodeControlBatch(producerId, producerEpoch, commit, coordinatorEpoch, now);
    const offset = this.logEndOffset;
    batch.writeBigInt64BE(offset, BatchLayout.BASE_OFFSET);
    this.write(batch, readBatchHeader(batch), now);
    this.producers.onMarker(producerId, producerEpoch, commit, offset, now);
    for (const listener of this.listeners) listener();
    return offset;
  }

  private checkTimestamp(header: BatchHeader, now: number): void {
    const { timestampBeforeMaxMs: before, timestampAfterMaxMs: after } = this.config;
    if (header.maxTimestamp < 0) return;
    if (now - header.maxTimestamp > before || header.maxTimestamp - now > after) {
      throw new KafkaError(
        ErrorCode.INVALID_TIMESTAMP,
        `timestamp ${header.maxTimestamp} is out of range of the broker's clock (${now})`,
      );
    }
  }

  private maybeRoll(incoming: number, header: BatchHeader, now: number): void {
    const active = this.active;
    if (active.isEmpty) return;
    const full = active.size + incoming > this.config.segmentBytes;
    const old = active.firstBatchTimestamp >= 0 && now - active.firstBatchTimestamp >= this.config.segmentMs;
    // Offsets inside a segment are stored relative to its base as int32.
    const overflow = header.baseOffset + BigInt(header.lastOffsetDelta) - active.baseOffset > 0x7fffffffn;
    if (full || old || overflow) this.roll();
  }

  /** Closes the active segment and starts a new one at the log end offset. */
  roll(): void {
    const active = this.active;
    if (active.isEmpty) return;
    active.saveIndex();
    this.segments.push(Segment.create(this.dir, this.logEndOffset));
    this.saveProducerState();
    this.logger.debug({ baseOffset: this.logEndOffset.toString() }, 'rolled a new segment');
  }

  /**
   * Reads whole batches starting with the one that holds `offset`, up to `maxBytes` (at least one
   * batch when `atLeastOne`), never reaching `limitOffset` (the high watermark, or the last stable
   * offset for read_committed).
   */
  read(offset: bigint, maxBytes: number, limitOffset: bigint, atLeastOne: boolean): Buffer {
    if (offset < this._logStartOffset || offset > this.logEndOffset) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside [${this._logStartOffset}, ${this.logEndOffset}]`,
      );
    }
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const at = segment.locate(offset);
      if (at) return segment.read(at.position, maxBytes, limitOffset, atLeastOne);
    }
    return Buffer.alloc(0);
  }

  private segmentIndexFor(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * The first offset whose record timestamp is at or after `timestamp`, with that timestamp; or
   * undefined when every record is older.
   */
  offsetForTimestamp(timestamp: number): Promise<{ offset: bigint; timestamp: number } | undefined> {
    return offsetForTimestamp(
      () => this.segments,
      () => this._logStartOffset,
      timestamp,
    );
  }

  /** Moves the log start forward (DeleteRecords); whole segments below it are removed. */
  deleteRecordsBefore(offset: bigint): bigint {
    const target = offset === -1n ? this.highWatermark : offset;
    if (target < 0n || target > this.highWatermark) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `cannot delete before ${target}: the high watermark is ${this.highWatermark}`,
      );
    }
    if (target > this._logStartOffset) {
      this._logStartOffset = target;
      this.saveState();
      this.removeSegmentsBelowStart();
    }
    return this._logStartOffset;
  }

  private removeSegmentsBelowStart(): void {
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= this._logStartOffset) {
      this.segments.shift()!.remove();
    }
    // The active segment is wholly below the start only when the log is empty from there on.
    if (
      this.segments.length === 1 &&
      this.active.nextOffset <= this._logStartOffset &&
      !this.active.isEmpty
    ) {
      this.segments.push(Segment.create(this.dir, this.logEndOffset));
      this.segments.shift()!.remove();
    }
  }

  /**
   * Deletes the oldest segments beyond retention.ms or retention.bytes (delete policy only). The
   * active segment is rolled first when it is itself expired, so an idle topic still empties.
   */
  applyRetention(now = Date.now()): number {
    if (!this.config.delete) return 0;
    const { retentionMs, retentionBytes } = this.config;
    let removed = 0;
    let total = this.sizeInBytes;
    const expired = (s: Segment) =>
      retentionMs >= 0 && s.maxTimestamp >= 0 && now - s.maxTimestamp > retentionMs;
    const oversized = (s: Segment) => retentionBytes >= 0 && total - s.size >= retentionBytes;
    for (;;) {
      const oldest = this.segments[0]!;
      // A closed segment the log cleaner left empty holds nothing to retain.
      const emptyClosed = oldest.isEmpty && this.segments.length > 1;
      if (!emptyClosed && (oldest.isEmpty || !(expired(oldest) || oversized(oldest)))) break;
      if (this.segments.length === 1) this.roll();
      this.segments.shift();
      oldest.remove();
      total -= oldest.size;
      removed++;
    }
    if (removed > 0) {
      const start = this.segments[0]!.baseOffset;
      if (start > this._logStartOffset) {
        this._logStartOffset = start;
        this.saveState();
      }
      this.logger.info(
        { removed, logStartOffset: this._logStartOffset.toString() },
        'retention removed segments',
      );
    }
    return removed;
  }

  /** fsyncs the active segment if flush.ms has passed (called by the broker's flush timer). */
  maybeFlush(now = Date.now()): void {
    if (now - this.lastFlush >= this.config.flushMs) this.flush();
  }

  flush(): void {
    this.active.flush();
    this.lastFlush = Date.now();
  }

  private saveState(): void {
    this.producers.truncateBelow(this._logStartOffset);
    writePartitionState(this.dir, {
      logStartOffset: this._logStartOffset,
      cleanerCheckpoint: this._cleanerCheckpoint,
    });
  }

  checkpoint(): void {
    if (this.closed) return;
    this.active.saveIndex();
    this.saveProducerState();
  }

  /** Saves indexes (so the next start scans nothing) and closes the files. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.saveProducerState();
    for (const segment of this.segments) {
      segment.saveIndex();
      segment.close();
    }
    this.listeners.clear();
  }

  /** Closes and deletes everything (topic deletion). */
  remove(): void {
    this.closed = true;
    for (const segment of this.segments) segment.remove();
    // Wake long-polling fetches so that they answer now (with UNKNOWN_TOPIC_OR_PARTITION).
    for (const listener of this.listeners) listener();
    this.listeners.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // The log cleaner's seam (logCleaner.ts): the segments it may rewrite, its checkpoint, the swap.

  /** Every segment, oldest first. The last is the active one, which the log cleaner never rewrites. */
  segmentList(): readonly Segment[] {
    return this.closed ? [] : [...this.segments];
  }

  /** Whether `run` is still a contiguous run of closed segments here (retention may have removed some). */
  holdsSegments(run: readonly Segment[]): boolean {
    if (this.closed || run.length === 0) return false;
    const at = this.segments.indexOf(run[0]!);
    if (at < 0 || at + run.length >= this.segments.length) return false;
    return run.every((segment, i) => this.segments[at + i] === segment);
  }

  /** The first offset the cleaner has not compacted yet (persisted); undefined before its first pass. */
  get cleanerCheckpoint(): bigint | undefined {
    return this._cleanerCheckpoint;
  }

  setCleanerCheckpoint(offset: bigint): void {
    if (this.closed) return;
    this._cleanerCheckpoint = offset;
    this.saveState();
  }

  /**
   * Swaps in the cleaned file the cleaner wrote for `run`, which ends where a segment based at
   * `end` starts (segmentSwap.ts). Returns false, changing nothing, when the run is no longer here.
   */
  replaceSegments(run: readonly Segment[], end: bigint): boolean {
    if (!this.holdsSegments(run)) return false;
    const at = this.segments.indexOf(run[0]!);
    if (this.segments[at + run.length]!.baseOffset !== end) return false;
    const segment = swapInCleaned(this.dir, run, end, this.config.indexIntervalBytes);
    this.segments.splice(at, run.length, segment);
    return true;
  }
}
