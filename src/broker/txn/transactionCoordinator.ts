import * as path from 'node:path';
import type { Logger } from 'pino';
import type { GroupCoordinator } from '../group/groupCoordinator.js';
import type { LogManager } from '../log/logManager.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { FileJournal } from '../storage/fileJournal.js';
import type { Journal } from '../storage/journal.js';
import {
  type TransactionMetadata,
  type TransactionRecord,
  transactionJournalCodec,
} from './transactionRecord.js';
import { checkTransition, TransactionState } from './transactionState.js';

/**
 * The transaction coordinator (KIP-98; TransactionCoordinator.scala): hands out producer ids and
 * epochs, tracks each transactional id's open transaction (partitions and groups), and ends it by
 * writing COMMIT or ABORT markers to every partition and settling the pending group offsets.
 * Every change is journaled before it is answered; a transaction caught between its Prepare and
 * Complete states by a crash is finished on the next start.
 */

export interface TransactionCoordinatorOptions {
  dataDir: string;
  logs: LogManager;
  groups: GroupCoordinator;
  logger: Logger;
  /** transaction.max.timeout.ms: longer timeouts are refused. Default 900000. */
  maxTimeoutMs?: number;
  /** Tests may keep the journal in memory. */
  journal?: Journal<TransactionRecord>;
}

export interface ProducerIdAndEpoch {
  errorCode: ErrorCode;
  producerId: bigint;
  producerEpoch: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

const MAX_EPOCH = 32767;
const PRODUCER_ID_BLOCK = 1000n;
const COMPACT_MIN_RECORDS = 10_000;

const key = (topic: string, partition: number) => `${topic}:${partition}`;
const parseKey = (k: string): TopicPartition => {
  const at = k.lastIndexOf(':');
  return { topic: k.slice(0, at), partition: Number(k.slice(at + 1)) };
};

export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly journal: Journal<TransactionRecord>;
  private readonly logger: Logger;
  private readonly maxTimeoutMs: number;
  private nextProducerId = 0n;
  private reservedProducerIds = 0n;
  private journalRecords = 0;

  constructor(private readonly options: TransactionCoordinatorOptions) {
    this.logger = options.logger;
    this.maxTimeoutMs = options.maxTimeoutMs ?? 900_000;
    this.journal =
      options.journal ??
      new FileJournal(
        path.join(options.dataDir, 'transactions', 'journal.log'),
        transactionJournalCodec,
        this.logger,
      );
  }

  /** Replays the journal and finishes transactions a crash left between Prepare and Complete. */
  load(): void {
    for (const record of this.journal.replay()) {
      this.journalRecords++;
      if (record.type === 'producerIds') {
        this.reservedProducerIds = record.next;
        this.nextProducerId = record.next;
      } else {
        this.txns.set(record.metadata.transactionalId, record.metadata);
      }
    }
    for (const meta of this.txns.values()) {
      if (meta.state === TransactionState.PrepareCommit || meta.state === TransactionState.PrepareAbort) {
        const commit = meta.state === TransactionState.PrepareCommit;
        this.logger.warn(
          { transactionalId: meta.transactionalId, commit },
          'finishing a transaction interrupted by a crash',
        );
        this.writeMarkers(meta, commit, true);
      }
    }
    const open = [...this.txns.values()].filter((m) => m.state === TransactionState.Ongoing).length;
    this.logger.info({ transactionalIds: this.txns.size, open }, 'loaded transactions');
  }

