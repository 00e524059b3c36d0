import type { Kafka } from 'kafkajs';
import { beforeAll, expect, it } from 'vitest';
import { AddPartitionsToTxn } from '../../src/broker/protocol/messages/addPartitionsToTxn.js';
import { EndTxn } from '../../src/broker/protocol/messages/endTxn.js';
import { Fetch } from '../../src/broker/protocol/messages/fetch.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import { Attributes, encodeBatch } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { transactional, untilEnds } from '../support/transactionalClients.js';
import { RawClient } from '../support/rawClient.js';
import { initTransactional } from '../support/transactionRequests.js';
import { batchesIn, createTopic, fetchRequest, uniqueTopic } from '../support/wireRequests.js';

/**
 * Two producers' transactions interleaved on one partition, the later-started one aborted first,
 * with the same assertions on the embedded broker and on Kafka.
 *
 * Kafka lists the aborted transactions of a read_committed fetch in the order they were aborted
 * (its transaction index is appended to as ABORT markers are written); the embedded broker does
 * the same. KafkaJS 2.2.4 alone reads that list as if sorted by first offset and delivers p1-a, a
 * record of an aborted transaction; kes replaces its filter (src/kafka/filterAbortedMessages.ts).
 */

/** The aborted transactions a read_committed fetch of partition 0 from `offset` lists. */
async function abortedListed(client: RawClient, topic: string, offset: bigint) {
  const fetched = await client.request(Fetch, 11, fetchRequest(topic, 0, offset, { isolationLevel: 1 }));
  return fetched.responses[0]!.partitions[0]!.abortedTransactions;
}

/** Producer id of the batch at each offset of partition 0, read uncommitted. */
async function producerIds(client: RawClient, topic: string): Promise<Map<bigint, bigint>> {
  const fetched = await client.request(Fetch, 11, fetchRequest(topic, 0, 0n));
  const batches = await batchesIn(fetched.responses[0]!.partitions[0]!.records ?? Buffer.alloc(0));
  return new Map(batches.map(({ header }) => [header.baseOffset, header.producerId]));
}

forEachBroker('aborted transactions', {}, (target: BrokerTarget) => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = target.kafka('aborted-test');
  });
  async function newTopic(): Promise<string> {
    const client = await RawClient.connect(target.port);
    const topic = uniqueTopic('aborted');
    expect(await createTopic(client, topic).finally(() => client.close())).toBe(0);
    return topic;
  }

  it('lists the aborted transactions of a fetch in the order they were aborted, raw', async () => {
    const topic = await newTopic();
    const client = await RawClient.connect(target.port);
    const begin = async (transactionalId: string) => {
      const { producerId, producerEpoch } = await initTransactional(client, transactionalId);
      const added = await client.request(AddPartitionsToTxn, 1, {
        transactionalId,
        producerId,
        producerEpoch,
        topics: [{ name: topic, partitions: [0] }],
      });
      expect(added.results[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(0);
      return { transactionalId, producerId, producerEpoch };
    };
    type Txn = Awaited<ReturnType<typeof begin>>;
    const send = async ({ transactionalId, producerId, producerEpoch }: Txn, value: string) => {
      const records = await encodeBatch({
        records: [{ key: null, value: Buffer.from(value) }],
        producerId,
        producerEpoch,
        baseSequence: 0,
        attributes: Attributes.TRANSACTIONAL,
      });
      const produced = await client.request(Produce, 7, {
        transactionalId,
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
      });
      expect(produced.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    };
    const abort = async (txn: Txn) =>
      expect((await client.request(EndTxn, 1, { ...txn, committed: false })).errorCode).toBe(0);

    const first = await begin('order-1');
    const second = await begin('order-2');
    await send(first, 'p1'); // 0
    await send(second, 'p2'); // 1
    await abort(second); // marker 2
    await untilEnds(target.port, topic, { high: 3n, stable: 0n });
    await abort(first); // marker 3
    await untilEnds(target.port, topic, { high: 4n, stable: 4n });
    expect(await abortedListed(client, topic, 0n)).toEqual([
      { producerId: second.producerId, firstOffset: 1n },
      { producerId: first.producerId, firstOffset: 0n },
    ]);
    // From offset 3 on, only the transaction whose ABORT marker is at 3 overlaps the records sent.
    expect(await abortedListed(client, topic, 3n)).toEqual([
      { producerId: first.producerId, firstOffset: 0n },
    ]);
    client.close();
  });

  it('keeps interleaved transactions apart: a read_committed KafkaJS consumer gets only committed records', async () => {
    const topic = await newTopic();
    const p1 = await transactional(kafka, 'interleave-1');
    const p2 = await transactional(kafka, 'interleave-2');
    const t1 = await p1.transaction();
    const t2 = await p2.transaction();
    await t1.send({ topic, messages: [{ value: 'p1-a' }] }); // 0: starts first...
    await t2.send({ topic, messages: [{ value: 'p2-a' }] }); // 1
    await t2.abort(); // ...but is aborted after this one (marker 2)
    await untilEnds(target.port, topic, { high: 3n, stable: 0n });
    await t1.send({ topic, messages: [{ value: 'p1-b' }] }); // 3
    await t1.abort(); // marker 4
    const t3 = await p2.transaction();
    const t4 = await p1.transaction();
    await t3.send({ topic, messages: [{ value: 'p2-c' }] }); // 5
    await t4.send({ topic, messages: [{ value: 'p1-c' }] }); // 6
    await t3.send({ topic, messages: [{ value: 'p2-d' }] }); // 7
    await t4.commit(); // marker 8
    await t3.commit(); // marker 9
    await p1.disconnect();
    await p2.disconnect();
    // Everything is stable, so each consumer below reads the partition in one fetch, with the
    // aborted list in the order that misleads KafkaJS 2.2.4: p2's transaction first.
    await untilEnds(target.port, topic, { high: 10n, stable: 10n });
    const client = await RawClient.connect(target.port);
    const producerAt = await producerIds(client, topic);
    expect(await abortedListed(client, topic, 0n)).toEqual([
      { producerId: producerAt.get(1n), firstOffset: 1n },
      { producerId: producerAt.get(0n), firstOffset: 0n },
    ]);
    client.close();
    expect(producerAt.get(0n)).not.toBe(producerAt.get(1n));
    const committed = await consumeAll(kafka, topic, 3);
    expect(committed.map((m) => m.value)).toEqual(['p2-c', 'p1-c', 'p2-d']);
    const everything = await consumeAll(kafka, topic, 6, { readUncommitted: true });
    expect(everything.map((m) => m.value)).toEqual(['p1-a', 'p2-a', 'p1-b', 'p2-c', 'p1-c', 'p2-d']);
  });
});
