import type { TopologySpec } from '../topology/topologySpec.js';
import type { LagSubject } from '../kafka/consumerLag.js';

export { consumerLag, type LagSubject, type PartitionLag } from '../kafka/consumerLag.js';

/** The processors of a topology, as their groups are named. */
export function topologySubjects(topology: TopologySpec): LagSubject[] {
  return topology.processors.map((p) => ({
    processor: p.name,
    group: `${topology.applicationId}-${p.name}`,
    inputs: p.inputs,
  }));
}
