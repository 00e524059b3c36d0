import type { Kafka } from 'kafkajs';

export type Change = readonly [key: string, value: string | null];

/** Creates a compacted topic, as changelog topics are. */
export async function createChangelogTopic(kafka: Kafka, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
  } finally {
    await admin.disconnect();
  }
}

/** Appends the changes to one partition, `perRequest` at a time; resolves with the end offset. */
export async function appendChanges(
  kafka: Kafka,
  topic: string,
  partition: number,
  changes: readonly Change[],
  perRequest = 100,
): Promise<bigint> {
  const producer = kafka.producer();
  await producer.connect();
  let end = 0n;
  try {
    for (let i = 0; i < changes.length; i += perRequest) {
      const [meta] = await producer.send({
        topic,
        messages: changes.slice(i, i + perRequest).map(([key, value]) => ({ key, value, partition })),
      });
      end = BigInt(meta!.baseOffset!) + BigInt(Math.min(perRequest, changes.length - i));
    }
  } finally {
    await producer.disconnect();
  }
  return end;
}

/** What a store restored from these changes must hold: the last value of every key not deleted. */
export function finalState(changes: readonly Change[]): Record<string, string> {
  const state = new Map<string, string>();
  for (const [key, value] of changes) {
    if (value === null) state.delete(key);
    else state.set(key, value);
  }
  return Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `count` changes over `keys` keys, every `deleteEvery`-th one a tombstone. */
export function someChanges(count: number, keys: number, deleteEvery = 0, tag = 'v'): Change[] {
  return Array.from({ length: count }, (_, i): Change => [
    `key-${i % keys}`,
    deleteEvery > 0 && i % deleteEvery === deleteEvery - 1 ? null : `${tag}${i}`,
  ]);
}
