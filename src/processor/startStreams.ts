import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { CachingKeyValueStore } from '../state/cachingKeyValueStore.js';
import { ChangelogReader } from '../state/changelogReader.js';
import { LevelKeyValueStore } from '../state/levelKeyValueStore.js';
import { type RestoreProgress, restoreStore } from '../state/restoreStore.js';
import { TransactionalStore } from '../state/transactionalStore.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { ApplicationGroup } from './applicationGroup.js';
import type { Processor } from './processor.js';
import { ProcessorRunner } from './processorRunner.js';
import type { ProcessingGuarantee, TaskStore } from './streamTask.js';

export interface StreamsOptions {
  readonly kafka: Kafka;
  readonly topology: TopologySpec;
  /** The implementation of each processor to run here, by name. Processors left out do not run. */
  readonly processors: ReadonlyMap<string, Processor>;
  /** Stores live under `<dataDir>/<processor>/<partition>/<store>`; each instance has its own. */
  readonly dataDir: string;
  /** Names this instance's restore group. */
  readonly instanceId: string;
  /** Advertised to the group for interactive queries (when this call makes the group). */
  readonly endpoint?: string | null;
  /**
   * The application's group, when the application runs more than this call's processors (the
   * caller starts it once everything is added). Without it, one is made and joined here.
   */
  readonly group?: ApplicationGroup;
  readonly guarantee?: ProcessingGuarantee;
  readonly logger: Logger;
  readonly maxRecordsPerTransaction?: number;
  readonly commitIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly onProcessed?: (event: {
    processor: string;
    partition: number;
    records: number;
    failed: number;
    wrote: boolean;
    durationMs: number;
  }) => void;
  readonly onRestore?: (progress: RestoreProgress) => void;
  /** How long a task may wait in a row for a failure that passes (default 5 minutes). */
  readonly taskTimeoutMs?: number;
  /** A task waited longer than taskTimeoutMs: the instance must stop. */
  readonly onFatal?: (err: Error) => void;
  /** Values each store keeps in memory in front of LevelDB. Default 10,000. */
  readonly storeCacheEntries?: number;
}

export interface StreamsHandle {
  readonly runners: readonly ProcessorRunner[];
  /** Every runner has joined its group and every assigned task has restored its stores. */
  isReady(): boolean;
  /** Resolves once ready (or rejects after `timeoutMs`). */
  whenReady(timeoutMs?: number): Promise<void>;
  /** Leaves the groups, finishes in-flight transactions, closes stores and producers. */
  close(): Promise<void>;
}

/**
 * Runs the given processors of a topology in this instance (Kafka Streams' KafkaStreams): one
 * ProcessorRunner per processor, one changelog reader shared by all their restores, and LevelDB
 * stores on local disk. Exactly once by default.
 */
export async function startStreams(options: StreamsOptions): Promise<StreamsHandle> {
  const { kafka, topology, logger } = options;
  const specs = topology.processors.filter((p) => options.processors.has(p.name));
  const changelogs = [...new Set(specs.flatMap((p) => p.stores.map((s) => s.changelog)))];
  const reader = await ChangelogReader.connect({
    kafka,
    groupId: `${topology.applicationId}-${options.instanceId}-restore`,
    topics: changelogs,
  });
  const partitionCounts = new Map(topology.topics.map((t) => [t.name, t.partitions]));
  const ownGroup = options.group
    ? undefined
    : new ApplicationGroup({
        kafka,
        groupId: topology.applicationId,
        endpoint: options.endpoint ?? null,
        sessionTimeoutMs: options.sessionTimeoutMs,
        logger,
      });
  const group = options.group ?? ownGroup!;
  const runners = specs.map(
    (spec) =>
      new ProcessorRunner({
        kafka,
        applicationId: topology.applicationId,
        spec,
        processor: options.processors.get(spec.name)!,
        guarantee: options.guarantee ?? 'exactly_once',
        group,
        partitionCounts,
        logger,
        maxRecordsPerTransaction: options.maxRecordsPerTransaction,
        commitIntervalMs: options.commitIntervalMs,
        taskTimeoutMs: options.taskTimeoutMs,
        onFatal: options.onFatal,
        onProcessed: (e) => options.onProcessed?.({ processor: spec.name, ...e }),
        openTask: async (partition) => {
          const stores: TaskStore[] = [];
          try {
            for (const store of spec.stores) {
              const dir = path.join(options.dataDir, spec.name, String(partition), store.name);
              const level = await LevelKeyValueStore.open(dir, store.name);
              const cached = new CachingKeyValueStore(level, options.storeCacheEntries ?? 10_000);
              stores.push({ changelog: store.changelog, transaction: new TransactionalStore(cached) });
            }
          } catch (err) {
            for (const s of stores) await s.transaction.store.close();
            throw err;
          }
          return {
            stores,
            restore: async () => {
              for (const s of stores) {
                const result = await restoreStore({
                  source: reader,
                  store: s.transaction.store,
                  topic: s.changelog,
                  partition,
                  onProgress: options.onRestore,
                });
                logger.debug(
                  {
                    processor: spec.name,
                    partition,
                    store: s.transaction.name,
                    restored: result.restored,
                    cleared: result.cleared,
                  },
                  'restored store',
                );
              }
            },
          };
        },
      }),
  );
  const failures: unknown[] = [];
  for (const s of await Promise.allSettled(runners.map((r) => r.start()))) {
    if (s.status === 'rejected') failures.push(s.reason);
  }
  // Its own group is joined once every runner is in it.
  if (failures.length === 0) await ownGroup?.start().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) {
    // Nothing left behind (a view generation started again would find its processors running).
    await ownGroup?.stop().catch(() => undefined);
    await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
    await reader.close().catch(() => undefined);
    throw failures[0];
  }
  const isReady = () => runners.every((r) => r.ready);
  return {
    runners,
    isReady,
    whenReady: (timeoutMs) => waitUntil(isReady, timeoutMs),
    async close() {
      await ownGroup?.stop();
      await Promise.all(runners.map((r) => r.stop()));
      await reader.close();
    },
  };
}

/** Resolves once `isReady` holds (checked every 50 ms), or rejects after `timeoutMs`. */
export async function waitUntil(isReady: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isReady()) {
    if (Date.now() > deadline) throw new Error(`streams not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
