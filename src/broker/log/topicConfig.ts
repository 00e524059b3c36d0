/**
 * Topic-level configs: the names Kafka accepts, their defaults (LogConfig.java) and the broker
 * config each one falls back to. Values are kept as the strings clients send and describe; the
 * log reads them through `resolveTopicConfig`, which parses them once.
 * https://kafka.apache.org/documentation/#topicconfigs
 */

type Kind = 'long' | 'int' | 'double' | 'boolean' | 'string' | 'list';

interface ConfigDef {
  readonly kind: Kind;
  readonly default: string;
  /** The broker config a topic inherits this one from (for DescribeConfigs synonyms). */
  readonly broker: string;
  /** Returns an error message for an invalid value. */
  readonly check?: (value: string) => string | undefined;
  /** Accepted and described, but with a single node it changes nothing. */
  readonly inert?: boolean;
  /**
   * False where Kafka lists no default among the synonyms: the broker config has no default of
   * its own (log.retention.ms is null and falls back to log.retention.hours) or does not exist.
   */
  readonly defaultSynonym?: false;
}

const LONG_MAX = '9223372036854775807';

const oneOf =
  (...allowed: string[]) =>
  (value: string) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;

const atLeast = (min: number) => (value: string) =>
  Number(value) >= min ? undefined : `must be at least ${min}`;

export const TOPIC_CONFIGS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': {
    kind: 'list',
    default: 'delete',
    broker: 'log.cleanup.policy',
    check: (v) =>
      v.split(',').every((p) => ['delete', 'compact'].includes(p.trim()))
        ? undefined
        : 'must be a list of delete and compact',
  },
  'compression.type': {
    kind: 'string',
    default: 'producer',
    broker: 'compression.type',
    // Recompressing on the broker is not implemented: say so rather than ignore the setting.
    check: (v) => (v === 'producer' ? undefined : 'only "producer" is supported by this broker'),
  },
  'delete.retention.ms': {
    kind: 'long',
    default: '86400000',
    broker: 'log.cleaner.delete.retention.ms',
    check: atLeast(0),
  },
  'file.delete.delay.ms': {
    kind: 'long',
    default: '60000',
    broker: 'log.segment.delete.delay.ms',
    inert: true,
  },
  'flush.messages': {
    kind: 'long',
    default: LONG_MAX,
    broker: 'log.flush.interval.messages',
    check: atLeast(1),
  },
  'flush.ms': {
    kind: 'long',
    default: LONG_MAX,
    broker: 'log.flush.interval.ms',
    check: atLeast(0),
    defaultSynonym: false,
  },
  'follower.replication.throttled.replicas': {
    kind: 'list',
    default: '',
    broker: 'follower.replication.throttled.replicas',
    inert: true,
    defaultSynonym: false,
  },
  'index.interval.bytes': {
    kind: 'int',
    default: '4096',
    broker: 'log.index.interval.bytes',
    check: atLeast(0),
  },
  'leader.replication.throttled.replicas': {
    kind: 'list',
    default: '',
    broker: 'leader.replication.throttled.replicas',
    inert: true,
    defaultSynonym: false,
  },
  'max.compaction.lag.ms': {
    kind: 'long',
    default: LONG_MAX,
    broker: 'log.cleaner.max.compaction.lag.ms',
    check: atLeast(1),
  },
  'max.message.bytes': { kind: 'int', default: '1048588', broker: 'message.max.bytes', check: atLeast(0) },
  'message.timestamp.after.max.ms': {
    kind: 'long',
    // Kafka 4.0 lowered it from Long.MAX_VALUE to one hour: records stamped later are refused.
    default: '3600000',
    broker: 'log.message.timestamp.after.max.ms',
    check: atLeast(0),
  },
  'message.timestamp.before.max.ms': {
    kind: 'long',
    default: LONG_MAX,
    broker: 'log.message.timestamp.before.max.ms',
    check: atLeast(0),
  },
  'message.timestamp.type': {
    kind: 'string',
    default: 'CreateTime',
    broker: 'log.message.timestamp.type',
    check: oneOf('CreateTime', 'LogAppendTime'),
  },
  'min.cleanable.dirty.ratio': {
    kind: 'double',
    default: '0.5',
    broker: 'log.cleaner.min.cleanable.ratio',
    check: (v) => (Number(v) >= 0 && Number(v) <= 1 ? undefined : 'must be between 0 and 1'),
  },
  'min.compaction.lag.ms': {
    kind: 'long',
    default: '0',
    broker: 'log.cleaner.min.compaction.lag.ms',
    check: atLeast(0),
  },
  'min.insync.replicas': { kind: 'int', default: '1', broker: 'min.insync.replicas', check: atLeast(1) },
  preallocate: { kind: 'boolean', default: 'false', broker: 'log.preallocate', inert: true },
  'retention.bytes': { kind: 'long', default: '-1', broker: 'log.retention.bytes' },
  'retention.ms': {
    kind: 'long',
    default: '604800000',
    broker: 'log.retention.ms',
    check: atLeast(-1),
    defaultSynonym: false,
  },
  'segment.bytes': { kind: 'int', default: '1073741824', broker: 'log.segment.bytes', check: atLeast(14) },
  'segment.index.bytes': {
    kind: 'int',
    default: '10485760',
    broker: 'log.index.size.max.bytes',
    inert: true,
  },
  'segment.jitter.ms': {
    kind: 'long',
    default: '0',
    broker: 'log.roll.jitter.ms',
    inert: true,
    defaultSynonym: false,
  },
  'segment.ms': {
    kind: 'long',
    default: '604800000',
    broker: 'log.roll.ms',
    check: atLeast(1),
    defaultSynonym: false,
  },
  'unclean.leader.election.enable': {
    kind: 'boolean',
    default: 'false',
    broker: 'unclean.leader.election.enable',
    inert: true,
  },
};

