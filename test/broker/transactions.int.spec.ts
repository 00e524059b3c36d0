import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src/broker/protocol/api.js';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { InitProducerId } from '../../src/broker/protocol/messages/initProducerId.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { encodeBatch } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { ends, untilEnds } from '../support/partitionEnds.js';
import { transactional } from '../support/transactionalProducer.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';
import { initTransactional } from '../support/transactionRequests.js';
import { untilLed } from '../support/wireRequests.js';
import { AddPartitionsToTxn } from '../../src/broker/protocol/messages/addPartitionsToTxn.js';
import { EndTxn } from '../../src/broker/protocol/messages/endTxn.js';

/**
 * Idempotence and transactions seen by KafkaJS and by raw requests, with the same assertions on
 * the embedded broker and on Kafka.
 */

let topicCount = 0;
async function newTopic(kafka: Kafka, port: number, partitions = 1): Promise<string> {
  const topic = `txn-${++topicCount}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  // Kafka's leader serves the new partitions a moment after their leader is listed.
  const client = await RawClient.connect(port);
  await untilLed(client, topic, partitions).finally(() => client.close());
  return topic;
}

/** KafkaJS's admin asks for the last stable offset (isolation level 1). */
async function stableEnd(kafka: Kafka, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets[0]!.high;
}

forEachBroker('idempotence and transactions', { transactionAbortIntervalMs: 200 }, (target: BrokerTarget) => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = target.kafka('txn-test');
  });
  const newTopicHere = (partitions = 1) => newTopic(kafka, target.port, partitions);
  describe('transaction coordinator edge cases, raw', () => {
    const addPartitions = (client: RawClient, id: string, producerId: bigint, epoch: number, topic: string) =>
      client.request(AddPartitionsToTxn, 1, {
        transactionalId: id,
        producerId,
        producerEpoch: epoch,
        topics: [{ name: topic, partitions: [0] }],
      });
    const endTxn = (client: RawClient, id: string, producerId: bigint, epoch: number, committed: boolean) =>
      client.request(EndTxn, 1, { transactionalId: id, producerId, producerEpoch: epoch, committed });
    const partitionError = (r: { results: { resultsByPartition: { partitionErrorCode: number }[] }[] }) =>
      r.results[0]!.resultsByPartition[0]!.partitionErrorCode;

    it('bumps the epoch on a second InitProducerId, and refuses the older epoch with 47', async () => {
      const topic = await newTopicHere();
      const client = await RawClient.connect(target.port);
      const first = await initTransactional(client, 'fence-raw');
      expect(first.errorCode).toBe(0);
      const second = await initTransactional(client, 'fence-raw');
      expect(second).toMatchObject({
        errorCode: 0,
        producerId: first.producerId,
        producerEpoch: first.producerEpoch + 1,
      });
      const stale = await addPartitions(client, 'fence-raw', first.producerId, first.producerEpoch, topic);
      expect(partitionError(stale)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
      const current = await addPartitions(
        client,
        'fence-raw',
        second.producerId,
        second.producerEpoch,
        topic,
      );
      expect(partitionError(current)).toBe(0);
      expect((await endTxn(client, 'fence-raw', first.producerId, first.producerEpoch, true)).errorCode).toBe(
        ErrorCode.INVALID_PRODUCER_EPOCH,
      );
      expect(
        (await endTxn(client, 'fence-raw', second.producerId, second.producerEpoch, false)).errorCode,
      ).toBe(0);
      client.close();
    });

    it('refuses EndTxn with nothing added, and a producer id the transactional id does not own', async () => {
      const topic = await newTopicHere();
      const client = await RawClient.connect(target.port);
      const { producerId, producerEpoch } = await initTransactional(client, 'empty-raw');
      expect((await endTxn(client, 'empty-raw', producerId, producerEpoch, true)).errorCode).toBe(
        ErrorCode.INVALID_TXN_STATE,
      );
      const wrong = await addPartitions(client, 'empty-raw', producerId + 1000n, producerEpoch, topic);
      expect(partitionError(wrong)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
      const unknownId = await addPartitions(client, 'never-initialised', producerId, producerEpoch, topic);
      expect(partitionError(unknownId)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
      client.close();
    });
  });

  describe('transactions with KafkaJS', () => {
    it('shows committed data to read_committed readers, and aborted data only to read_uncommitted ones', async () => {
      const topic = await newTopicHere();
      const producer = await transactional(kafka, 'visibility');
      for (const [values, commit] of [
        [['c1', 'c2'], true],
        [['a1'], false],
        [['c3'], true],
      ] as const) {
        const txn = await producer.transaction();
        await txn.send({ topic, messages: values.map((value) => ({ value })) });
        await (commit ? txn.commit() : txn.abort());
      }
      await producer.disconnect();
      expect((await consumeAll(kafka, topic, 3)).map((m) => m.value)).toEqual(['c1', 'c2', 'c3']);
      expect((await consumeAll(kafka, topic, 4, { readUncommitted: true })).map((m) => m.value)).toEqual([
        'c1',
        'c2',
        'a1',
        'c3',
      ]);
    });

    it('holds back the last stable offset while a transaction is open', async () => {
      const topic = await newTopicHere();
      const plain = kafka.producer();
      await plain.connect();
      await plain.send({ topic, messages: [{ value: 'before' }] }); // 0
      const producer = await transactional(kafka, 'holder');
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ value: 'open' }] }); // 1
      await plain.send({ topic, messages: [{ value: 'after' }] }); // 2
      // Admin offsets are read_committed: the end is the first offset of the open transaction.
      expect(await stableEnd(kafka, topic)).toBe('1');
      expect((await ends(target.port, topic)).high).toBe(3n);
      // A read_committed consumer sees only what precedes the open transaction.
      expect((await consumeAll(kafka, topic, 1)).map((m) => m.value)).toEqual(['before']);
      await expect(consumeAll(kafka, topic, 2, { timeoutMs: 1500 })).rejects.toThrow(/consumed 1 of 2/);
      await txn.commit();
      expect(await stableEnd(kafka, topic)).toBe('4');
      expect((await consumeAll(kafka, topic, 3)).map((m) => m.value)).toEqual(['before', 'open', 'after']);
      await producer.disconnect();
      await plain.disconnect();
    });

    it('lets a consumer move past an aborted tail', async () => {
      const topic = await newTopicHere();
      const producer = await transactional(kafka, 'tail');
      const ok = await producer.transaction();
      await ok.send({ topic, messages: [{ value: 'kept' }] });
      await ok.commit(); // 0, marker 1
      for (let i = 0; i < 3; i++) {
        const txn = await producer.transaction();
        await txn.send({ topic, messages: [{ value: `dropped-${i}` }, { value: `dropped-${i}b` }] });
        await txn.abort();
      }
      // Kafka writes the last abort marker just after EndTxn answers: wait for it.
      await untilEnds(target.port, topic, { high: 11n, stable: 11n });
      const consumer = kafka.consumer({ groupId: 'tail-group', maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      // The fetch holding only aborted records and markers must move the position to the end.
      let reachedEnd!: () => void;
      const atEnd = new Promise<void>((resolve) => (reachedEnd = resolve));
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        if (e.payload.lastOffset === '10') reachedEnd();
      });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await atEnd;
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ value: 'after' }] });
      await txn.commit(); // 11, marker 12
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      let committed = '';
      for (let i = 0; i < 100 && committed !== '12'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        committed = (await admin.fetchOffsets({ groupId: 'tail-group', topics: [topic] }))[0]!.partitions[0]!
          .offset;
      }
      await consumer.disconnect();
      await admin.disconnect();
      expect(seen).toEqual(['kept', 'after']);
      expect(committed).toBe('12');
    });
  });

  describe('fencing and timeouts', () => {
    it('a second producer with the same transactional id fences the first and aborts its transaction', async () => {
      const topic = await newTopicHere();
      const zombie = await transactional(kafka, 'fenced-id');
      const zombieTxn = await zombie.transaction();
      await zombieTxn.send({ topic, messages: [{ value: 'zombie' }] });

      // KafkaJS asks for its producer id when the first transaction begins: that fences the zombie.
      const successor = await transactional(kafka, 'fenced-id');
      const txn = await successor.transaction();
      await expect(zombieTxn.send({ topic, messages: [{ value: 'zombie-2' }] })).rejects.toThrow(/epoch/i);
      await expect(zombieTxn.commit()).rejects.toThrow();
      await txn.send({ topic, messages: [{ value: 'successor' }] });
      await txn.commit();
      expect((await consumeAll(kafka, topic, 1)).map((m) => m.value)).toEqual(['successor']);
      const { high, stable } = await ends(target.port, topic);
      expect(stable).toBe(high);
      await successor.disconnect();
      await zombie.disconnect().catch(() => {});
    });

    it('aborts a transaction left open past its timeout', async () => {
      const topic = await newTopicHere();
      const idle = await transactional(kafka, 'idle-id', 1000);
      const txn = await idle.transaction();
      await txn.send({ topic, messages: [{ value: 'abandoned' }] });
      expect((await ends(target.port, topic)).stable).toBe(0n);
      // The abort marker moves the last stable offset past the abandoned record.
      let after = await ends(target.port, topic);
      for (let i = 0; i < 100 && after.stable === 0n; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await ends(target.port, topic);
      }
      expect(after).toEqual({ high: 2n, stable: 2n });
      await expect(txn.commit()).rejects.toThrow();
      const everything = await consumeAll(kafka, topic, 1, { readUncommitted: true });
      expect(everything.map((m) => m.value)).toEqual(['abandoned']);
      const plain = kafka.producer();
      await plain.connect();
      await plain.send({ topic, messages: [{ value: 'later' }] });
      await plain.disconnect();
      expect((await consumeAll(kafka, topic, 1)).map((m) => m.value)).toEqual(['later']);
      await idle.disconnect().catch(() => {});
    });

    it('refuses transactional writes outside an open transaction, with Kafka codes', async () => {
      const topic = await newTopicHere();
      const client = await RawClient.connect(target.port);
      const { producerId, producerEpoch } = await initTransactional(client, 'raw-txn');
      const records = await encodeBatch({
        records: [{ key: null, value: Buffer.from('x') }],
        producerId,
        producerEpoch,
        baseSequence: 0,
        attributes: 0x10,
      });
      const response = await client.request(Produce, 7, {
        transactionalId: 'raw-txn',
        acks: -1,
        timeoutMs: 1000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
      });
      expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
      const tooLong = await client.request(InitProducerId, 1, {
        transactionalId: 'raw-txn',
        transactionTimeoutMs: 10_000_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      expect(tooLong.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
      client.close();
    });
  });
});

// Embedded only: the fault hook drops one produce response after the append, which no real
// broker can be made to do on cue. The raw sequence checks stay here too: a Kafka 4.4 node started seconds before accepted a gap
// and a duplicate from a new idempotent producer in every run of this file, while one up for
// minutes refused them as the embedded broker does; until that is understood it is listed in
// broker-vs-kafka.md rather than asserted on Kafka.
describe('embedded broker: idempotent producer retries', () => {
  let t: TestBroker;
  let kafka: Kafka;
  beforeAll(async () => {
    t = await startTestBroker();
    kafka = t.kafka('txn-test');
  });
  afterAll(() => t.stop());

  it('a produce whose response never arrives is retried without a duplicate', async () => {
    const topic = await newTopic(kafka, t.broker.port);
    let intercepted = 0;
    t.broker.faults.add({
      apiKey: Produce.key,
      action: 'close-after',
      match: (request) => {
        const produce = request as RequestOf<typeof Produce>;
        const hit = produce.topicData.some((d) => d.name === topic);
        if (hit) intercepted++;
        return hit;
      },
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [result] = await producer.send({ topic, messages: [{ value: 'once' }, { value: 'only' }] });
    await producer.send({ topic, messages: [{ value: 'then' }] });
    await producer.disconnect();
    expect(intercepted).toBe(1);
    expect(t.broker.faults.pending).toBe(0);
    expect(result!.baseOffset).toBe('0');
    const messages = await consumeAll(kafka, topic, 3);
    expect(messages.map((m) => `${m.offset}:${m.value}`)).toEqual(['0:once', '1:only', '2:then']);
    expect(await stableEnd(kafka, topic)).toBe('3');
  });
  it('answers a sequence gap with 45 and a stale epoch with 47', async () => {
    const topic = await newTopic(kafka, t.broker.port);
    const client = await RawClient.connect(t.broker.port);
    const init = (producerId = -1n, producerEpoch = -1) =>
      client.request(InitProducerId, 4, {
        transactionalId: null,
        transactionTimeoutMs: 60000,
        producerId,
        producerEpoch,
      });
    const { producerId, producerEpoch } = await init();
    const produce = async (epoch: number, seq: number) => {
      const records = await encodeBatch({
        records: [{ key: null, value: Buffer.from(`s${seq}`) }],
        producerId,
        producerEpoch: epoch,
        baseSequence: seq,
      });
      const response = await client.request(Produce, 7, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 1000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
      });
      return response.responses[0]!.partitionResponses[0]!;
    };
    expect(await produce(producerEpoch, 0)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await produce(producerEpoch, 1)).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect((await produce(producerEpoch, 5)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(producerEpoch, 1)).toMatchObject({ errorCode: 0, baseOffset: 1n }); // a retry
    const bumped = await init(producerId, producerEpoch);
    expect(bumped).toMatchObject({ errorCode: 0, producerId, producerEpoch: producerEpoch + 1 });
    expect((await produce(bumped.producerEpoch, 3)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(bumped.producerEpoch, 0)).toMatchObject({ errorCode: 0, baseOffset: 2n });
    expect((await produce(producerEpoch, 2)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    client.close();
  });
});
