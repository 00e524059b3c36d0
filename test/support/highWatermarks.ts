import type { Kafka } from 'kafkajs';
import { RawClient } from './rawClient.js';
import { listOffset } from './wireRequests.js';

/**
 * Each partition's high watermark and last stable offset, asked of its leader with ListOffsets
 * (KafkaJS's admin asks only read_committed, which hides an open transaction's records).
 */
export async function partitionEnds(
  kafka: Kafka,
  topic: string,
): Promise<{ partition: number; high: bigint; stable: bigint }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const ends = [];
    for (const { partitionId, leader } of metadata.topics[0]!.partitions) {
      const broker = brokers.find((b) => b.nodeId === leader);
      if (!broker) continue;
      const client = await RawClient.connect(broker.port, broker.host);
      try {
        const high = (await listOffset(client, topic, -1n, { partition: partitionId, isolationLevel: 0 }))
          .offset;
        const stable = (await listOffset(client, topic, -1n, { partition: partitionId, isolationLevel: 1 }))
          .offset;
        ends.push({ partition: partitionId, high, stable });
      } finally {
        client.close();
      }
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}
