import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { KeyValueStore } from '../state/keyValueStore.js';
import type { ProcessorSpec } from '../topology/topologySpec.js';
import { coPartitionedAssigner } from './coPartitionedAssigner.js';
import { isFenced, TaskFencedError } from '../kafka/kafkaErrors.js';
import type { Processor } from './processor.js';
import { type ProcessedChunk, type ProcessingGuarantee, StreamTask, type TaskStore } from './streamTask.js';
import { TaskState } from './taskState.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';

/**
 * Runs one processor of the topology in this instance: a KafkaJS consumer in the processor's
 * group (`<applicationId>-<processor>`) with the co-partitioned assigner, and a StreamTask per
 * partition number assigned to it. A new task restores its stores before it processes anything;
 * its input partitions stay paused until then. Tasks of revoked partitions are closed (their
 * stores stay on disk, so a later assignment restores only what it missed).
 *
 * Failures (Kafka Streams' task corruption and task migration): a transaction that fails leaves
 * the task's producer in an unknown state, so the task is closed and opened again — a new
 * producer, whose InitProducerId completes or aborts what the old one left open; its stores
 * caught up with their changelogs; its inputs read again from the group's committed offsets. A
 * fenced producer means another instance owns the partition now: the task is closed and the
 * consumer rejoins its group. A consumer that KafkaJS gives up on is started again, with backoff:
 * a processor is never left stopped while its tasks keep answering queries.
 */

export interface TaskResources {
  readonly stores: readonly TaskStore[];
  /** Brings the stores up to date with their changelogs. */
  restore(): Promise<void>;
}

export interface ProcessorRunnerOptions {
  readonly kafka: Kafka;
  readonly applicationId: string;
  readonly spec: ProcessorSpec;
  readonly processor: Processor;
  readonly guarantee: ProcessingGuarantee;
  /** This instance's endpoint, advertised through the assigner (for interactive queries). */
  readonly endpoint: string | null;
  /** Opens a task's stores (restore runs later, through `restore`). */
  readonly openTask: (partition: number) => Promise<TaskResources>;
  /** Partition counts of the topics its processor writes to. */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly logger: Logger;
  /** Records per transaction, at most. Default 5000. */
  readonly maxRecordsPerTransaction?: number;
  /** How long a fetch waits for more records (the pace of small transactions). Default 100 ms. */
  readonly commitIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly transactionTimeoutMs?: number;
  /** Partitions processed at the same time. Default 8. */
  readonly concurrency?: number;
  /** Called after every committed chunk (metrics). */
  readonly onProcessed?: (event: {
    partition: number;
    records: number;
    failed: number;
    /** Whether it wrote anything (a transaction, under exactly once), or only moved the offsets. */
    wrote: boolean;
    durationMs: number;
  }) => void;
}

interface TaskEntry {
  resources?: TaskResources;
  task?: StreamTask;
  producer?: Producer;
  ready: Promise<void>;
  /** Opened again after a failed transaction: it reads from the committed offsets once it runs. */
  revived: boolean;
}

export class ProcessorRunner {
  private consumer: Consumer | undefined;
  private readonly tasks = new Map<number, TaskEntry>();
  private assignment: number[] = [];
  private stopped = false;
  /** In the group: between a join and the next crash of the consumer. */
  private member = false;
  /** The consumer crashed since the last join: the tasks it had are closed at the next one. */
  private lost = false;
  private restarts = 0;
  private admin: Admin | undefined;
  private readonly groupId: string;
  private readonly logger: Logger;

  constructor(private readonly options: ProcessorRunnerOptions) {
    this.groupId = `${options.applicationId}-${options.spec.name}`;
    this.logger = options.logger.child({ processor: options.spec.name });
  }

  get name(): string {
    return this.options.spec.name;
  }

  /** The topics the processor reads. */
  get inputs(): readonly string[] {
    return this.options.spec.inputs;
  }

