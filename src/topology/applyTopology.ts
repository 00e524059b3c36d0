import type { Admin } from 'kafkajs';
import { checkTopology, type TopicSpec, type TopologySpec, topicConfigs } from './topologySpec.js';

/**
 * Makes a Kafka cluster match the topology, idempotently: creates missing topics, sets the
 * declared configs on existing ones, and never changes a partition count silently — a topic with
 * fewer partitions than declared is only grown with `allowPartitionIncrease` (growing moves keys
 * to other partitions, which breaks per-aggregate order in an event store), and one with more is
 * refused. Everything is planned first; if anything is refused, nothing is changed.
 */

export interface ApplyOptions {
  /** Replication factor for new topics; default: the declared one, clamped to the broker count. */
  readonly replicationFactor?: number;
  readonly allowPartitionIncrease?: boolean;
  /** Plan only. */
  readonly dryRun?: boolean;
  /** How long new topics may take to have leaders. Default 60 s. */
  readonly leaderTimeoutMs?: number;
}

export interface TopologyPlan {
  readonly create: {
    topic: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
  }[];
  readonly alterConfigs: { topic: string; from: Record<string, string>; to: Record<string, string> }[];
  readonly addPartitions: { topic: string; from: number; to: number }[];
  readonly unchanged: string[];
  readonly refused: string[];
}

const CONFIG_SOURCE_TOPIC = 1;
// KafkaJS's TOPIC_RESOURCE; named imports of it fail under Node's ESM loader.
const TOPIC_RESOURCE = 2;

export async function planTopology(
  admin: Admin,
  topology: TopologySpec,
  options: ApplyOptions = {},
): Promise<TopologyPlan> {
  const problems = checkTopology(topology);
  if (problems.length > 0) throw new Error(`invalid topology:\n  ${problems.join('\n  ')}`);
  const brokers = (await admin.describeCluster()).brokers.length;
  const existing = new Set(await admin.listTopics());
  const plan: TopologyPlan = { create: [], alterConfigs: [], addPartitions: [], unchanged: [], refused: [] };
  const present = topology.topics.filter((t) => existing.has(t.name));
  for (const topic of topology.topics.filter((t) => !existing.has(t.name))) {
    plan.create.push({
      topic: topic.name,
      partitions: topic.partitions,
      replicationFactor: options.replicationFactor ?? Math.min(topic.replicationFactor, brokers),
      configs: topicConfigs(topic),
    });
  }
  if (present.length === 0) return plan;
  const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const partitionCounts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((t) => ({ type: TOPIC_RESOURCE, name: t.name })),
  });
  const overrides = new Map(
    described.resources.map((r) => [
      r.resourceName,
      Object.fromEntries(
        r.configEntries
          .filter((e) => (e as { configSource?: number }).configSource === CONFIG_SOURCE_TOPIC)
          .map((e) => [e.configName, e.configValue]),
      ),
    ]),
  );
  for (const topic of present) {
    let changed = false;
    const count = partitionCounts.get(topic.name)!;
    if (count !== topic.partitions) {
      changed = true;
      if (count > topic.partitions) {
        plan.refused.push(
          `${topic.name}: has ${count} partitions, more than the ${topic.partitions} declared; partitions cannot be removed`,
        );
      } else if (!options.allowPartitionIncrease) {
        plan.refused.push(
          `${topic.name}: has ${count} partitions, ${topic.partitions} declared; growing it moves keys to other partitions (use --allow-partition-increase to do it anyway)`,
        );
      } else {
        plan.addPartitions.push({ topic: topic.name, from: count, to: topic.partitions });
      }
    }
    const from = overrides.get(topic.name) ?? {};
    const to = topicConfigs(topic);
    if (!sameConfigs(from, to, topic)) {
      changed = true;
      plan.alterConfigs.push({ topic: topic.name, from, to });
    }
    if (!changed) plan.unchanged.push(topic.name);
  }
  return plan;
}

/** Declared configs equal the topic's own; cleanup.policy=delete may be left at its default. */
function sameConfigs(
  actual: Record<string, string>,
  declared: Record<string, string>,
  topic: TopicSpec,
): boolean {
  const normalise = (c: Record<string, string>) => {
    const copy = { ...c };
    if (topic.cleanupPolicy === 'delete' && copy['cleanup.policy'] === undefined)
      copy['cleanup.policy'] = 'delete';
    return JSON.stringify(Object.entries(copy).sort(([a], [b]) => a.localeCompare(b)));
  };
  return normalise(actual) === normalise(declared);
}

/**
 * Waits until every partition of the topics has a leader. Kafka answers CreateTopics before the
 * new partitions serve: for a moment metadata says UNKNOWN_TOPIC_OR_PARTITION or
 * LEADER_NOT_AVAILABLE, and KafkaJS's own wait (`waitForLeaders`) gives up on the first.
 */
async function untilLed(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let waiting: string;
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = metadata.topics.filter((t) => t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) return;
      waiting = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (err) {
      const { retriable, message } = err as { retriable?: boolean; message: string };
      if (retriable === false) throw err;
      waiting = message;
    }
    if (Date.now() > deadline)
      throw new Error(`created topics not served within ${timeoutMs} ms: ${waiting}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Plans, then (unless refused or a dry run) carries out the plan. Returns the plan. */
export async function applyTopology(
  admin: Admin,
  topology: TopologySpec,
  options: ApplyOptions = {},
): Promise<TopologyPlan> {
  const plan = await planTopology(admin, topology, options);
  if (options.dryRun || plan.refused.length > 0) return plan;
  if (plan.create.length > 0) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: plan.create.map((c) => ({
        topic: c.topic,
        numPartitions: c.partitions,
        replicationFactor: c.replicationFactor,
        configEntries: Object.entries(c.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await untilLed(
      admin,
      plan.create.map((c) => c.topic),
      options.leaderTimeoutMs ?? 60_000,
    );
  }
  if (plan.addPartitions.length > 0) {
    await admin.createPartitions({
      topicPartitions: plan.addPartitions.map((p) => ({ topic: p.topic, count: p.to })),
    });
  }
  if (plan.alterConfigs.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: plan.alterConfigs.map((a) => ({
        type: TOPIC_RESOURCE,
        name: a.topic,
        configEntries: Object.entries(a.to).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  return plan;
}

/** The plan as lines for people. */
export function formatPlan(plan: TopologyPlan, dryRun = false): string {
  const verb = (done: string, planned: string) => (dryRun ? planned : done);
  const lines: string[] = [];
  for (const c of plan.create) {
    lines.push(
      `${verb('created', 'would create')} ${c.topic} (${c.partitions} partitions, replication ${c.replicationFactor})`,
    );
  }
  for (const p of plan.addPartitions)
    lines.push(`${verb('grew', 'would grow')} ${p.topic} from ${p.from} to ${p.to} partitions`);
  for (const a of plan.alterConfigs) {
    lines.push(
      `${verb('set configs of', 'would set configs of')} ${a.topic}: ${JSON.stringify(a.from)} -> ${JSON.stringify(a.to)}`,
    );
  }
  if (plan.unchanged.length > 0) lines.push(`unchanged: ${plan.unchanged.length} topics`);
  for (const r of plan.refused) lines.push(`refused: ${r}`);
  if (plan.refused.length > 0) lines.push('nothing was changed');
  return lines.join('\n');
}
