import type { Admin } from 'kafkajs';
import type { TopologySpec } from '../topology/topologySpec.js';

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

/**
 * The lag of every processor of the topology, per input partition: its group's committed offset
 * against the partition's end. A transactional input's end includes the last commit marker, which
 * is never consumed, so a caught-up group may show a lag of 1 until it commits past it.
 */
export async function consumerLag(admin: Admin, topology: TopologySpec): Promise<PartitionLag[]> {
  const lags: PartitionLag[] = [];
  const ends = new Map<string, Map<number, number>>();
  for (const spec of topology.processors) {
    const group = `${topology.applicationId}-${spec.name}`;
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...spec.inputs] });
    for (const { topic, partitions } of committed) {
      if (!ends.has(topic)) {
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
      for (const { partition, offset } of partitions) {
        const end = ends.get(topic)!.get(partition) ?? 0;
        const at = Math.max(0, Number(offset));
        lags.push({
          processor: spec.name,
          group,
          topic,
          partition,
          committed: at,
          end,
          lag: Math.max(0, end - at),
        });
      }
    }
  }
  return lags;
}
