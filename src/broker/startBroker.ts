import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrokerContext } from './brokerContext.js';
import { type BrokerOptions, type ResolvedBrokerOptions, resolveBrokerOptions } from './brokerOptions.js';
import { GroupCoordinator } from './group/groupCoordinator.js';
import { TransactionCoordinator } from './txn/transactionCoordinator.js';
import { handlers } from './handlers/index.js';
import { type CompactOptions, LogCleaner, type PartitionCleaned } from './log/logCleaner.js';
import { LogManager } from './log/logManager.js';
import { TOPIC_CONFIGS } from './log/topicConfig.js';
import { Faults } from './server/faults.js';
import { KafkaServer } from './server/server.js';
import { readJson, writeJsonAtomic } from './storage/atomicFile.js';
import { lockDataDir } from './storage/dataDirLock.js';

const META_FORMAT_VERSION = 1;

interface BrokerMeta {
  formatVersion: number;
  clusterId: string;
  nodeId: number;
}

/** Hooks that make background work happen now, for tests. */
export interface BrokerHooks {
  /**
   * Rolls the active segments of compacted topics (all, or `topic`) so that their data becomes
   * cleanable, and runs a cleaning pass over them whatever their dirty ratio; resolves when done
   * with what was cleaned. `now` sets the clock for min.compaction.lag.ms and delete.retention.ms;
   * `roll: false` cleans without rolling (the active segment is never cleaned).
   */
  compact(options?: CompactOptions): Promise<PartitionCleaned[]>;
}

export interface BrokerHandle {
  readonly host: string;
  readonly port: number;
  /** host:port for clients' bootstrap servers. */
  readonly bootstrap: string;
  readonly dataDir: string;
  readonly clusterId: string;
  /** Fault injection, for tests. */
  readonly faults: Faults;
  /** Direct access to the logs, for tests and tools (roll, retention, inspection). */
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  /** Background work on demand, for tests. */
  readonly hooks: BrokerHooks;
  readonly transactions: TransactionCoordinator;
  /** Number of open client connections. */
  connectionCount(): number;
  /** Stops accepting, closes connections, saves indexes, releases the data directory. */
  close(): Promise<void>;
}

/**
 * Starts the embedded broker: a single Kafka node speaking the wire protocol on `host:port`,
 * storing everything under `dataDir`. Resolves once it accepts connections.
 */