  /** The consumer group of this processor (shared by every instance). */
  get group(): string {
    return this.groupId;
  }

  /**
   * The committed contents of a store of a task running here (it reflects every committed
   * transaction of the task), for queries; undefined when the partition is not assigned here or
   * its task is still restoring.
   */
  queryableStore(partition: number, store: string): KeyValueStore | undefined {
    if (!this.member) return undefined; // the group may have given the partition to another instance
    const entry = this.tasks.get(partition);
    if (entry?.task?.taskState !== TaskState.Running) return undefined;
    return entry.resources?.stores.find((s) => s.transaction.name === store)?.transaction.store;
  }

  /** Partition numbers assigned to this instance. */
  get assignedPartitions(): readonly number[] {
    return this.assignment;
  }

  /** Whether it is in its group and every assigned task has restored its stores and is processing. */
  get ready(): boolean {
    return this.member && [...this.tasks.values()].every((e) => e.task?.taskState === TaskState.Running);
  }

  async start(): Promise<void> {
    await this.startConsumer();
  }

  private async startConsumer(): Promise<void> {
    const { kafka, spec, guarantee } = this.options;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      partitionAssigners: [
        coPartitionedAssigner({ endpoint: this.options.endpoint, owned: () => [...this.tasks.keys()] }),
      ],
      readUncommitted: false,
      maxWaitTimeInMs: this.options.commitIntervalMs ?? 100,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: Math.min(3000, Math.floor((this.options.sessionTimeoutMs ?? 10_000) / 4)),
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.member = false;
      // Out of the group: until it joins again another instance may own (and write) any of its
      // partitions, so no task of the old membership is kept (Kafka Streams' lost partitions).
      this.lost = true;
      if (payload.restart) {
        this.logger.warn({ err: payload.error }, 'consumer failed; KafkaJS restarts it');
        return;
      }
      // KafkaJS gives up on errors it deems final; this instance does not.
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
      this.logger.warn({ err: payload.error, inMs: delay }, 'consumer stopped; starting it again');
      setTimeout(() => void this.restartConsumer(consumer), delay).unref();
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = new Set<number>();
      for (const topic of spec.inputs)
        for (const p of payload.memberAssignment[topic] ?? []) partitions.add(p);
      this.member = true;
      this.restarts = 0;
      void this.onAssignment([...partitions].sort((a, b) => a - b));
    });
    // KafkaJS does not call eachBatch for a batch that held only control records (transaction
    // markers) or aborted records; it reports a batch of size 0. Commit past it, so the group's
    // committed offsets reach the end of its inputs (which is how lag and catching up are seen).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) void this.commitPast(payload.topic, payload.partition, payload.lastOffset);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...spec.inputs], fromBeginning: true });
    await consumer.run({
      autoCommit: guarantee === 'at_least_once',
      eachBatchAutoResolve: false,
      // Tasks are independent (own stores, own transactional producer): their round trips overlap.
      partitionsConsumedConcurrently: this.options.concurrency ?? 8,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** A new consumer in place of one KafkaJS stopped (it has left the group already). */
  private async restartConsumer(crashed: Consumer): Promise<void> {
    if (this.stopped || this.consumer !== crashed) return;
    try {
      await this.startConsumer();
    } catch (err) {
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.restarts++, 5));
      this.logger.warn({ err, inMs: delay }, 'consumer did not start; trying again');
      setTimeout(() => void this.restartConsumer(crashed), delay).unref();
    }
  }

  private async onAssignment(partitions: number[]): Promise<void> {
    this.assignment = partitions;
    if (this.lost) {
      this.lost = false;
      for (const p of [...this.tasks.keys()]) await this.closeTask(p);
    }
    const keep = new Set(partitions);
    const revoked = [...this.tasks.keys()].filter((p) => !keep.has(p));
    for (const p of revoked) await this.closeTask(p);
    for (const p of partitions) {
      if (!this.tasks.has(p)) this.createTask(p);
    }
    this.logger.info({ partitions, revoked }, 'assigned');
  }

  /**
   * After a failed transaction: closes the task and opens it again, reading its inputs from the
   * group's committed offsets once its stores have caught up (what the failed transaction did is
   * either committed, and restored, or aborted, and read again).
   */
  private async reviveTask(partition: number): Promise<void> {
    await this.closeTask(partition);
    if (this.stopped || !this.assignment.includes(partition) || this.tasks.has(partition)) return;
    this.createTask(partition, { seekToCommitted: true });
  }

  /** Points the consumer at the group's committed offsets of a partition, each input topic. */
  private async seekToCommitted(partition: number): Promise<void> {
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const topics = [...this.options.spec.inputs];
    const committed = await this.admin.fetchOffsets({ groupId: this.groupId, topics });
    for (const { topic, partitions } of committed) {
      let offset = partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      if (BigInt(offset) < 0n) {
        // Nothing committed yet: from the start of the partition, as a new member reads it.
        const ends = await fetchTopicOffsets(this.admin, topic);
        offset = ends.find((p) => p.partition === partition)?.low ?? '0';
      }
      this.consumer?.seek({ topic, partition, offset });
    }
  }

  private createTask(partition: number, { seekToCommitted = false } = {}): void {
    const entry = { revived: seekToCommitted } as TaskEntry;
    entry.ready = (async () => {
      const { kafka, spec, guarantee, applicationId } = this.options;
      const resources = await this.options.openTask(partition);
      entry.resources = resources;
      // A producer per task. Exactly once: one transactional id per task, so that the next owner
      // of this partition fences this one. At least once: an idempotent producer of its own, so
      // that a failed send (after which KafkaJS would reuse its sequence numbers: see
      // src/kafka/idempotentSender.ts) is followed by a new producer when the task is revived.
      const producer =
        guarantee === 'exactly_once'
          ? kafka.producer({
              transactionalId: `${applicationId}-${spec.name}-${partition}`,
              idempotent: true,
              maxInFlightRequests: 1,
              transactionTimeout: this.options.transactionTimeoutMs ?? 60_000,
            })
          : kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      entry.producer = producer;
      await producer.connect();
      if (guarantee === 'exactly_once') {
        // A transactional KafkaJS producer sends InitProducerId again when its first transaction
        // begins (its transactional manager is initialized lazily), and that is the call that
        // fences the partition's previous owner for good. Begin and drop an empty transaction now
        // (no EndTxn is sent), so that the fencing comes before the stores are restored: fencing
        // afterwards, a task restored from before the previous owner's last commits would go on
        // from a stale state without ever being fenced itself.
        await (await producer.transaction()).abort();
      }
      const task = new StreamTask({
        processor: this.options.processor,
        partition,
        stores: resources.stores,
        producer,
        guarantee,
        groupId: this.groupId,
        deadLetterTopic: `${spec.name}.dlq`,
        partitionCounts: this.options.partitionCounts,
        logger: this.logger,
      });
      entry.task = task;
      task.transitionTo(TaskState.Restoring);
      await resources.restore();
      if (task.taskState !== TaskState.Restoring) return; // closed meanwhile
      if (seekToCommitted) await this.seekToCommitted(partition);
      if (task.taskState !== TaskState.Restoring) return; // closed meanwhile
      task.transitionTo(TaskState.Running);
      if (seekToCommitted) this.logger.info({ partition }, 'task running again');
      else this.logger.debug({ partition }, 'task restored');
      this.resume(partition);
    })();
    this.tasks.set(partition, entry);
    entry.ready.catch(async (err: unknown) => {
      this.logger.error({ err, partition }, 'task failed to start; retrying');
      await this.closeTask(partition);
      setTimeout(() => {
        if (!this.stopped && this.assignment.includes(partition) && !this.tasks.has(partition)) {
          this.createTask(partition, { seekToCommitted });
        }
      }, 1000).unref();
    });
  }

  private async closeTask(partition: number): Promise<void> {
    const entry = this.tasks.get(partition);
    if (!entry) return;
    this.tasks.delete(partition);
    await entry.ready.catch(() => undefined);
    if (entry.task) await entry.task.close();
    else for (const store of entry.resources?.stores ?? []) await store.transaction.store.close();
    await entry.producer?.disconnect().catch(() => undefined);
  }

  private pause(partition: number, topic: string): void {
    this.consumer?.pause([{ topic, partitions: [partition] }]);
  }

  private resume(partition: number): void {
    this.consumer?.resume(this.options.spec.inputs.map((topic) => ({ topic, partitions: [partition] })));
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const entry = this.tasks.get(batch.partition);
    if (!entry?.task || entry.task.taskState !== TaskState.Running) {
      // Not restored yet: read this batch again once the task runs (a revived task seeks to the
      // committed offsets itself, which a batch fetched before it must not move).
      this.pause(batch.partition, batch.topic);
      if (entry?.revived) return;
      this.consumer?.seek({
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.firstOffset() ?? '0',
      });
      return;
    }
    const chunkSize = this.options.maxRecordsPerTransaction ?? 5000;
    for (let at = 0; at < batch.messages.length; at += chunkSize) {
      if (!isRunning() || isStale() || this.stopped) return;
      const chunk = batch.messages.slice(at, at + chunkSize);
      const started = performance.now();
      let result: ProcessedChunk;
      try {
        result = await entry.task.process(batch.topic, chunk);
      } catch (err) {
        // Closed (and maybe opened again) while this chunk waited: whoever closed it repositions it.
        if (this.tasks.get(batch.partition) !== entry) return;
        const where = { err, topic: batch.topic, partition: batch.partition };
        if (isFenced(err)) {
          // Another instance owns the partition: give the task up and rejoin the group (a
          // non-retriable error stops the consumer; the CRASH handler starts a new one).
          this.logger.warn(where, 'task fenced by a newer owner; rejoining the group');
          await this.closeTask(batch.partition);
          throw new TaskFencedError(`${this.name}-${batch.partition}`);
        }
        this.logger.warn(where, 'transaction failed; the task starts again from its committed offsets');
        this.pause(batch.partition, batch.topic);
        await this.reviveTask(batch.partition);
        return;
      }
      resolveOffset(chunk.at(-1)!.offset);
      if (result.offsetsPending) {
        // Nothing was written: a plain commit of the offset is enough (no transaction needed).
        await this.consumer!.commitOffsets([
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: String(BigInt(chunk.at(-1)!.offset) + 1n),
          },
        ]);
      }
      this.options.onProcessed?.({
        partition: batch.partition,
        records: result.records,
        failed: result.failed,
        wrote: !result.offsetsPending,
        durationMs: performance.now() - started,
      });
      await heartbeat();
    }
    // Records after the last message (aborted ones, transaction markers) are never delivered:
    // commit past them, as for a batch that held nothing else.
    const last = batch.messages.at(-1);
    if (last && BigInt(batch.lastOffset()) > BigInt(last.offset) && isRunning() && !isStale()) {
      await this.commitPast(batch.topic, batch.partition, batch.lastOffset());
    }
  }

  /** Commits the offset after `lastOffset` (records skipped: markers, aborted), in the task's order. */
  private commitPast(topic: string, partition: number, lastOffset: string): Promise<void> {
    const task = this.tasks.get(partition)?.task;
    if (this.stopped || task?.taskState !== TaskState.Running) return Promise.resolve();
    const offset = String(BigInt(lastOffset) + 1n);
    return task
      .enqueue(() => this.consumer!.commitOffsets([{ topic, partition, offset }]))
      .catch((err: unknown) =>
        this.logger.debug({ err, topic, partition, offset }, 'could not commit past skipped records'),
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
    for (const p of [...this.tasks.keys()]) await this.closeTask(p);
    await this.admin?.disconnect();
  }
}