export type TopicConfigValues = Readonly<Record<string, string>>;

/** Checks one name/value pair; returns an error message or undefined. */
export function checkTopicConfig(name: string, value: string | null): string | undefined {
  const def = TOPIC_CONFIGS[name];
  if (!def) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic config ${name}`;
  const why = checkKind(def.kind, value) ?? def.check?.(value);
  return why ? `Invalid value ${value} for configuration ${name}: ${why}` : undefined;
}

function checkKind(kind: Kind, value: string): string | undefined {
  switch (kind) {
    case 'long':
    case 'int':
      return /^-?\d+$/.test(value.trim()) ? undefined : `not a number`;
    case 'double':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : 'not a number';
    case 'boolean':
      return ['true', 'false'].includes(value.trim().toLowerCase()) ? undefined : 'not a boolean';
    default:
      return undefined;
  }
}

/** The parsed configs the log acts on. Longs at Kafka's maximum mean "never". */
export interface TopicConfig {
  readonly compact: boolean;
  readonly delete: boolean;
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly maxMessageBytes: number;
  readonly logAppendTime: boolean;
  readonly timestampBeforeMaxMs: number;
  readonly timestampAfterMaxMs: number;
  readonly flushMessages: number;
  readonly flushMs: number;
  readonly indexIntervalBytes: number;
  readonly minInsyncReplicas: number;
  readonly deleteRetentionMs: number;
  readonly minCompactionLagMs: number;
  readonly maxCompactionLagMs: number;
  readonly minCleanableDirtyRatio: number;
}

/** Effective value of a config: the topic's own, else the broker's default, else Kafka's. */
export function effectiveValue(name: string, topic: TopicConfigValues, broker: TopicConfigValues): string {
  return topic[name] ?? broker[name] ?? TOPIC_CONFIGS[name]!.default;
}

export function resolveTopicConfig(topic: TopicConfigValues, broker: TopicConfigValues): TopicConfig {
  const get = (name: string) => effectiveValue(name, topic, broker);
  // Numbers beyond 2^53 only ever mean "unbounded" here; Number() keeps them huge.
  const num = (name: string) => Number(get(name));
  const policy = get('cleanup.policy')
    .split(',')
    .map((p) => p.trim());
  const compact = policy.includes('compact');
  return {
    compact,
    delete: policy.includes('delete'),
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    segmentBytes: num('segment.bytes'),
    // The active segment is never compacted, so a compacted log rolls by max.compaction.lag.ms too
    // (LogConfig.maxSegmentMs), or that bound could not hold.
    segmentMs: compact ? Math.min(num('segment.ms'), num('max.compaction.lag.ms')) : num('segment.ms'),
    maxMessageBytes: num('max.message.bytes'),
    logAppendTime: get('message.timestamp.type') === 'LogAppendTime',
    timestampBeforeMaxMs: num('message.timestamp.before.max.ms'),
    timestampAfterMaxMs: num('message.timestamp.after.max.ms'),
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    indexIntervalBytes: num('index.interval.bytes'),
    minInsyncReplicas: num('min.insync.replicas'),
    deleteRetentionMs: num('delete.retention.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    maxCompactionLagMs: num('max.compaction.lag.ms'),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
  };
}
