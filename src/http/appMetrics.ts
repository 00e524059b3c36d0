import type { Admin } from 'kafkajs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { consumerLag } from '../ops/consumerLag.js';
import type { ProcessorRunner } from '../processor/processorRunner.js';
import type { RestoreProgress } from '../state/restoreStore.js';

/**
 * The Prometheus metrics of one kes instance (its own registry, so several instances can share a
 * process in tests): records processed and failed per processor, consumer lag per processor and
 * partition (computed at scrape time for the partitions this instance owns), command latency
 * over HTTP by type and status, and changelog restore progress.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly recordsProcessed: Counter<'processor'>;
  readonly recordsFailed: Counter<'processor'>;
  readonly chunksWritten: Counter<'processor'>;
  readonly commandDuration: Histogram<'type' | 'status'>;
  readonly restoredRecords: Counter<'store'>;
  readonly restoreRemaining: Gauge<'store' | 'partition'>;
  readonly rebalances: Counter;
  private lagSource: { admin: Admin; runners: () => readonly ProcessorRunner[] } | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kes_' });
    const registers = [this.registry];
    this.recordsProcessed = new Counter({
      name: 'kes_records_processed_total',
      help: 'Input records processed (committed) per processor',
      labelNames: ['processor'],
      registers,
    });
    this.recordsFailed = new Counter({
      name: 'kes_records_failed_total',
      help: 'Input records sent to the dead-letter topic per processor',
      labelNames: ['processor'],
      registers,
    });
    this.chunksWritten = new Counter({
      name: 'kes_chunks_written_total',
      help: 'Chunks of input records whose outputs and store writes were written together, per processor: each a transaction under exactly once',
      labelNames: ['processor'],
      registers,
    });
    this.commandDuration = new Histogram({
      name: 'kes_command_duration_seconds',
      help: 'Time from an HTTP command to its result, by command type and result status',
      labelNames: ['type', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rebalances = new Counter({
      name: 'kes_rebalances_total',
      help: "Rebalances of the application's group this instance has taken part in (each one assigns every processor's tasks)",
      registers,
    });
    this.restoredRecords = new Counter({
      name: 'kes_restore_records_total',
      help: 'Changelog records applied by store restores',
      labelNames: ['store'],
      registers,
    });
    this.restoreRemaining = new Gauge({
      name: 'kes_restore_remaining_records',
      help: 'Changelog records a running restore has still to apply',
      labelNames: ['store', 'partition'],
      registers,
    });
    const lag: Gauge<'processor' | 'topic' | 'partition'> = new Gauge({
      name: 'kes_consumer_lag',
      help: 'Records not yet processed, per processor, input topic and partition owned here',
      labelNames: ['processor', 'topic', 'partition'],
      registers,
      collect: async () => {
        lag.reset();
        const source = this.lagSource;
        if (!source) return;
        const runners = source.runners().filter((r) => r.assignedPartitions.length > 0);
        const owned = new Map(runners.map((r) => [r.name, new Set(r.assignedPartitions)]));
        const subjects = runners.map((r) => ({ processor: r.name, group: r.group, inputs: r.inputs }));
        for (const l of await consumerLag(source.admin, subjects)) {
          if (!owned.get(l.processor)!.has(l.partition)) continue;
          lag.set({ processor: l.processor, topic: l.topic, partition: String(l.partition) }, l.lag);
        }
      },
    });
    const waiting: Gauge<'processor' | 'waiting_for'> = new Gauge({
      name: 'kes_tasks_waiting',
      help: 'Tasks here whose records wait for a failure to pass (the registry, Kafka, the disk), per processor and what they wait for',
      labelNames: ['processor', 'waiting_for'],
      registers,
      collect: () => {
        waiting.reset();
        for (const runner of this.lagSource?.runners() ?? []) {
          for (const w of runner.waiting())
            waiting.inc({ processor: runner.name, waiting_for: w.waitingFor });
        }
      },
    });
  }

  /** Lag is read from the cluster at scrape time. */
  measureLag(admin: Admin, runners: () => readonly ProcessorRunner[]): void {
    this.lagSource = { admin, runners };
  }

  onProcessed = (e: { processor: string; records: number; failed: number; wrote: boolean }): void => {
    this.recordsProcessed.inc({ processor: e.processor }, e.records);
    if (e.wrote) this.chunksWritten.inc({ processor: e.processor });
    if (e.failed > 0) this.recordsFailed.inc({ processor: e.processor }, e.failed);
  };

  onRebalance = (): void => this.rebalances.inc();

  private readonly restored = new Map<string, number>();

  onRestore = (p: RestoreProgress): void => {
    const id = `${p.store}/${p.partition}`;
    const previous = this.restored.get(id) ?? 0;
    const before = p.restored < previous ? 0 : previous; // a new restore of the same store
    this.restored.set(id, p.restored);
    if (p.restored > before) this.restoredRecords.inc({ store: p.store }, p.restored - before);
    this.restoreRemaining.set(
      { store: p.store, partition: String(p.partition) },
      Math.max(0, Number(p.endOffset - p.offset)),
    );
  };
}
