import type { Admin } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPassingAnswer, isUnknownTopic } from './kafkaErrors.js';

type TopicOffsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/**
 * A topic's offsets (Admin#fetchTopicOffsets), asked again while Kafka answers with an error that
 * passes. KafkaJS 2.2.4 retries only UNKNOWN_TOPIC_OR_PARTITION there and gives up on anything
 * else at once, but Apache Kafka answers NOT_LEADER_OR_FOLLOWER for a moment after a topic is
 * created (metadata names the leader before the leader serves the partition) and while a
 * partition's leadership moves: a kes app started on a new cluster exited on it. (After a leader
 * moves, KafkaJS keeps asking the old one until its metadata ages out; this does not help there,
 * so it gives up after 10 s.)
 */
export async function fetchTopicOffsets(
  admin: Admin,
  topic: string,
  timeoutMs = 60_000,
): Promise<TopicOffsets> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 50; ; pause = Math.min(1000, pause * 2)) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (err) {
      // Only a broker's answer that passes: an unreachable cluster has had KafkaJS's whole retry
      // budget already, and an unknown topic KafkaJS has asked about again itself.
      if (!isPassingAnswer(err) || isUnknownTopic(err) || Date.now() + pause > deadline) throw err;
      await sleep(pause);
    }
  }
}