  /**
   * InitProducerId: a new producer id for an idempotent producer; for a transactional id, the
   * next epoch of its producer id, fencing the previous holder (whose open transaction is aborted
   * with the new epoch, so the zombie's writes and EndTxn are refused with 47).
   */
  initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
    expected: { producerId: bigint; producerEpoch: number },
    version: number,
  ): ProducerIdAndEpoch {
    const failed = (errorCode: ErrorCode) => ({ errorCode, producerId: -1n, producerEpoch: -1 });
    if (transactionalId === null) {
      // As Kafka's TransactionCoordinator: an idempotent producer always gets a new id at epoch 0,
      // whatever id and epoch it names. It bumps its epoch itself when it must reset its
      // sequences (KIP-360), without asking the broker.
      return { errorCode: ErrorCode.NONE, producerId: this.allocateProducerId(), producerEpoch: 0 };
    }
    // Kafka refuses an empty transactional id, as its producer client does.
    if (transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.maxTimeoutMs) return failed(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const now = Date.now();
    let meta = this.txns.get(transactionalId);
    if (!meta) {
      meta = {
        transactionalId,
        producerId: this.allocateProducerId(),
        producerEpoch: 0,
        timeoutMs,
        state: TransactionState.Empty,
        partitions: new Set(),
        groups: new Set(),
        startTime: now,
        lastUpdate: now,
      };
      this.txns.set(transactionalId, meta);
      this.persist(meta);
      return { errorCode: ErrorCode.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
    }
    if (
      expected.producerId >= 0n &&
      (expected.producerId !== meta.producerId || expected.producerEpoch !== meta.producerEpoch)
    ) {
      return failed(version >= 4 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH);
    }
    switch (meta.state) {
      case TransactionState.PrepareCommit:
      case TransactionState.PrepareAbort:
        return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
      case TransactionState.Ongoing:
        // Fence the previous producer: abort its transaction under a newer epoch.
        this.bumpEpoch(meta);
        this.logger.info(
          { transactionalId, epoch: meta.producerEpoch },
          'fenced a producer; aborting its transaction',
        );
        this.writeMarkers(meta, false, false);
        break;
      default:
        this.bumpEpoch(meta);
    }
    this.transition(meta, TransactionState.Empty);
    meta.timeoutMs = timeoutMs;
    this.persist(meta);
    return { errorCode: ErrorCode.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
  }

  /** The error for a request of (producerId, epoch) on a transactional id, or NONE. */
  private check(transactionalId: string, producerId: bigint, producerEpoch: number): ErrorCode {
    const meta = this.txns.get(transactionalId);
    if (!meta || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== meta.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (meta.state === TransactionState.PrepareCommit || meta.state === TransactionState.PrepareAbort) {
      return ErrorCode.CONCURRENT_TRANSACTIONS;
    }
    return ErrorCode.NONE;
  }

  /**
   * AddPartitionsToTxn: an error per partition. Unknown partitions fail with 3 and make the rest
   * fail with OPERATION_NOT_ATTEMPTED (55), as Kafka answers.
   */
  addPartitions(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    partitions: readonly TopicPartition[],
  ): ErrorCode[] {
    const error = this.check(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return partitions.map(() => error);
    const unknown = partitions.map((p) => !this.options.logs.partition(p.topic, p.partition));
    if (unknown.some(Boolean)) {
      return unknown.map((u) =>
        u ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED,
      );
    }
    const meta = this.txns.get(transactionalId)!;
    const added = partitions.map((p) => key(p.topic, p.partition)).filter((k) => !meta.partitions.has(k));
    if (added.length > 0 || meta.state !== TransactionState.Ongoing) {
      for (const k of added) meta.partitions.add(k);
      this.begin(meta);
      this.persist(meta);
    }
    return partitions.map(() => ErrorCode.NONE);
  }

  /** AddOffsetsToTxn: the transaction will commit offsets of this group. */
  addOffsets(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string): ErrorCode {
    const error = this.check(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return error;
    const meta = this.txns.get(transactionalId)!;
    if (!meta.groups.has(groupId) || meta.state !== TransactionState.Ongoing) {
      meta.groups.add(groupId);
      this.begin(meta);
      this.persist(meta);
    }
    return ErrorCode.NONE;
  }

  /** May this producer write transactional data (TxnOffsetCommit to `groupId`, or Produce)? */
  checkTransactionalWrite(
    transactionalId: string | null,
    producerId: bigint,
    producerEpoch: number,
    target: { group: string } | TopicPartition,
  ): ErrorCode {
    const meta = transactionalId === null ? undefined : this.txns.get(transactionalId);
    if (!meta || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch < meta.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    const included =
      'group' in target
        ? meta.groups.has(target.group)
        : meta.partitions.has(key(target.topic, target.partition));
    if (meta.state !== TransactionState.Ongoing || producerEpoch !== meta.producerEpoch || !included) {
      return ErrorCode.INVALID_TXN_STATE;
    }
    return ErrorCode.NONE;
  }

  /**
   * EndTxn: writes the markers and settles the group offsets, then answers. A retry of the same
   * outcome answers NONE; the other outcome, or no open transaction, INVALID_TXN_STATE.
   */
  endTxn(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean): ErrorCode {
    const error = this.check(transactionalId, producerId, producerEpoch);
    if (error !== ErrorCode.NONE) return error;
    const meta = this.txns.get(transactionalId)!;
    switch (meta.state) {
      case TransactionState.Ongoing:
        this.writeMarkers(meta, commit, false);
        return ErrorCode.NONE;
      case TransactionState.CompleteCommit:
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case TransactionState.CompleteAbort:
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /** Aborts transactions open longer than their timeout, fencing their producers. */
  abortTimedOut(now = Date.now()): void {
    for (const meta of this.txns.values()) {
      if (meta.state !== TransactionState.Ongoing || now - meta.startTime <= meta.timeoutMs) continue;
      this.bumpEpoch(meta);
      this.logger.info(
        { transactionalId: meta.transactionalId, timeoutMs: meta.timeoutMs, epoch: meta.producerEpoch },
        'aborting a transaction that timed out',
      );
      this.writeMarkers(meta, false, false);
    }
  }

  /** The state of a transactional id (for tests and tools). */
  describe(transactionalId: string): Readonly<TransactionMetadata> | undefined {
    return this.txns.get(transactionalId);
  }

  close(): void {
    this.journal.close();
  }

  private begin(meta: TransactionMetadata): void {
    if (meta.state === TransactionState.Ongoing) return;
    this.transition(meta, TransactionState.Ongoing);
    meta.startTime = Date.now();
  }

  /**
   * Ends the open transaction: Prepare* journaled, markers written to each partition (on recovery
   * only where the producer still has the transaction open), pending offsets settled, Complete*
   * journaled.
   */
  private writeMarkers(meta: TransactionMetadata, commit: boolean, recovering: boolean): void {
    if (!recovering) {
      this.transition(meta, commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort);
      this.persist(meta);
    }
    for (const k of meta.partitions) {
      const { topic, partition } = parseKey(k);
      const log = this.options.logs.partition(topic, partition);
      if (!log) continue; // deleted since
      if (recovering && !log.hasOpenTransaction(meta.producerId)) continue;
      log.appendMarker(meta.producerId, meta.producerEpoch, commit);
    }
    this.options.groups.completeTransaction(meta.producerId, meta.groups, commit);
    this.transition(meta, commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort);
    meta.partitions = new Set();
    meta.groups = new Set();
    this.persist(meta);
  }

  private bumpEpoch(meta: TransactionMetadata): void {
    if (meta.producerEpoch >= MAX_EPOCH - 1) {
      // Epochs are int16: an exhausted producer id is replaced by a new one.
      meta.producerId = this.allocateProducerId();
      meta.producerEpoch = 0;
    } else {
      meta.producerEpoch++;
    }
  }

  private transition(meta: TransactionMetadata, to: TransactionState): void {
    checkTransition(meta.transactionalId, meta.state, to);
    meta.state = to;
    meta.lastUpdate = Date.now();
  }

  private allocateProducerId(): bigint {
    if (this.nextProducerId >= this.reservedProducerIds) {
      // Ids are reserved a block at a time, so a restart never hands one out twice.
      this.reservedProducerIds = this.nextProducerId + PRODUCER_ID_BLOCK;
      this.append({ type: 'producerIds', next: this.reservedProducerIds });
    }
    return this.nextProducerId++;
  }

  private persist(meta: TransactionMetadata): void {
    this.append({ type: 'txn', metadata: meta });
  }

  private append(record: TransactionRecord): void {
    this.journal.append(record);
    this.journalRecords++;
    if (this.journalRecords > Math.max(COMPACT_MIN_RECORDS, 2 * (this.txns.size + 1))) {
      const snapshot: TransactionRecord[] = [
        { type: 'producerIds', next: this.reservedProducerIds },
        ...[...this.txns.values()].map((metadata) => ({ type: 'txn' as const, metadata })),
      ];
      this.journal.rewrite(snapshot);
      this.journalRecords = snapshot.length;
    }
  }
}
