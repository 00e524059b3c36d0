import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src/broker/protocol/api.js';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { Fetch } from '../../src/broker/protocol/messages/fetch.js';
import { ListOffsets } from '../../src/broker/protocol/messages/listOffsets.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { Metadata } from '../../src/broker/protocol/messages/metadata.js';
import { BatchLayout, decodeRecords, encodeBatch } from '../../src/broker/protocol/recordBatch.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';

let t: TestBroker;
let client: RawClient;

beforeAll(async () => {
  t = await startTestBroker();
  const admin = t.kafka().admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'p', numPartitions: 2 },
      { topic: 'isr2', numPartitions: 1, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
      {
        topic: 'append-time',
        numPartitions: 1,
        configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
      },
      { topic: 'small', numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000' }] },
      { topic: 'compacted', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ],
  });
  await admin.disconnect();
  client = await RawClient.connect(t.broker.port);
});
afterAll(async () => {
  client.close();
  await t.stop();
});

const batchOf = (...values: (string | null)[]) =>
  encodeBatch({
    records: values.map((v, i) => ({
      key: v === null ? null : Buffer.from(`k${i}`),
      value: v === null ? null : Buffer.from(v),
    })),
  });

async function produce(topic: string, partition: number, records: Buffer | null, acks = -1, version = 7) {
  const request: RequestOf<typeof Produce> = {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  };
  const response = await client.request(Produce, version, request);
  return response.responses[0]!.partitionResponses[0]!;
}

function fetchRequest(
  topic: string,
  partition: number,
  offset: bigint,
  extra: Partial<RequestOf<typeof Fetch>> = {},
) {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 50 * 1024 * 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: offset,
            logStartOffset: -1n,
            partitionMaxBytes: 1024 * 1024,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
    ...extra,
  };
}

