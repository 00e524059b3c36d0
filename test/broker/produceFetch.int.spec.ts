import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { Fetch } from '../../src/broker/protocol/messages/fetch.js';
import { Metadata } from '../../src/broker/protocol/messages/metadata.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { BatchLayout, decodeRecords } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { RawClient } from '../support/rawClient.js';
import {
  batchOf,
  createTopic,
  fetchPartition,
  fetchRequest,
  listOffset,
  produce,
  uniqueTopic,
} from '../support/wireRequests.js';

/**
 * Produce and Fetch on the wire, sent by the raw client at versions both brokers serve; the same
 * assertions hold for the embedded broker and for Kafka.
 */
forEachBroker('Produce and Fetch', {}, (target: BrokerTarget) => {
  let client: RawClient;
  beforeAll(async () => {
    client = await RawClient.connect(target.port);
  });
  afterAll(() => client.close());

  const topicWith = async (prefix: string, configs: Record<string, string> = {}, partitions = 1) => {
    const topic = uniqueTopic(prefix);
    expect(await createTopic(client, topic, configs, partitions)).toBe(ErrorCode.NONE);
    return topic;
  };

  it('assigns offsets and reports the log start at every version from 3 to 7', async () => {
    const topic = await topicWith('versions');
    let expected = 0n;
    for (const version of [3, 4, 5, 6, 7]) {
      const r = await produce(client, topic, 0, await batchOf('a', 'b'), -1, version);
      expect(r).toMatchObject({ errorCode: 0, baseOffset: expected, logAppendTimeMs: -1n });
      expect(r.logStartOffset).toBe(version >= 5 ? 0n : -1n);
      expected += 2n;
    }
  });

  it('answers nothing for acks=0, yet appends', async () => {
    const topic = await topicWith('acks0');
    // Pipelined: the Metadata answer must be the very next frame, since acks=0 gets none.
    const acks0 = client.frame(
      Produce,
      7,
      {
        transactionalId: null,
        acks: 0,
        timeoutMs: 1000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: await batchOf('x') }] }],
      },
      5001,
    );
    const metadata = client.frame(Metadata, 4, { topics: [], allowAutoTopicCreation: false }, 5002);
    const next = client.nextFrame();
    client.write(Buffer.concat([acks0, metadata]));
    expect((await next).readInt32BE(0)).toBe(5002);
    expect((await listOffset(client, topic, -1n)).offset).toBe(1n);
  });

  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE, and appends nothing', async () => {
    const topic = await topicWith('crc');
    const batch = await batchOf('good');
    batch[batch.length - 1]! ^= 0x55;
    expect((await produce(client, topic, 0, batch)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect((await produce(client, topic, 0, await batchOf('next'))).baseOffset).toBe(0n);
  });

  it('answers per-partition errors with Kafka codes', async () => {
    const topic = await topicWith('errors');
    const small = await topicWith('small', { 'max.message.bytes': '1000' });
    const compacted = await topicWith('compacted', { 'cleanup.policy': 'compact' });
    const x = await batchOf('x');
    expect((await produce(client, topic, 9, x)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await produce(client, topic, 0, x, 2)).errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect((await produce(client, small, 0, await batchOf('x'.repeat(2000)))).errorCode).toBe(
      ErrorCode.MESSAGE_TOO_LARGE,
    );
    expect((await produce(client, compacted, 0, await batchOf(null))).errorCode).toBe(
      ErrorCode.INVALID_RECORD,
    );
    // Produce never creates a topic, whatever auto-creation says, and a name that cannot be a
    // topic is just unknown.
    expect((await produce(client, uniqueTopic('never-created'), 0, x)).errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produce(client, 'bad/name', 0, x)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await listOffset(client, topic, -1n)).offset).toBe(0n);
  });

  it('takes acks=-1 on a topic asking for two in-sync replicas, as one replica is all there is', async () => {
    // Kafka 4 caps min.insync.replicas at the replication factor (KIP-966).
    const topic = await topicWith('isr2', { 'min.insync.replicas': '2' });
    expect(await produce(client, topic, 0, await batchOf('x'), -1)).toMatchObject({
      errorCode: ErrorCode.NONE,
      baseOffset: 0n,
    });
  });

  it('stamps the broker time on LogAppendTime topics', async () => {
    const topic = await topicWith('append-time', { 'message.timestamp.type': 'LogAppendTime' });
    const before = Date.now();
    const r = await produce(client, topic, 0, await batchOf('x'));
    expect(Number(r.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
    const fetched = await fetchPartition(client, topic, 0, 0n);
    const records = await decodeRecords(fetched.records!);
    expect(BigInt(records[0]!.timestamp)).toBe(r.logAppendTimeMs);
  });

  it('fills the isolation-level fields: LSO, log start, aborted list per isolation level', async () => {
    const topic = await topicWith('isolation');
    await produce(client, topic, 0, await batchOf('a', 'b', 'c'));
    const uncommitted = await client.request(Fetch, 11, fetchRequest(topic, 0, 0n));
    expect(uncommitted.responses[0]!.partitions[0]!).toMatchObject({
      errorCode: 0,
      highWatermark: 3n,
      lastStableOffset: 3n,
      logStartOffset: 0n,
      abortedTransactions: null,
    });
    const committed = await client.request(Fetch, 11, fetchRequest(topic, 0, 0n, { isolationLevel: 1 }));
    expect(committed.responses[0]!.partitions[0]!.abortedTransactions).toEqual([]);
    expect(committed.sessionId).toBe(0);
  });

  it('returns whole batches from the one holding the fetch offset', async () => {
    const topic = await topicWith('whole');
    await produce(client, topic, 0, await batchOf('a', 'b'));
    await produce(client, topic, 0, await batchOf('c', 'd'));
    const r = await client.request(Fetch, 4, fetchRequest(topic, 0, 3n));
    expect(r.responses[0]!.partitions[0]!.records!.readBigInt64BE(BatchLayout.BASE_OFFSET)).toBe(2n);
  });

  it('sends at least one batch even when it exceeds the limits', async () => {
    const topic = await topicWith('tiny');
    await produce(client, topic, 0, await batchOf('a', 'b'));
    await produce(client, topic, 0, await batchOf('c'));
    const request = fetchRequest(topic, 0, 0n, { maxBytes: 1 });
    request.topics[0]!.partitions[0]!.partitionMaxBytes = 1;
    const data = (await client.request(Fetch, 11, request)).responses[0]!.partitions[0]!.records!;
    expect(data.length).toBe(data.readInt32BE(BatchLayout.LENGTH) + BatchLayout.LOG_OVERHEAD);
  });

  it('answers OFFSET_OUT_OF_RANGE beyond the end and UNKNOWN_TOPIC_OR_PARTITION for unknown partitions, without offsets', async () => {
    const topic = await topicWith('range');
    await produce(client, topic, 0, await batchOf('a'));
    const unknown = { highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n };
    for (const offset of [1000n, -5n]) {
      expect(await fetchPartition(client, topic, 0, offset)).toMatchObject({
        errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
        ...unknown,
      });
    }
    expect(await fetchPartition(client, topic, 7, 0n)).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ...unknown,
    });
    expect(await fetchPartition(client, uniqueTopic('nope'), 0, 0n)).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ...unknown,
    });
  });

  it('long-polls: waits for data up to max wait, and wakes as soon as a record arrives', async () => {
    const topic = await topicWith('long-poll');
    const waiter = await RawClient.connect(target.port);
    try {
      let started = Date.now();
      const empty = await waiter.request(Fetch, 11, fetchRequest(topic, 0, 0n, { maxWaitMs: 300 }));
      expect(empty.responses[0]!.partitions[0]!).toMatchObject({ errorCode: 0, records: Buffer.alloc(0) });
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);

      started = Date.now();
      const pending = waiter.request(Fetch, 11, fetchRequest(topic, 0, 0n, { maxWaitMs: 10_000 }));
      // Whether the record lands before the fetch is parked or after, the answer comes at once.
      await produce(client, topic, 0, await batchOf('wake'));
      const woken = await pending;
      expect(Date.now() - started).toBeLessThan(5_000);
      const records = await decodeRecords(woken.responses[0]!.partitions[0]!.records!);
      expect(records[0]!.value!.toString()).toBe('wake');

      // min_bytes above what arrives keeps it waiting until max wait.
      started = Date.now();
      const big = waiter.request(
        Fetch,
        11,
        fetchRequest(topic, 0, 1n, { maxWaitMs: 500, minBytes: 1_000_000 }),
      );
      await produce(client, topic, 0, await batchOf('small'));
      const r = await big;
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(r.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(0);
    } finally {
      waiter.close();
    }
  });
});
