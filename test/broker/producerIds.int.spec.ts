import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src/broker/protocol/api.js';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { AddPartitionsToTxn } from '../../src/broker/protocol/messages/addPartitionsToTxn.js';
import { EndTxn } from '../../src/broker/protocol/messages/endTxn.js';
import { InitProducerId } from '../../src/broker/protocol/messages/initProducerId.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { encodeBatch } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';
import { newTopic, stableEnd } from '../support/transactionalClients.js';
import { initTransactional, whileLoading } from '../support/transactionRequests.js';

/**
 * Producer ids, epochs and sequences on the wire, with the same assertions on the embedded broker
 * and on Kafka: the transaction coordinator's edge cases, transactional writes outside a
 * transaction, and the idempotent producer's sequence checks. Raw requests, because the clients
 * never send what these tests need (a gap, a stale epoch, a producer id of another).
 */

forEachBroker('producer ids, epochs and sequences', {}, (target: BrokerTarget) => {
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

  describe('transactional writes', () => {
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

  describe('idempotent producer, raw', () => {
    /**
     * InitProducerId without a transactional id. Kafka answers the first one on a new node with
     * COORDINATOR_LOAD_IN_PROGRESS and no producer id while it fetches a block of ids from the
     * controller (RPCProducerIdManager); clients retry it, and so does this.
     */
    const initIdempotent = (client: RawClient, producerId = -1n, producerEpoch = -1) =>
      whileLoading(() =>
        client.request(InitProducerId, 4, {
          transactionalId: null,
          transactionTimeoutMs: 60000,
          producerId,
          producerEpoch,
        }),
      );

    it('gives every InitProducerId without a transactional id a new producer id at epoch 0', async () => {
      const client = await RawClient.connect(target.port);
      const first = await initIdempotent(client);
      expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 });
      expect(first.producerId).toBeGreaterThanOrEqual(0n);
      // Naming the current id and epoch (KIP-360) bumps nothing: an idempotent producer bumps
      // its epoch itself.
      const second = await initIdempotent(client, first.producerId, first.producerEpoch);
      expect(second).toMatchObject({ errorCode: 0, producerEpoch: 0 });
      expect(second.producerId).not.toBe(first.producerId);
      const empty = await client.request(InitProducerId, 4, {
        transactionalId: '',
        transactionTimeoutMs: 60000,
        producerId: -1n,
        producerEpoch: -1,
      });
      expect(empty).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, producerId: -1n });
      client.close();
    });

    it('answers a sequence gap with 45, a duplicate with its first offsets, and a stale epoch with 47', async () => {
      const topic = await newTopicHere();
      const client = await RawClient.connect(target.port);
      const { errorCode, producerId, producerEpoch } = await initIdempotent(client);
      expect(errorCode).toBe(0);
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
      // The producer bumps its own epoch (KIP-360): a new epoch starts its sequences at 0.
      const bumped = producerEpoch + 1;
      expect((await produce(bumped, 3)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(await produce(bumped, 0)).toMatchObject({ errorCode: 0, baseOffset: 2n });
      expect((await produce(producerEpoch, 2)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
      // Only the accepted batches are in the log.
      const values = await consumeAll(kafka, topic, 3, { readUncommitted: true });
      expect(values.map((m) => `${m.offset}:${m.value}`)).toEqual(['0:s0', '1:s1', '2:s0']);
      client.close();
    });
  });
});

// Embedded only: the fault hook drops one produce response after the append, which no real
// broker can be made to do on cue.
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
});