describe('Produce', () => {
  it('assigns offsets and reports the log start at every version from 3 to 7', async () => {
    let expected = 0n;
    for (const version of [3, 4, 5, 6, 7]) {
      const r = await produce('p', 0, await batchOf('a', 'b'), -1, version);
      expect(r).toMatchObject({ errorCode: 0, baseOffset: expected, logAppendTimeMs: -1n });
      expect(r.logStartOffset).toBe(version >= 5 ? 0n : -1n);
      expected += 2n;
    }
  });

  it('answers nothing for acks=0, yet appends', async () => {
    const before = (
      await client.request(ListOffsets, 3, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'p', partitions: [{ partitionIndex: 1, timestamp: -1n }] }],
      })
    ).topics[0]!.partitions[0]!.offset;
    // Pipelined: the Metadata answer must be the very next frame, since acks=0 gets none.
    const acks0 = client.frame(
      Produce,
      7,
      {
        transactionalId: null,
        acks: 0,
        timeoutMs: 1000,
        topicData: [{ name: 'p', partitionData: [{ index: 1, records: await batchOf('x') }] }],
      },
      5001,
    );
    const metadata = client.frame(Metadata, 4, { topics: [], allowAutoTopicCreation: false }, 5002);
    const next = client.nextFrame();
    client.write(Buffer.concat([acks0, metadata]));
    expect((await next).readInt32BE(0)).toBe(5002);
    const after = (
      await client.request(ListOffsets, 3, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'p', partitions: [{ partitionIndex: 1, timestamp: -1n }] }],
      })
    ).topics[0]!.partitions[0]!.offset;
    expect(after).toBe(before + 1n);
  });

  it('refuses a corrupt batch with INVALID_RECORD and appends nothing', async () => {
    const batch = await batchOf('good');
    batch[batch.length - 1]! ^= 0x55;
    expect((await produce('p', 0, batch)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect((await produce('p', 0, await batchOf('next'))).baseOffset).toBe(10n);
  });

  it('answers per-partition errors with Kafka codes', async () => {
    expect((await produce('p', 9, await batchOf('x'))).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await produce('p', 0, await batchOf('x'), 2)).errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect((await produce('isr2', 0, await batchOf('x'), -1)).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect((await produce('isr2', 0, await batchOf('x'), 1)).errorCode).toBe(ErrorCode.NONE);
    expect((await produce('small', 0, await batchOf('x'.repeat(2000)))).errorCode).toBe(
      ErrorCode.MESSAGE_TOO_LARGE,
    );
    expect((await produce('compacted', 0, await batchOf(null))).errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect((await produce('bad/name', 0, await batchOf('x'))).errorCode).toBe(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
    );
  });

  it('stamps the broker time on LogAppendTime topics', async () => {
    const before = Date.now();
    const r = await produce('append-time', 0, await batchOf('x'));
    expect(Number(r.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
    const fetched = await client.request(Fetch, 11, fetchRequest('append-time', 0, 0n));
    const records = await decodeRecords(fetched.responses[0]!.partitions[0]!.records!);
    expect(BigInt(records[0]!.timestamp)).toBe(r.logAppendTimeMs);
  });

  it('auto-creates a topic on produce with the default partition count', async () => {
    const r = await produce('auto-created', 0, await batchOf('x'));
    expect(r.errorCode).toBe(0);
    expect(t.broker.logs.get('auto-created')!.partitions).toHaveLength(1);
  });
});

describe('Fetch', () => {
  it('fills the isolation-level fields: LSO, log start, aborted list per isolation level', async () => {
    const uncommitted = await client.request(Fetch, 11, fetchRequest('p', 0, 0n));
    const p = uncommitted.responses[0]!.partitions[0]!;
    expect(p).toMatchObject({
      errorCode: 0,
      highWatermark: 11n,
      lastStableOffset: 11n,
      logStartOffset: 0n,
      abortedTransactions: null,
    });
    const committed = await client.request(Fetch, 11, fetchRequest('p', 0, 0n, { isolationLevel: 1 }));
    expect(committed.responses[0]!.partitions[0]!.abortedTransactions).toEqual([]);
    expect(committed.sessionId).toBe(0);
  });

  it('returns whole batches from the one holding the fetch offset', async () => {
    const r = await client.request(Fetch, 4, fetchRequest('p', 0, 3n));
    const records = r.responses[0]!.partitions[0]!.records!;
    expect(records.readBigInt64BE(BatchLayout.BASE_OFFSET)).toBe(2n);
  });

  it('sends at least one batch even when it exceeds the limits, and respects the limits after it', async () => {
    const tiny = await client.request(Fetch, 11, {
      ...fetchRequest('p', 0, 0n),
      maxBytes: 1,
      topics: [
        {
          topic: 'p',
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              logStartOffset: -1n,
              partitionMaxBytes: 1,
            },
          ],
        },
      ],
    });
    const data = tiny.responses[0]!.partitions[0]!.records!;
    expect(data.length).toBe(data.readInt32BE(BatchLayout.LENGTH) + BatchLayout.LOG_OVERHEAD);
  });

  it('answers OFFSET_OUT_OF_RANGE beyond the end and UNKNOWN_TOPIC_OR_PARTITION for unknown partitions', async () => {
    const r = await client.request(Fetch, 11, fetchRequest('p', 0, 1000n));
    expect(r.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const u = await client.request(Fetch, 11, fetchRequest('nope', 0, 0n));
    expect(u.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('long-polls: waits for data up to max wait, and wakes as soon as a record arrives', async () => {
    const end = 11n;
    const waiter = await RawClient.connect(t.broker.port);
    let started = Date.now();
    const empty = await waiter.request(Fetch, 11, fetchRequest('p', 0, end, { maxWaitMs: 300 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(empty.responses[0]!.partitions[0]!.records!.length).toBe(0);

    started = Date.now();
    const pending = waiter.request(Fetch, 11, fetchRequest('p', 0, end, { maxWaitMs: 10_000 }));
    await new Promise((r) => setTimeout(r, 100));
    await produce('p', 0, await batchOf('wake'));
    const woken = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await decodeRecords(woken.responses[0]!.partitions[0]!.records!))[0]!.value!.toString()).toBe(
      'wake',
    );

    // min_bytes above what arrives keeps it waiting until max wait.
    started = Date.now();
    const big = waiter.request(
      Fetch,
      11,
      fetchRequest('p', 0, end + 1n, { maxWaitMs: 500, minBytes: 1_000_000 }),
    );
    await produce('p', 0, await batchOf('small'));
    const r = await big;
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(r.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(0);
    waiter.close();
  });
});
