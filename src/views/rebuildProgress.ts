import type { Admin } from 'kafkajs';
import { consumerLag } from '../kafka/consumerLag.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { ViewState } from './viewControl.js';
import { generationTopology } from './viewGeneration.js';

/**
 * How far a generation being built has read its sources: for every processor of the generation
 * and every partition of its inputs, its group's committed offset (capped at the end) against
 * the partition's end, summed. An index's input is the generation's own repartition topic, whose
 * end grows while the view feeds it, so `total` may grow during a rebuild.
 */
export interface RebuildProgress {
  /** The generation being built. */
  readonly generation: number;
  readonly consumed: number;
  readonly total: number;
  /** consumed / total, 0..1 (1 when there is nothing to read). */
  readonly fraction: number;
}

/**
 * The progress of generation `generation` of the view made of `processors` (their topology
 * names): committed offsets of the groups `<applicationId>-<processor>.g<n>` against the ends
 * (read_committed: a transactional topic's end includes its last commit marker, which runners
 * commit past once they have fetched it — so a generation that has read everything reaches 1).
 */
export async function rebuildProgress(
  admin: Admin,
  topology: TopologySpec,
  processors: readonly string[],
  generation: number,
): Promise<RebuildProgress> {
  const spec = generationTopology(topology, processors, generation);
  // The generation's own topics are created once an instance starts it: until then, nothing to read.
  const existing = new Set(await admin.listTopics());
  const lags = await consumerLag(
    admin,
    spec.processors
      .map((p) => ({
        processor: p.name,
        group: `${topology.applicationId}-${p.name}`,
        inputs: p.inputs.filter((topic) => existing.has(topic)),
      }))
      // Asked for no topic, a group's offsets are those of every topic it has committed to.
      .filter((subject) => subject.inputs.length > 0),
  );
  let consumed = 0;
  let total = 0;
  for (const { committed, end } of lags) {
    consumed += Math.min(end, committed);
    total += end;
  }
  return { generation, consumed, total, fraction: total === 0 ? 1 : consumed / total };
}

/** The progress of the view's rebuild under way, or null when none is. */
export async function viewRebuildProgress(
  admin: Admin,
  topology: TopologySpec,
  processors: readonly string[],
  state: ViewState,
): Promise<RebuildProgress | null> {
  return state.building === null ? null : rebuildProgress(admin, topology, processors, state.building);
}
