/**
 * A consume-transform-produce loop with KafkaJS transactions, run as a child process by
 * test/broker/consumeTransformProduce.e2e.spec.ts so that it can be killed with SIGKILL.
 *
 * For each chunk of input records: begin a transaction, produce one output per input, send the
 * consumer offsets to the transaction, then commit — except every third chunk, which is aborted
 * and read again. Prints one JSON line per transaction outcome.
 *
 * usage: transformer.ts <bootstrap> <inputTopic> <outputTopic> <groupId> <transactionalId> <chunkSize>
 */
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../../../src/kafka/kafkaJsFixes.js';
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, input, output, groupId, transactionalId, chunkArg] = process.argv.slice(2);
if (!bootstrap || !input || !output || !groupId || !transactionalId || !chunkArg) {
  throw new Error(
    'usage: transformer.ts <bootstrap> <input> <output> <groupId> <transactionalId> <chunkSize>',
  );
}
const chunkSize = Number(chunkArg);

const kafka = new Kafka({ clientId: 'transformer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
const consumer = kafka.consumer({
  groupId,
  maxWaitTimeInMs: 100,
  sessionTimeout: 6000,
  heartbeatInterval: 500,
});
await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic: input, fromBeginning: true });

let transactions = 0;
const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

await consumer.run({
  autoCommit: false,
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize);
      const last = chunk.at(-1)!.offset;
      const abort = ++transactions % 3 === 0;
      const txn = await producer.transaction();
      await txn.send({
        topic: output,
        messages: chunk.map((m) => ({
          key: `${batch.partition}:${m.offset}`,
          value: `out-${m.value!.toString()}`,
        })),
      });
      await txn.sendOffsets({
        consumerGroupId: groupId,
        topics: [
          { topic: input, partitions: [{ partition: batch.partition, offset: String(Number(last) + 1) }] },
        ],
      });
      if (abort) {
        await txn.abort();
        print({ aborted: chunk.length, partition: batch.partition, from: chunk[0]!.offset });
        // Read the chunk again: the next fetch starts at its first offset.
        consumer.seek({ topic: input, partition: batch.partition, offset: chunk[0]!.offset });
        return;
      }
      await txn.commit();
      resolveOffset(last);
      print({ committed: chunk.length, partition: batch.partition, through: last });
      await heartbeat();
    }
  },
});
