import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { GroupOffsetCommitter } from '../kafka/groupOffsetCommitter.js';
import { isFenced } from '../kafka/kafkaErrors.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import type { KeyValueStore } from '../state/keyValueStore.js';
import type { ProcessorSpec } from '../topology/topologySpec.js';
import type { ApplicationGroup, GroupRunner } from './applicationGroup.js';
import type { Processor } from './processor.js';
import {
  type ProcessedChunk,
  type ProcessingGuarantee,
  PunctuationWaitingError,
  StreamTask,
  type TaskStore,
  TaskWaitingError,
} from './streamTask.js';
import { checkPunctuators } from './punctuationSchedule.js';
import { TaskState } from './taskState.js';
import { transientCause } from './transientError.js';
import { backoffMs } from '../errors/backoff.js';
import { stoppableConsumer } from '../kafka/stoppableConsumer.js';

/**
 * Runs one processor of the topology in this instance: a StreamTask per partition number the
 * application's group assigns it (applicationGroup.ts), and one KafkaJS consumer reading their
 * inputs. KafkaJS cannot assign partitions by hand, so that consumer is the only member of a
 * group of its own: it is given every input partition, keeps those without a running task
 * paused, and is pointed (seek) at each task's position. Offsets are committed to the
 * processor's group (`<applicationId>-<processor>`), which has no members: in each task's
 * transactions (exactly once), or plainly after each chunk (at least once). A new task restores
 * its stores, then starts from the group's committed offsets. Tasks given up are closed (their
 * stores stay on disk, so a later assignment restores only what it missed).
 *
 * Failures (Kafka Streams' task corruption and task migration): a transaction that fails leaves
 * the task's producer in an unknown state, so the task is closed and opened again — a new
 * producer, whose InitProducerId completes or aborts what the old one left open; its stores
 * caught up with their changelogs; its inputs read again from the committed offsets. A fenced
 * producer means another instance owns the partition now: the task is closed until the group
 * assigns it here again. A consumer that KafkaJS gives up on is started again, with backoff, and
 * each running task's inputs are read on from where the task is. A record that hits a failure
 * that may pass (the registry or a broker out of reach, a disk write failing: TaskWaitingError)
 * is never dead-lettered: its task pauses and reads the same records again after a backoff, for at
 * most taskTimeoutMs in a row; then the instance gives up (onFatal) rather than skip anything.
 *
 * Punctuations (the processor's timers): one timer per runner ticks every PUNCTUATION_TICK_MS at
 * most and queues the due punctuation of each running task, so they run on idle partitions too.
 * A punctuation fails as a chunk does: one that may pass holds the task's punctuations for the
 * partition's backoff (one failure streak with its records, so the task timeout counts it); a
 * fenced one closes the task; any other (a failed transaction, a bug in the punctuator) revives it.
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
  /** The application's group, which assigns the tasks. */
  readonly group: ApplicationGroup;
  /** Opens a task's stores (restore runs later, through `restore`). */
  readonly openTask: (partition: number) => Promise<TaskResources>;
  /** Partition counts of the topics its processor writes to. */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly logger: Logger;
  /** Records per transaction, at most. Default 5000. */
  readonly maxRecordsPerTransaction?: number;
  /** How long a fetch waits for more records (the pace of small transactions). Default 100 ms. */
  readonly commitIntervalMs?: number;
  readonly transactionTimeoutMs?: number;
  /** Partitions processed at the same time. Default 8. */
  readonly concurrency?: number;
  /**
   * How long a task may wait in a row for a failure that passes (Kafka Streams' task.timeout.ms)
   * before onFatal is called. Default 300,000 (5 minutes).
   */
  readonly taskTimeoutMs?: number;
  /** A task waited longer than taskTimeoutMs: the instance must stop. Default: log it. */
  readonly onFatal?: (err: Error) => void;
  /** Called after every committed chunk (metrics). */
  readonly onProcessed?: (event: {
    partition: number;
    records: number;
    failed: number;
    /** Whether it wrote anything (a transaction, under exactly once). */
    wrote: boolean;
    durationMs: number;
  }) => void;
}

