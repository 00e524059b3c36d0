import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../group/groupCoordinator.js';
import { MemoryGroupJournal } from '../group/memoryGroupJournal.js';
import { LogManager } from '../log/logManager.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { encodeBatch, readBatchHeader } from '../protocol/recordBatch.js';
import { MemoryJournal } from '../storage/memoryJournal.js';
import { TransactionCoordinator } from './transactionCoordinator.js';
import type { TransactionRecord } from './transactionRecord.js';

const logger = pino({ level: 'silent' });
let dir: string;
let logs: LogManager;
let groups: GroupCoordinator;
const groupJournal = new MemoryGroupJournal();

function coordinator(journal: MemoryJournal<TransactionRecord>, maxTimeoutMs = 900_000) {
  const c = new TransactionCoordinator({ dataDir: dir, logs, groups, logger, journal, maxTimeoutMs });
  c.load();
  return c;
}

async function writeTransactional(topic: string, producerId: bigint, epoch: number, seq: number) {
  const batch = await encodeBatch({
    records: [{ key: null, value: Buffer.from(`v${seq}`) }],
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
    attributes: 0x10,
  });
  return logs.partition(topic, 0)!.append(batch, readBatchHeader(batch));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-txn-'));
  logs = new LogManager({
    dataDir: dir,
    nodeId: 1,
    defaultPartitions: 1,
    defaultReplicationFactor: 1,
    topicDefaults: {},
    logger,
  });
  logs.load();
  logs.create({ name: 'a', numPartitions: 1, replicationFactor: 1 });
  logs.create({ name: 'b', numPartitions: 1, replicationFactor: 1 });
  groups = new GroupCoordinator({
    dataDir: dir,
    logger,
    initialRebalanceDelayMs: 0,
    minSessionTimeoutMs: 1000,
    maxSessionTimeoutMs: 60_000,
    journal: groupJournal,
  });
  groups.load();
});
afterEach(() => {
  logs.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const expected = { producerId: -1n, producerEpoch: -1 };

describe('TransactionCoordinator', () => {
  it('hands out producer ids that are never reused across restarts', () => {
    const journal = new MemoryJournal<TransactionRecord>();
    const first = coordinator(journal);
    const a = first.initProducerId(null, 0, expected, 1).producerId;
    const b = first.initProducerId(null, 0, expected, 1).producerId;
    expect(b).toBe(a + 1n);
    const again = coordinator(journal);
    expect(again.initProducerId(null, 0, expected, 1).producerId).toBeGreaterThan(b);
  });

  it('gives an idempotent producer a new id at epoch 0 even when it names its own, and refuses an empty id', () => {
    const txns = coordinator(new MemoryJournal());
    const first = txns.initProducerId(null, 0, expected, 4);
    const named = txns.initProducerId(null, 0, { producerId: first.producerId, producerEpoch: 0 }, 4);
    expect(named).toEqual({ errorCode: 0, producerId: first.producerId + 1n, producerEpoch: 0 });
    expect(txns.initProducerId('', 60_000, expected, 4).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('bumps the epoch on each InitProducerId of a transactional id and checks requests against it', () => {
    const txns = coordinator(new MemoryJournal());
    const first = txns.initProducerId('t', 60_000, expected, 1);
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    const second = txns.initProducerId('t', 60_000, expected, 1);
    expect(second).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    const p = [{ topic: 'a', partition: 0 }];
    expect(txns.addPartitions('t', first.producerId, 0, p)).toEqual([ErrorCode.INVALID_PRODUCER_EPOCH]);
    expect(txns.addPartitions('t', 999n, 1, p)).toEqual([ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
    expect(txns.addPartitions('nope', first.producerId, 1, p)).toEqual([
      ErrorCode.INVALID_PRODUCER_ID_MAPPING,
    ]);
    expect(
      txns.addPartitions('t', first.producerId, 1, [
        { topic: 'a', partition: 0 },
        { topic: 'missing', partition: 0 },
      ]),
    ).toEqual([ErrorCode.OPERATION_NOT_ATTEMPTED, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(txns.endTxn('t', first.producerId, 1, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(txns.initProducerId('t', 1_000_000, expected, 1).errorCode).toBe(
      ErrorCode.INVALID_TRANSACTION_TIMEOUT,
    );
  });

  it('commits: markers on every partition, pending offsets committed, retries answered', async () => {
    const txns = coordinator(new MemoryJournal());
    const { producerId, producerEpoch } = txns.initProducerId('t', 60_000, expected, 1);
    expect(
      txns.addPartitions('t', producerId, producerEpoch, [
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 0 },
      ]),
    ).toEqual([0, 0]);
    expect(txns.addOffsets('t', producerId, producerEpoch, 'g')).toBe(0);
    expect(txns.checkTransactionalWrite('t', producerId, producerEpoch, { group: 'g' })).toBe(0);
    expect(txns.checkTransactionalWrite('t', producerId, producerEpoch, { group: 'other' })).toBe(
      ErrorCode.INVALID_TXN_STATE,
    );
    groups.commitTransactionalOffsets('g', producerId, [
      { topic: 'a', partition: 0, offset: 42n, leaderEpoch: -1, metadata: null },
    ]);
    await writeTransactional('a', producerId, producerEpoch, 0);
    await writeTransactional('b', producerId, producerEpoch, 0);
    expect(logs.partition('a', 0)!.lastStableOffset).toBe(0n);
    expect(groups.fetchOffsets('g', null)).toEqual([]);

    expect(txns.endTxn('t', producerId, producerEpoch, true)).toBe(0);
    for (const topic of ['a', 'b']) {
      const log = logs.partition(topic, 0)!;
      expect(log.highWatermark).toBe(2n);
      expect(log.lastStableOffset).toBe(2n);
    }
    expect(groups.fetchOffsets('g', null)[0]!.partitions[0]!.offset).toBe(42n);
    expect(txns.endTxn('t', producerId, producerEpoch, true)).toBe(0);
    expect(txns.endTxn('t', producerId, producerEpoch, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(logs.partition('a', 0)!.highWatermark).toBe(2n);
  });

  it('aborts: markers, aborted index, pending offsets dropped', async () => {
    const txns = coordinator(new MemoryJournal());
    const { producerId, producerEpoch } = txns.initProducerId('t', 60_000, expected, 1);
    txns.addPartitions('t', producerId, producerEpoch, [{ topic: 'a', partition: 0 }]);
    txns.addOffsets('t', producerId, producerEpoch, 'g2');
    groups.commitTransactionalOffsets('g2', producerId, [
      { topic: 'a', partition: 0, offset: 7n, leaderEpoch: -1, metadata: null },
    ]);
    await writeTransactional('a', producerId, producerEpoch, 0);
    expect(txns.endTxn('t', producerId, producerEpoch, false)).toBe(0);
    expect(logs.partition('a', 0)!.abortedTransactions()).toEqual([
      { producerId, firstOffset: 0n, lastOffset: 1n },
    ]);
    expect(groups.fetchOffsets('g2', null)).toEqual([]);
  });

  it('fences an open transaction when the transactional id is initialised again', async () => {
    const txns = coordinator(new MemoryJournal());
    const zombie = txns.initProducerId('t', 60_000, expected, 1);
    txns.addPartitions('t', zombie.producerId, zombie.producerEpoch, [{ topic: 'a', partition: 0 }]);
    await writeTransactional('a', zombie.producerId, zombie.producerEpoch, 0);
    const successor = txns.initProducerId('t', 60_000, expected, 1);
    expect(successor.producerEpoch).toBe(zombie.producerEpoch + 1);
    const log = logs.partition('a', 0)!;
    expect(log.lastStableOffset).toBe(log.highWatermark);
    expect(log.abortedTransactions()).toHaveLength(1);
    expect(txns.endTxn('t', zombie.producerId, zombie.producerEpoch, true)).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    await expect(writeTransactional('a', zombie.producerId, zombie.producerEpoch, 1)).rejects.toMatchObject({
      code: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
    // KIP-360 at v3+: naming a stale epoch is refused (PRODUCER_FENCED from v4).
    expect(
      txns.initProducerId('t', 60_000, { producerId: zombie.producerId, producerEpoch: 0 }, 4).errorCode,
    ).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('aborts a transaction open past its timeout', async () => {
    const txns = coordinator(new MemoryJournal());
    const { producerId, producerEpoch } = txns.initProducerId('t', 1000, expected, 1);
    txns.addPartitions('t', producerId, producerEpoch, [{ topic: 'a', partition: 0 }]);
    await writeTransactional('a', producerId, producerEpoch, 0);
    txns.abortTimedOut(Date.now() + 500);
    expect(txns.describe('t')!.state).toBe('Ongoing');
    txns.abortTimedOut(Date.now() + 1500);
    expect(txns.describe('t')).toMatchObject({ state: 'CompleteAbort', producerEpoch: producerEpoch + 1 });
    expect(logs.partition('a', 0)!.lastStableOffset).toBe(2n);
  });

  it('finishes a transaction a crash left between PrepareCommit and its markers', async () => {
    const journal = new MemoryJournal<TransactionRecord>();
    const txns = coordinator(journal);
    const { producerId, producerEpoch } = txns.initProducerId('t', 60_000, expected, 1);
    txns.addPartitions('t', producerId, producerEpoch, [
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
    ]);
    await writeTransactional('a', producerId, producerEpoch, 0);
    await writeTransactional('b', producerId, producerEpoch, 0);
    // The crash: PrepareCommit reached the journal, then only partition a got its marker.
    const last = journal.records.at(-1) as Extract<TransactionRecord, { type: 'txn' }>;
    journal.records.push({
      type: 'txn',
      metadata: { ...last.metadata, state: 'PrepareCommit', partitions: new Set(last.metadata.partitions) },
    });
    logs.partition('a', 0)!.appendMarker(producerId, producerEpoch, true);

    const recovered = coordinator(journal);
    expect(recovered.describe('t')!.state).toBe('CompleteCommit');
    expect(logs.partition('a', 0)!.highWatermark).toBe(2n); // no second marker
    expect(logs.partition('b', 0)!.highWatermark).toBe(2n); // its marker, written on recovery
    expect(logs.partition('b', 0)!.lastStableOffset).toBe(2n);
    expect(logs.partition('b', 0)!.abortedTransactions()).toEqual([]);
  });

  it('keeps an Ongoing transaction across a restart for its producer to finish', async () => {
    const journal = new MemoryJournal<TransactionRecord>();
    const txns = coordinator(journal);
    const { producerId, producerEpoch } = txns.initProducerId('t', 60_000, expected, 1);
    txns.addPartitions('t', producerId, producerEpoch, [{ topic: 'a', partition: 0 }]);
    await writeTransactional('a', producerId, producerEpoch, 0);
    const recovered = coordinator(journal);
    expect(recovered.describe('t')!.state).toBe('Ongoing');
    expect(recovered.endTxn('t', producerId, producerEpoch, true)).toBe(0);
    expect(logs.partition('a', 0)!.lastStableOffset).toBe(2n);
  });
});
