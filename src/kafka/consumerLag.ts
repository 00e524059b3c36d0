import type { Admin } from 'kafkajs';
import { fetchTopicOffsets } from './topicOffsets.js';

/** How far one processor's group is behind on one partition of one input. */
export interface PartitionLag {
  readonly processor: string;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (0 if none). */
  readonly committed: number;
  /** The partition's end as read_committed sees it (the last stable offset). */
  readonly end: number;
  readonly lag: number;
}

/** A processor whose lag is measured: its name, consumer group and input topics. */
export interface LagSubject {
  readonly processor: string;
  readonly group: string;
  readonly inputs: readonly string[];
}

/**
 * The lag of processors per input partition: each group's committed offset against the
 * partition's end (each topic's end read once). A transactional input's end includes the last
 * commit marker; runners commit past it once they have fetched it.
 */
export async function consumerLag(admin: Admin, subjects: readonly LagSubject[]): Promise<PartitionLag[]> {
  const lags: PartitionLag[] = [];
  const ends = new Map<string, Map<number, number>>();
  for (const { processor, group, inputs } of subjects) {
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...inputs] });
    for (const { topic, partitions } of committed) {
      if (!ends.has(topic)) {
        const offsets = await fetchTopicOffsets(admin, topic);
        ends.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
      for (const { partition, offset } of partitions) {
        const end = ends.get(topic)!.get(partition) ?? 0;
        const at = Math.max(0, Number(offset));
        lags.push({ processor, group, topic, partition, committed: at, end, lag: Math.max(0, end - at) });
      }
    }
  }
  return lags;
}