interface TaskEntry {
  resources?: TaskResources;
  task?: StreamTask;
  producer?: Producer;
  ready: Promise<void>;
}

/** A task that waits: for what, since when, how often it tried. */
export interface TaskWaiting {
  readonly partition: number;
  readonly waitingFor: string;
  readonly since: number;
  readonly attempts: number;
  readonly error: string;
}

/**
 * A partition whose task does not get on: its records wait for a failure to pass, or it is being
 * started again after a failed transaction or a failed start. One streak per partition, whichever
 * way it fails, so that the task timeout counts all of it.
 */
interface FailureStreak extends TaskWaiting {
  /** The input topic whose records wait (TaskWaitingError); undefined for failed transactions and starts. */
  readonly topic: string | undefined;
  readonly failedAt: number;
  readonly loggedAt: number;
  /** The next attempt, when one is scheduled, and what it does (the latest failure's). */
  timer?: NodeJS.Timeout;
  attempt: () => void;
  /** The task started again since (it is not reported while so; a failure goes on with the streak). */
  restarted?: boolean;
  /** A punctuation waits (PunctuationWaitingError): its next success ends the streak. */
  punctuation?: boolean;
}

/** Backoff between attempts of a task that fails: 100 ms doubling to 5 s (Kafka's retry.backoff.ms). */
const retryBackoffMs = (attempt: number) => backoffMs(attempt, 100, 5000);
/** A failure this long after the last one starts a new streak (the task got on in between). */
const STREAK_GAP_MS = 60_000;
/** How often the runner looks for due punctuations, at most: they run up to this much late. */
const PUNCTUATION_TICK_MS = 100;

export class ProcessorRunner implements GroupRunner {
  private consumer: Consumer | undefined;
  private readonly tasks = new Map<number, TaskEntry>();
  private assignment: number[] = [];
  private stopped = false;
  /** The reading consumer has joined its group (and paused what no task reads). */
  private reading = false;
  private restarts = 0;
  private readonly failing = new Map<number, FailureStreak>();
  /** Per topic partition, a fetch offset past the task's position seen again and again. */
  private readonly fetchedAhead = new Map<string, { offset: string; times: number }>();
  private committer: GroupOffsetCommitter | undefined;
  private punctuationTimer: NodeJS.Timeout | undefined;
  private readonly groupId: string;
  private readonly logger: Logger;

  constructor(private readonly options: ProcessorRunnerOptions) {
    this.groupId = `${options.applicationId}-${options.spec.name}`;
    this.logger = options.logger.child({ processor: options.spec.name });
    checkPunctuators(options.processor.punctuators ?? []);
  }

  get name(): string {
    return this.options.spec.name;
  }

  /** The topics the processor reads. */
  get inputs(): readonly string[] {
    return this.options.spec.inputs;
  }

  /** The consumer group its committed offsets are in (shared by every instance, without members). */
  get group(): string {
    return this.groupId;
  }

  /**
   * The committed contents of a store of a task running here (it reflects every committed
   * transaction of the task), for queries; undefined when the partition is not assigned here or
   * its task is still restoring.
   */
  queryableStore(partition: number, store: string): KeyValueStore | undefined {
    if (!this.options.group.isMember) return undefined; // another instance may own it meanwhile
    const entry = this.tasks.get(partition);
    if (entry?.task?.taskState !== TaskState.Running) return undefined;
    return entry.resources?.stores.find((s) => s.transaction.name === store)?.transaction.store;
  }

  /** Partition numbers assigned to this instance. */
  get assignedPartitions(): readonly number[] {
    return this.assignment;
  }

  ownedPartitions(): readonly number[] {
    return [...this.tasks.keys()];
  }

  /** Tasks whose records wait for a failure to pass (readiness reports them). */
  waiting(): TaskWaiting[] {
    const now = Date.now();
    const current = [...this.failing.values()].filter(
      (f) => f.timer !== undefined || (!f.restarted && now - f.failedAt < STREAK_GAP_MS),
    );
    return current.map(({ partition, waitingFor, since, attempts, error }) => ({
      partition,
      waitingFor,
      since,
      attempts,
      error,
    }));
  }

