/**
 * The declarative shape of a kes application: every topic it uses and every processor that reads
 * and writes them, with their stores. `kes topology apply` creates the topics, `kes topology
 * describe` prints it (with a Mermaid diagram), and the runtime takes its processors from it.
 */

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** What the record key is (e.g. "product id"), for people reading the topology. */
  readonly key: string;
  readonly cleanupPolicy: CleanupPolicy;
  /** Other topic configs, by Kafka name (retention.ms, ...). */
  readonly configs: Readonly<Record<string, string>>;
  /** Wanted replication; clamped to the cluster's broker count when it has fewer. */
  readonly replicationFactor: number;
  readonly description: string;
}

export interface StoreSpec {
  readonly name: string;
  /** The compacted topic the store is restored from. */
  readonly changelog: string;
  readonly description: string;
}

export type ProcessorKind = 'command-handler' | 'policy' | 'repartition' | 'view';

export interface ProcessorSpec {
  readonly name: string;
  readonly kind: ProcessorKind;
  readonly inputs: readonly string[];
  readonly stores: readonly StoreSpec[];
  readonly outputs: readonly string[];
  readonly description: string;
}

export interface TopologySpec {
  /** Prefix of consumer groups and transactional ids. */
  readonly applicationId: string;
  readonly topics: readonly TopicSpec[];
  readonly processors: readonly ProcessorSpec[];
}

/** Kafka's topic configs for a spec: the cleanup policy plus its own configs. */
export function topicConfigs(topic: TopicSpec): Record<string, string> {
  return { 'cleanup.policy': topic.cleanupPolicy, ...topic.configs };
}

/**
 * Checks that the topology is consistent: unique names, every processor's topics and changelogs
 * declared, changelogs compacted, and the inputs of each processor co-partitioned (same partition
 * count), since a task owns one partition number of all its inputs. Returns the problems found.
 */
export function checkTopology(topology: TopologySpec): string[] {
  const problems: string[] = [];
  const topics = new Map(topology.topics.map((t) => [t.name, t]));
  if (topics.size !== topology.topics.length) problems.push('topic names are not unique');
  const processorNames = new Set(topology.processors.map((p) => p.name));
  if (processorNames.size !== topology.processors.length) problems.push('processor names are not unique');
  for (const topic of topology.topics) {
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1) {
      problems.push(`topic ${topic.name}: partitions must be a positive integer`);
    }
  }
  for (const processor of topology.processors) {
    const used = [...processor.inputs, ...processor.outputs, ...processor.stores.map((s) => s.changelog)];
    for (const name of used) {
      if (!topics.has(name)) problems.push(`processor ${processor.name}: topic ${name} is not declared`);
    }
    for (const store of processor.stores) {
      const changelog = topics.get(store.changelog);
      if (changelog && changelog.cleanupPolicy === 'delete') {
        problems.push(`store ${store.name}: changelog ${store.changelog} must be compacted`);
      }
    }
    const counts = new Set(processor.inputs.map((name) => topics.get(name)?.partitions));
    if (counts.size > 1) {
      problems.push(
        `processor ${processor.name}: its inputs must have the same partition count (co-partitioning)`,
      );
    }
    for (const store of processor.stores) {
      const changelog = topics.get(store.changelog);
      const inputPartitions = topics.get(processor.inputs[0] ?? '')?.partitions;
      if (changelog && inputPartitions !== undefined && changelog.partitions !== inputPartitions) {
        problems.push(
          `store ${store.name}: changelog ${store.changelog} must have as many partitions as the inputs`,
        );
      }
    }
  }
  return problems;
}
