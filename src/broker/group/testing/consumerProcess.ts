/**
 * A KafkaJS group consumer in a process of its own, for tests that kill it with SIGKILL (a
 * member that vanishes without LeaveGroup). Arguments: bootstrap, group id, topic. Prints one JSON
 * line per event: {"event":"join","assignment":{...}} and {"event":"message","partition":n}.
 */
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../../../kafka/kafkaJsFixes.js';
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, groupId, topic] = process.argv.slice(2);
if (!bootstrap || !groupId || !topic) throw new Error('usage: consumerProcess <bootstrap> <group> <topic>');

const kafka = new Kafka({ clientId: 'child-consumer', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({
  groupId,
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  rebalanceTimeout: 10_000,
  maxWaitTimeInMs: 100,
});
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  console.log(
    JSON.stringify({ event: 'join', memberId: payload.memberId, assignment: payload.memberAssignment }),
  );
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    console.log(JSON.stringify({ event: 'message', partition, offset: message.offset }));
  },
});
