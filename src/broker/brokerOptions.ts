import pino, { type Logger } from 'pino';
import { checkTopicConfig } from './log/topicConfig.js';

/** Settings of the embedded broker; every field has a default. */
export interface BrokerOptions {
  /** TCP port; 0 picks a free one. Default 9092. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Where topics, offsets and metadata live. Default ./data/broker. */
  dataDir?: string;
  /** This broker's node id. Default 1. */
  nodeId?: number;
  /** Host clients are told to connect to; default: the listen host (127.0.0.1 for 0.0.0.0). */
  advertisedHost?: string;
  /** Port clients are told to connect to; default: the bound port. */
  advertisedPort?: number;
  /** Create unknown topics on Metadata and Produce (auto.create.topics.enable). Default true. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics without a count (num.partitions). Default 1. */
  numPartitions?: number;
  /** Broker-level topic config defaults, e.g. { 'retention.ms': '3600000' }. */
  topicDefaults?: Record<string, string>;
  /** Largest request frame accepted (socket.request.max.bytes). Default 100 MiB. */
  maxRequestBytes?: number;
  /** Idle connections are closed after this (connections.max.idle.ms). Default 10 minutes. */
  connectionsMaxIdleMs?: number;
  /** Delay before the first rebalance of an empty group (group.initial.rebalance.delay.ms). Default 3000. */
  groupInitialRebalanceDelayMs?: number;
  /** group.min.session.timeout.ms. Default 6000. */
  groupMinSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms. Default 1800000. */
  groupMaxSessionTimeoutMs?: number;
  /** How often retention runs (log.retention.check.interval.ms). Default 5 minutes. */
  retentionCheckIntervalMs?: number;
  /** How often active segment indexes are saved, bounding recovery after a crash. Default 60 s. */
  indexCheckpointIntervalMs?: number;
  /** How often the log cleaner looks for compacted partitions due a clean (log.cleaner.backoff.ms). Default 15 s. */
  cleanerIntervalMs?: number;
  /** transaction.max.timeout.ms: longer transaction timeouts are refused. Default 900000. */
  transactionMaxTimeoutMs?: number;
  /** How often transactions past their timeout are aborted. Default 1000. */
  transactionAbortIntervalMs?: number;
  logger?: Logger;
}

export type ResolvedBrokerOptions = Required<Omit<BrokerOptions, 'advertisedHost' | 'advertisedPort'>> &
  Pick<BrokerOptions, 'advertisedHost' | 'advertisedPort'>;

export function defaultLogger(name = 'kes'): Logger {
  return pino({ name, level: process.env.KES_LOG_LEVEL ?? 'info' });
}

export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  const resolved: ResolvedBrokerOptions = {
    port: options.port ?? 9092,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir ?? './data/broker',
    nodeId: options.nodeId ?? 1,
    advertisedHost: options.advertisedHost,
    advertisedPort: options.advertisedPort,
    autoCreateTopics: options.autoCreateTopics ?? true,
    numPartitions: options.numPartitions ?? 1,
    topicDefaults: options.topicDefaults ?? {},
    maxRequestBytes: options.maxRequestBytes ?? 100 * 1024 * 1024,
    connectionsMaxIdleMs: options.connectionsMaxIdleMs ?? 10 * 60_000,
    groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 3000,
    groupMinSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? 6000,
    groupMaxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? 1_800_000,
    retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 5 * 60_000,
    indexCheckpointIntervalMs: options.indexCheckpointIntervalMs ?? 60_000,
    cleanerIntervalMs: options.cleanerIntervalMs ?? 15_000,
    transactionMaxTimeoutMs: options.transactionMaxTimeoutMs ?? 900_000,
    transactionAbortIntervalMs: options.transactionAbortIntervalMs ?? 1000,
    logger: options.logger ?? defaultLogger('kes-broker'),
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    throw new Error(`invalid port ${resolved.port}`);
  }
  if (!(resolved.cleanerIntervalMs > 0)) {
    throw new Error(`cleanerIntervalMs must be positive, got ${resolved.cleanerIntervalMs}`);
  }
  if (!Number.isInteger(resolved.numPartitions) || resolved.numPartitions < 1) {
    throw new Error(`numPartitions must be a positive integer, got ${resolved.numPartitions}`);
  }
  for (const [name, value] of Object.entries(resolved.topicDefaults)) {
    const error = checkTopicConfig(name, value);
    if (error) throw new Error(error);
  }
  return resolved;
}