export async function startBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  const opts = resolveBrokerOptions(options);
  const logger = opts.logger;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const unlock = lockDataDir(opts.dataDir);
  try {
    const meta = loadMeta(opts.dataDir, opts.nodeId);
    const logs = new LogManager({
      dataDir: opts.dataDir,
      nodeId: opts.nodeId,
      defaultPartitions: opts.numPartitions,
      defaultReplicationFactor: 1,
      topicDefaults: opts.topicDefaults,
      logger,
    });
    logs.load();
    const groups = new GroupCoordinator({
      dataDir: opts.dataDir,
      logger,
      initialRebalanceDelayMs: opts.groupInitialRebalanceDelayMs,
      minSessionTimeoutMs: opts.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: opts.groupMaxSessionTimeoutMs,
    });
    groups.load();
    groups.retainTopics(new Set(logs.list().map((t) => t.name)));
    const transactions = new TransactionCoordinator({
      dataDir: opts.dataDir,
      logs,
      groups,
      logger,
      maxTimeoutMs: opts.transactionMaxTimeoutMs,
    });
    transactions.load();
    logs.onTopicDeleted((topic) => groups.onTopicDeleted(topic));
    const cleaner = new LogCleaner({ logs, logger });

    const faults = new Faults();
    const registry = new Map(handlers.map((h) => [h.api.key, h]));
    const apis = handlers
      .map((h) => ({ apiKey: h.api.key, minVersion: h.api.minVersion, maxVersion: h.api.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
    // The advertised address is known only once the port is bound; the context reads it lazily.
    let boundPort = opts.port;
    const advertisedHost =
      opts.advertisedHost ?? (opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host);
    const context: BrokerContext = {
      nodeId: opts.nodeId,
      clusterId: meta.clusterId,
      advertisedHost,
      get advertisedPort() {
        return opts.advertisedPort ?? boundPort;
      },
      autoCreateTopics: opts.autoCreateTopics,
      brokerConfigs: brokerConfigs(opts),
      logs,
      groups,
      transactions,
      apis,
      logger,
    };
    const server = new KafkaServer({
      host: opts.host,
      port: opts.port,
      handlers: registry,
      broker: context,
      faults,
      maxRequestBytes: opts.maxRequestBytes,
      connectionsMaxIdleMs: opts.connectionsMaxIdleMs,
      logger,
    });
    boundPort = await server.listen();

    const timers = [
      setInterval(() => logs.applyRetention(), opts.retentionCheckIntervalMs),
      setInterval(() => logs.flushDue(), 1000),
      setInterval(() => logs.checkpoint(), opts.indexCheckpointIntervalMs),
      setInterval(() => cleaner.runDue(), opts.cleanerIntervalMs),
      setInterval(() => transactions.abortTimedOut(), opts.transactionAbortIntervalMs),
    ];
    for (const t of timers) t.unref();

    logger.info(
      { host: opts.host, port: boundPort, dataDir: path.resolve(opts.dataDir), clusterId: meta.clusterId },
      `listening on ${opts.host}:${boundPort}`,
    );

    let closing: Promise<void> | undefined;
    return {
      host: opts.host,
      port: boundPort,
      bootstrap: `${advertisedHost}:${context.advertisedPort}`,
      dataDir: opts.dataDir,
      clusterId: meta.clusterId,
      faults,
      logs,
      groups,
      transactions,
      hooks: { compact: (compactOptions) => cleaner.compact(compactOptions) },
      connectionCount: () => server.connectionCount,
      close() {
        closing ??= (async () => {
          for (const t of timers) clearInterval(t);
          await server.close();
          await cleaner.stop();
          transactions.close();
          groups.close();
          logs.close();
          unlock();
          logger.info('broker stopped');
        })();
        return closing;
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** The broker's settings under Kafka's config names, as DescribeConfigs shows them. */
function brokerConfigs(opts: ResolvedBrokerOptions): Record<string, string> {
  const topicLevel = Object.fromEntries(
    Object.entries(TOPIC_CONFIGS).map(([name, def]) => [def.broker, opts.topicDefaults[name] ?? def.default]),
  );
  return {
    'broker.id': String(opts.nodeId),
    'node.id': String(opts.nodeId),
    'log.dirs': path.resolve(opts.dataDir),
    'num.partitions': String(opts.numPartitions),
    'default.replication.factor': '1',
    'auto.create.topics.enable': String(opts.autoCreateTopics),
    'socket.request.max.bytes': String(opts.maxRequestBytes),
    'connections.max.idle.ms': String(opts.connectionsMaxIdleMs),
    'group.initial.rebalance.delay.ms': String(opts.groupInitialRebalanceDelayMs),
    'group.min.session.timeout.ms': String(opts.groupMinSessionTimeoutMs),
    'group.max.session.timeout.ms': String(opts.groupMaxSessionTimeoutMs),
    'log.retention.check.interval.ms': String(opts.retentionCheckIntervalMs),
    'transaction.max.timeout.ms': String(opts.transactionMaxTimeoutMs),
    'log.cleaner.enable': 'true',
    'log.cleaner.backoff.ms': String(opts.cleanerIntervalMs),
    ...topicLevel,
  };
}

function loadMeta(dataDir: string, nodeId: number): BrokerMeta {
  const file = path.join(dataDir, 'meta.json');
  const existing = readJson<BrokerMeta>(file, META_FORMAT_VERSION);
  if (existing) return existing;
  // Kafka cluster ids are 16 random bytes in URL-safe base64 without padding.
  const meta: BrokerMeta = {
    formatVersion: META_FORMAT_VERSION,
    clusterId: randomBytes(16).toString('base64url'),
    nodeId,
  };
  writeJsonAtomic(file, meta);
  return meta;
}