  /** Whether it is in the group and every assigned task has restored its stores and is processing. */
  get ready(): boolean {
    return (
      this.options.group.isMember &&
      this.reading &&
      this.assignment.every((p) => this.tasks.get(p)?.task?.taskState === TaskState.Running)
    );
  }

  /** Starts its reading consumer and joins the application's group (at its next join). */
  async start(): Promise<void> {
    if (this.options.guarantee === 'at_least_once')
      this.committer = new GroupOffsetCommitter(this.options.kafka);
    await this.startConsumer();
    this.options.group.add(this);
    const intervals = (this.options.processor.punctuators ?? []).map((p) => p.intervalMs);
    if (intervals.length > 0) {
      this.punctuationTimer = setInterval(
        () => this.punctuateDue(),
        Math.min(PUNCTUATION_TICK_MS, ...intervals),
      );
      this.punctuationTimer.unref();
    }
  }

  /** Queues the due punctuation of every running task (one at a time per task). */
  private punctuateDue(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [partition, entry] of this.tasks) {
      if (entry.task?.punctuationDue(now)) void this.punctuate(partition, entry, entry.task);
    }
  }

  private async punctuate(partition: number, entry: TaskEntry, task: StreamTask): Promise<void> {
    try {
      if ((await task.punctuate()) !== undefined) this.punctuated(partition);
    } catch (err) {
      // Closed (and maybe opened again) meanwhile: whoever closed it decides what comes next.
      if (this.stopped || this.tasks.get(partition) !== entry) return;
      if (err instanceof PunctuationWaitingError) {
        // One attempt at a time per partition: records that wait keep theirs; a punctuation needs
        // none (the next tick after the hold runs it), only the backoff and the task timeout.
        const streak = this.failing.get(partition);
        const attempt = streak?.timer ? streak.attempt : () => undefined;
        this.retryLater(partition, err, undefined, attempt, true);
        const attempts = this.failing.get(partition)?.attempts ?? 1;
        task.holdPunctuations(Date.now() + retryBackoffMs(attempts - 1));
        return;
      }
      const where = { err, partition };
      if (isFenced(err)) {
        this.logger.warn(where, 'task fenced by a newer owner during a punctuation; closing it');
        await this.closeTask(partition);
        await this.afterFenced(partition);
        return;
      }
      this.logger.warn(where, 'punctuation failed; the task starts again from its committed offsets');
      await this.reviveTask(partition, err);
    }
  }

  /** A punctuation ran: a streak of its own waits is over (records that wait go on with theirs). */
  private punctuated(partition: number): void {
    const streak = this.failing.get(partition);
    if (!streak?.punctuation || streak.topic !== undefined) return;
    clearTimeout(streak.timer);
    this.failing.delete(partition);
    this.logger.info(
      { partition, waitedMs: Date.now() - streak.since, attempts: streak.attempts },
      `${streak.waitingFor} is back; the task punctuates again`,
    );
  }

  private async startConsumer(): Promise<void> {
    const { kafka, spec } = this.options;
    // A group of this consumer alone (a fresh name each time: two of them in one group would
    // split the partitions between them).
    const consumer = stoppableConsumer(kafka, {
      groupId: `${this.groupId}.reader-${randomUUID().slice(0, 8)}`,
      readUncommitted: false,
      maxWaitTimeInMs: this.options.commitIntervalMs ?? 100,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.reading = false;
      if (payload.restart) {
        this.logger.warn({ err: payload.error }, 'consumer failed; KafkaJS restarts it');
        return;
      }
      // KafkaJS gives up on errors it deems final; this instance does not.
      const delay = backoffMs(this.restarts++, 1000, 30_000);
      this.logger.warn({ err: payload.error, inMs: delay }, 'consumer stopped; starting it again');
      setTimeout(() => void this.restartConsumer(consumer), delay).unref();
    });
    // Runs inside KafkaJS's join, before it fetches anything with the new assignment.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.restarts = 0;
      const idle: { topic: string; partitions: number[] }[] = [];
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        idle.push({ topic, partitions: partitions.filter((p) => !this.isReading(p)) });
      }
      this.quietly(() => consumer.pause(idle.filter((t) => t.partitions.length > 0)));
      this.reading = true;
      for (const [partition, entry] of this.tasks) {
        if (this.isReading(partition)) this.readFrom(partition, entry.task!.positions);
      }
    });
    // KafkaJS does not call eachBatch for a batch that held only control records (transaction
    // markers) or aborted records; it reports a batch of size 0. Move past it, so the committed
    // offsets reach the end of the inputs (which is how lag and catching up are seen).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) {
        this.skipTo(payload.topic, payload.partition, payload.firstOffset, payload.lastOffset);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...spec.inputs], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Tasks are independent (own stores, own transactional producer): their round trips overlap.
      partitionsConsumedConcurrently: this.options.concurrency ?? 8,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** A new consumer in place of one KafkaJS stopped (it has left its group already). */
  private async restartConsumer(crashed: Consumer): Promise<void> {
    if (this.stopped || this.consumer !== crashed) return;
    try {
      await this.startConsumer();
    } catch (err) {
      // The attempt that failed is the one to replace next time.
      const failed = this.consumer!;
      await failed.disconnect().catch(() => undefined);
      const delay = backoffMs(this.restarts++, 1000, 30_000);
      this.logger.warn({ err, inMs: delay }, 'consumer did not start; trying again');
      setTimeout(() => void this.restartConsumer(failed), delay).unref();
    }
  }

  /** The task of this partition runs and knows where it reads from. */
  private isReading(partition: number): boolean {
    const entry = this.tasks.get(partition);
    return entry?.task?.taskState === TaskState.Running && entry.task.positions.size > 0;
  }

  async onAssignment(partitions: readonly number[]): Promise<void> {
    if (this.stopped) return;
    this.assignment = [...partitions].sort((a, b) => a - b);
    const keep = new Set(partitions);
    const revoked = [...this.tasks.keys()].filter((p) => !keep.has(p));
    for (const p of revoked) {
      this.forgetFailures(p);
      await this.closeTask(p);
    }
    for (const p of this.assignment) {
      if (!this.tasks.has(p)) this.createTask(p);
    }
    this.logger.info({ partitions: this.assignment, revoked }, 'assigned');
  }

  async onLost(): Promise<void> {
    this.assignment = [];
    for (const p of [...this.failing.keys()]) this.forgetFailures(p);
    for (const p of [...this.tasks.keys()]) await this.closeTask(p);
  }

  /**
   * After a failed transaction: closes the task and opens it again after a backoff, reading its
   * inputs from the committed offsets once its stores have caught up (what the failed transaction
   * did is either committed, and restored, or aborted, and read again).
   */
  private async reviveTask(partition: number, err: unknown): Promise<void> {
    await this.closeTask(partition);
    this.retryLater(partition, err, undefined, () => {
      if (!this.tasks.has(partition)) this.createTask(partition);
    });
  }

  /** The group's committed offsets of a partition, each input topic (the start where none is). */
  private async committedOffsets(partition: number): Promise<Map<string, bigint>> {
    const admin = this.options.group.adminClient();
    const topics = [...this.options.spec.inputs];
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics });
    const positions = new Map<string, bigint>();
    for (const { topic, partitions } of committed) {
      let offset = partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      if (BigInt(offset) < 0n) {
        // Nothing committed yet: from the start of the partition.
        const ends = await fetchTopicOffsets(admin, topic);
        offset = ends.find((p) => p.partition === partition)?.low ?? '0';
      }
      positions.set(topic, BigInt(offset));
    }
    return positions;
  }

  private createTask(partition: number): void {
    if (this.stopped) return;
    const entry = {} as TaskEntry;
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
        // (no EndTxn is sent), so that the fencing comes before the stores are restored and the
        // offsets read: fencing afterwards, a task restored from before the previous owner's last
        // commits would go on from a stale state without ever being fenced itself.
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
        commitIntervalMs: this.options.commitIntervalMs,
      });
      entry.task = task;
      task.transitionTo(TaskState.Restoring);
      await resources.restore();
      if (task.taskState !== TaskState.Restoring) return; // closed meanwhile
      const positions = await this.committedOffsets(partition);
      if (task.taskState !== TaskState.Restoring) return; // closed meanwhile
      for (const [topic, offset] of positions) task.positions.set(topic, offset);
      task.transitionTo(TaskState.Running);
      const streak = this.failing.get(partition);
      if (streak && streak.topic === undefined) streak.restarted = true;
      this.logger.debug({ partition }, 'task running');
      if (this.reading) this.readFrom(partition, task.positions);
    })();
    this.tasks.set(partition, entry);
    entry.ready.catch(async (err: unknown) => {
      this.logger.warn({ err, partition }, 'task failed to start; retrying');
      await this.closeTask(partition);
      this.retryLater(partition, err, undefined, () => {
        if (!this.tasks.has(partition)) this.createTask(partition);
      });
    });
  }

  private async closeTask(partition: number): Promise<void> {
    const entry = this.tasks.get(partition);
    if (!entry) return;
    this.tasks.delete(partition);
    this.pause(partition);
    await entry.ready.catch(() => undefined);
    if (entry.task) await entry.task.close();
    else for (const store of entry.resources?.stores ?? []) await store.transaction.store.close();
    await entry.producer?.disconnect().catch(() => undefined);
  }

  private pause(partition: number): void {
    const consumer = this.consumer;
    this.quietly(() =>
      consumer?.pause(this.options.spec.inputs.map((topic) => ({ topic, partitions: [partition] }))),
    );
  }

  /** Points the consumer at a task's positions and lets it fetch. */
  private readFrom(partition: number, positions: ReadonlyMap<string, bigint>): void {
    const consumer = this.consumer;
    this.quietly(() => {
      for (const [topic, offset] of positions)
        consumer?.seek({ topic, partition, offset: offset.toString() });
      consumer?.resume(this.options.spec.inputs.map((topic) => ({ topic, partitions: [partition] })));
    });
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const entry = this.tasks.get(batch.partition);
    const position = entry?.task?.positions.get(batch.topic);
    if (!entry?.task || entry.task.taskState !== TaskState.Running || position === undefined) {
      // No task reads this partition here (yet): it seeks the consumer itself once it runs.
      this.pause(batch.partition);
      return;
    }
    if (this.fetchedPastPosition(batch, position)) {
      this.readFrom(batch.partition, entry.task.positions);
      return;
    }
    // What precedes the task's position (a batch fetched before a seek) the task leaves out itself.
    const messages = batch.messages.filter((m) => BigInt(m.offset) >= position);
    const batchEnd = BigInt(batch.lastOffset()) + 1n;
    const chunkSize = this.options.maxRecordsPerTransaction ?? 5000;
    for (let at = 0; at < messages.length; at += chunkSize) {
      if (!isRunning() || isStale() || this.stopped || this.tasks.get(batch.partition) !== entry) return;
      const chunk = messages.slice(at, at + chunkSize);
      const last = at + chunkSize >= messages.length;
      // The last chunk also moves past what follows it unseen (transaction markers, aborted records).
      const next =
        last && batchEnd > BigInt(chunk.at(-1)!.offset) ? batchEnd : BigInt(chunk.at(-1)!.offset) + 1n;
      const started = performance.now();
      let result: ProcessedChunk;
      try {
        result = await entry.task.process(batch.topic, chunk, next);
      } catch (err) {
        // Closed (and maybe opened again) while this chunk waited: whoever closed it repositions it.
        if (this.tasks.get(batch.partition) !== entry) return;
        if (err instanceof TaskWaitingError) {
          // Nothing of it was written (or only what preceded the failing record): the partition
          // is read again from the task's position once the failure may have passed.
          this.pause(batch.partition);
          this.retryLater(batch.partition, err, batch.topic, () => {
            const task = entry.task;
            if (this.tasks.get(batch.partition) !== entry || task?.taskState !== TaskState.Running) return;
            if (this.reading) this.readFrom(batch.partition, task.positions);
          });
          return;
        }
        const where = { err, topic: batch.topic, partition: batch.partition };
        if (isFenced(err)) {
          this.logger.warn(where, 'task fenced by a newer owner; closing it');
          await this.closeTask(batch.partition);
          await this.afterFenced(batch.partition);
          return;
        }
        this.logger.warn(where, 'transaction failed; the task starts again from its committed offsets');
        await this.reviveTask(batch.partition, err);
        return;
      }
      this.recovered(batch.partition, batch.topic);
      resolveOffset(chunk.at(-1)!.offset);
      if (result.offsetsPending) await this.commitPlainly(batch.topic, batch.partition, next);
      this.options.onProcessed?.({
        partition: batch.partition,
        records: result.records,
        failed: result.failed,
        wrote: result.outputs > 0,
        durationMs: performance.now() - started,
      });
      await heartbeat();
    }
    if (messages.length === 0 && batchEnd > position && isRunning() && !isStale()) {
      this.skipTo(batch.topic, batch.partition, String(position), batch.lastOffset());
    }
  }

  /**
   * Whether a batch was fetched from further on than the task's position: the answer to a fetch
   * sent before the task was pointed back at its position (its transaction failed while a broker
   * was lost, and a fetch to the partition's old leader came back after one to its new leader had
   * taken the seek). Processing it would skip the records in between, so it is dropped and the
   * consumer pointed at the position again. Should the consumer keep fetching from further on
   * (records before it deleted: retention), it is believed the third time, and said.
   */
  private fetchedPastPosition(batch: EachBatchPayload['batch'], position: bigint): boolean {
    const fetched = (batch as unknown as { fetchedOffset?: string | number }).fetchedOffset;
    const key = `${batch.topic}:${batch.partition}`;
    if (fetched === undefined || BigInt(fetched) <= position) {
      this.fetchedAhead.delete(key);
      return false;
    }
    const seen = this.fetchedAhead.get(key);
    const times = seen?.offset === String(fetched) ? seen.times + 1 : 1;
    this.fetchedAhead.set(key, { offset: String(fetched), times });
    const where = {
      topic: batch.topic,
      partition: batch.partition,
      fetched: String(fetched),
      position: String(position),
    };
    if (times < 3) {
      this.logger.debug(where, 'a batch fetched past the task position is dropped');
      return true;
    }
    this.logger.warn(where, 'the records before the fetched offset are gone; the task reads on from there');
    this.fetchedAhead.delete(key);
    return false;
  }

  /**
   * A partition's task failed (its records wait for a failure to pass, a transaction failed, it
   * could not start): `attempt` runs again after a backoff, unless one is scheduled already. Once
   * the partition has failed for taskTimeoutMs in a row, the instance gives up (onFatal) rather
   * than skip anything; without onFatal, it goes on trying at the longest backoff.
   */
  private retryLater(
    partition: number,
    err: unknown,
    topic: string | undefined,
    attempt: () => void,
    punctuation = false,
  ): void {
    if (this.stopped || !this.assignment.includes(partition)) return;
    const now = Date.now();
    let previous = this.failing.get(partition);
    if (previous?.timer) {
      // An attempt is on its way (one per partition): it does what the latest failure needs
      // (a task closed meanwhile is opened again, not merely read from).
      previous.attempt = attempt;
      if (!punctuation) previous.punctuation = false;
      return;
    }
    if (previous && now - previous.failedAt > STREAK_GAP_MS) previous = undefined;
    const waitingFor =
      err instanceof TaskWaitingError || err instanceof PunctuationWaitingError
        ? err.waitingFor
        : (transientCause(err) ?? 'its task to start again');
    const since = previous?.since ?? now;
    const attempts = (previous?.attempts ?? 0) + 1;
    const say = previous === undefined || now - previous.loggedAt >= 30_000;
    const error = err instanceof Error ? err.message : String(err);
    const streak: FailureStreak = {
      attempt,
      restarted: false,
      punctuation: punctuation && (previous === undefined || previous.punctuation === true),
      partition,
      topic: topic ?? previous?.topic,
      waitingFor,
      since,
      attempts,
      error,
      failedAt: now,
      loggedAt: say ? now : previous!.loggedAt,
    };
    this.failing.set(partition, streak);
    const timeoutMs = this.options.taskTimeoutMs ?? 300_000;
    const spent = now - since >= timeoutMs;
    if (spent && this.options.onFatal) {
      const fatal = new Error(
        `task ${this.name}-${partition} waited ${now - since} ms for ${waitingFor} (task timeout ${timeoutMs} ms): ${error}`,
        { cause: err },
      );
      this.logger.error({ err: fatal, partition }, 'a task waited too long; the instance stops');
      this.options.onFatal(fatal);
      return;
    }
    if (say) {
      this.logger.warn(
        { partition, waitingFor, err, attempts, sinceMs: now - since, ...(spent ? { timeoutMs } : {}) },
        `task waits for ${waitingFor}; it tries again`,
      );
    }
    streak.timer = setTimeout(
      () => {
        streak.timer = undefined;
        if (!this.stopped && this.assignment.includes(partition)) streak.attempt();
      },
      retryBackoffMs(spent ? Infinity : attempts - 1),
    );
    streak.timer.unref();
  }

  /** A chunk of `topic` was committed: a streak of that partition is over (one of another topic's records goes on). */
  private recovered(partition: number, topic: string): void {
    const streak = this.failing.get(partition);
    if (!streak || (streak.topic !== undefined && streak.topic !== topic)) return;
    clearTimeout(streak.timer);
    this.failing.delete(partition);
    this.logger.info(
      { partition, waitedMs: Date.now() - streak.since, attempts: streak.attempts },
      `${streak.waitingFor} is back; the task goes on`,
    );
  }

  private forgetFailures(partition: number): void {
    clearTimeout(this.failing.get(partition)?.timer);
    this.failing.delete(partition);
  }

  /**
   * A fenced task: another instance started the partition's task. If the group gives it to that
   * one (the rebalance that moved it may not have reached this instance yet), it is given up
   * here; if the group still gives it here, the other acted on an older assignment, and the task
   * starts again here (fencing that one in turn).
   */
  private async afterFenced(partition: number): Promise<void> {
    for (
      let wait = 100;
      !this.stopped && this.assignment.includes(partition);
      wait = Math.min(wait * 2, 2000)
    ) {
      const current = await this.options.group.currentTasks(this.name);
      if (current !== undefined) {
        if (!current.includes(partition)) this.assignment = this.assignment.filter((p) => p !== partition);
        else if (!this.tasks.has(partition)) this.createTask(partition);
        return;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Moves a running task past records never delivered (markers, aborted), to after `lastOffset`. */
  private skipTo(topic: string, partition: number, firstOffset: string | null, lastOffset: string): void {
    const entry = this.tasks.get(partition);
    const next = BigInt(lastOffset) + 1n;
    if (this.stopped || !entry?.task || entry.task.taskState !== TaskState.Running) return;
    const position = entry.task.positions.get(topic);
    // Only a batch that begins at the task's position shows nothing lies unread before its end.
    if (position === undefined || firstOffset === null || BigInt(firstOffset) > position) return;
    if (!entry.task.skipTo(topic, next)) {
      void entry.task.enqueue(() => this.commitPlainly(topic, partition, next));
    }
  }

  /** At least once: the offset committed to the processor's group, outside any transaction. */
  private async commitPlainly(topic: string, partition: number, offset: bigint): Promise<void> {
    await this.committer
      ?.commit(this.groupId, topic, partition, offset.toString())
      .catch((err: unknown) =>
        this.logger.debug(
          { err, topic, partition, offset: offset.toString() },
          'could not commit; a later commit will',
        ),
      );
  }

  /**
   * Pause, resume and seek throw while KafkaJS has no consumer group (stopped, or restarting after
   * a crash); the next join sets every partition right anyway.
   */
  private quietly(action: () => void): void {
    try {
      action();
    } catch {
      // The join handler redoes this.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.punctuationTimer);
    for (const p of [...this.failing.keys()]) this.forgetFailures(p);
    this.options.group.remove(this);
    await this.consumer?.disconnect();
    for (const p of [...this.tasks.keys()]) await this.closeTask(p);
    await this.committer?.close();
  }
}
