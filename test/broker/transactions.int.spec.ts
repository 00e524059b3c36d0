import type { Kafka } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { ends, newTopic, stableEnd, transactional, untilEnds } from '../support/transactionalClients.js';

/**
 * Transactions seen by KafkaJS, with the same assertions on the embedded broker and on Kafka:
 * what read_committed and read_uncommitted readers see, the last stable offset, an aborted tail,
 * fencing and the transaction timeout. The wire-level rules of producer ids, epochs and sequences
 * are in producerIds.int.spec.ts.
 */

forEachBroker('transactions with KafkaJS', { transactionAbortIntervalMs: 200 }, (target: BrokerTarget) => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = target.kafka('txn-test');
  });
  const newTopicHere = (partitions = 1) => newTopic(kafka, target.port, partitions);
  describe('visibility and the last stable offset', () => {
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
      // Kafka writes the commit marker just after EndTxn answers.
      await untilEnds(target.port, topic, { high: 4n, stable: 4n });
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
  });
});
