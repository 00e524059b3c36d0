import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { Attributes } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { RawClient } from '../support/rawClient.js';
import {
  batchesIn,
  createTopic,
  fetchPartition,
  listOffset,
  produce,
  recordsOf,
  uniqueTopic,
} from '../support/wireRequests.js';

/**
 * What records carry through the broker: timestamps (CreateTime and LogAppendTime, the batch's
 * max timestamp), headers, and ListOffsets by timestamp; the same assertions on both brokers.
 */
forEachBroker('Record timestamps, headers and ListOffsets', {}, (target: BrokerTarget) => {
  let client: RawClient;
  beforeAll(async () => {
    client = await RawClient.connect(target.port);
  });
  afterAll(() => client.close());

  const topicWith = async (prefix: string, configs: Record<string, string> = {}) => {
    const topic = uniqueTopic(prefix);
    expect(await createTopic(client, topic, configs)).toBe(ErrorCode.NONE);
    return topic;
  };
  const value = (v: string, timestamp: number) => ({ key: null, value: Buffer.from(v), timestamp });

  it('finds offsets by timestamp: -1, -2, between records, after the last, and out of order ones', async () => {
    const topic = await topicWith('by-time');
    const t0 = Date.now() - 60_000;
    // Offsets 0-2 in one batch, the middle record stamped later than the last.
    await produce(
      client,
      topic,
      0,
      await recordsOf([value('a', t0), value('b', t0 + 3000), value('c', t0 + 2000)]),
    );
    await produce(client, topic, 0, await recordsOf([value('d', t0 + 4000)]));
    expect(await listOffset(client, topic, -1n)).toMatchObject({ errorCode: 0, offset: 4n, timestamp: -1n });
    expect(await listOffset(client, topic, -2n)).toMatchObject({ errorCode: 0, offset: 0n, timestamp: -1n });
    expect(await listOffset(client, topic, BigInt(t0))).toMatchObject({
      offset: 0n,
      timestamp: BigInt(t0),
    });
    // The first record stamped at or after the time asked, in offset order.
    expect(await listOffset(client, topic, BigInt(t0 + 1000))).toMatchObject({
      offset: 1n,
      timestamp: BigInt(t0 + 3000),
    });
    expect(await listOffset(client, topic, BigInt(t0 + 3500))).toMatchObject({
      offset: 3n,
      timestamp: BigInt(t0 + 4000),
    });
    expect(await listOffset(client, topic, BigInt(t0 + 5000))).toMatchObject({
      errorCode: 0,
      offset: -1n,
      timestamp: -1n,
    });
    // v1 answers the same.
    expect(await listOffset(client, topic, -1n, { version: 1 })).toMatchObject({ offset: 4n });
  });

  it('answers UNSUPPORTED_VERSION for the special timestamps of later versions, and errors for unknown partitions', async () => {
    const topic = await topicWith('special');
    // -3 is the max timestamp (v7+), -4 and -5 belong to tiered storage (v8+, v9+).
    for (const timestamp of [-3n, -4n, -5n]) {
      expect((await listOffset(client, topic, timestamp)).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    }
    expect((await listOffset(client, topic, -1n, { partition: 9 })).errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await listOffset(client, uniqueTopic('nope'), -1n)).errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
  });

  it('keeps CreateTime stamps and the batch max timestamp, and refuses stamps over an hour ahead', async () => {
    const topic = await topicWith('create-time');
    const t0 = Date.now() - 10_000;
    const r = await produce(client, topic, 0, await recordsOf([value('a', t0 + 2000), value('b', t0)]));
    expect(r).toMatchObject({ errorCode: 0, logAppendTimeMs: -1n });
    const [batch] = await batchesIn((await fetchPartition(client, topic, 0, 0n)).records!);
    expect(batch!.header.attributes & Attributes.LOG_APPEND_TIME).toBe(0);
    expect(batch!.header.maxTimestamp).toBe(t0 + 2000);
    expect(batch!.records.map((x) => x.timestamp)).toEqual([t0 + 2000, t0]);
    // message.timestamp.after.max.ms is one hour in Kafka 4; the far past is accepted.
    const ahead = await produce(
      client,
      topic,
      0,
      await recordsOf([value('late', Date.now() + 2 * 3600_000)]),
    );
    expect(ahead.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect((await produce(client, topic, 0, await recordsOf([value('old', 1000)]))).errorCode).toBe(0);
  });

  it('overwrites stamps with the broker time on LogAppendTime topics, in the batch and the produce answer', async () => {
    const topic = await topicWith('log-append', { 'message.timestamp.type': 'LogAppendTime' });
    const before = Date.now();
    // Even a stamp far ahead is accepted: the broker replaces it.
    const r = await produce(
      client,
      topic,
      0,
      await recordsOf([value('a', 1000), value('b', before + 7200_000)]),
    );
    expect(r.errorCode).toBe(0);
    expect(Number(r.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
    const [batch] = await batchesIn((await fetchPartition(client, topic, 0, 0n)).records!);
    expect(batch!.header.attributes & Attributes.LOG_APPEND_TIME).toBe(Attributes.LOG_APPEND_TIME);
    expect(batch!.header.maxTimestamp).toBe(Number(r.logAppendTimeMs));
    expect(batch!.records.map((x) => x.timestamp)).toEqual([
      Number(r.logAppendTimeMs),
      Number(r.logAppendTimeMs),
    ]);
    expect(await listOffset(client, topic, BigInt(before))).toMatchObject({
      offset: 0n,
      timestamp: r.logAppendTimeMs,
    });
  });

  it('carries headers as sent: binary values, repeated keys, empty keys and values, null values', async () => {
    const topic = await topicWith('headers');
    const headers = [
      { key: 'bin', value: Buffer.from([0, 255, 1, 128]) },
      { key: 'dup', value: Buffer.from('1') },
      { key: 'dup', value: Buffer.from('2') },
      { key: '', value: Buffer.alloc(0) },
      { key: 'nul', value: null },
      { key: 'ünï', value: Buffer.from('✓') },
    ];
    await produce(
      client,
      topic,
      0,
      await recordsOf([
        { key: Buffer.from('k'), value: Buffer.from('v'), headers },
        { key: null, value: null },
      ]),
    );
    const [batch] = await batchesIn((await fetchPartition(client, topic, 0, 0n)).records!);
    expect(batch!.records[0]!.headers).toEqual(headers);
    expect(batch!.records[1]).toMatchObject({ key: null, value: null, headers: [] });
    // KafkaJS reads them alike.
    const [message] = await consumeAll(target.kafka(), topic, 2);
    expect(message!.headers).toEqual({
      bin: ['\u0000\ufffd\u0001\ufffd'],
      dup: ['1', '2'],
      '': [''],
      nul: ['<null>'],
      ünï: ['✓'],
    });
  });
});
