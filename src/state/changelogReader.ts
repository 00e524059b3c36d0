import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type {
  ChangelogOffsets,
  ChangelogReadRequest,
  ChangelogRecord,
  ChangelogSource,
} from './changelogSource.js';
import { StateError } from './stateError.js';
import { isUnknownTopic } from '../kafka/kafkaErrors.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import { stoppableConsumer } from '../kafka/stoppableConsumer.js';

export interface ChangelogReaderOptions {
  readonly kafka: Kafka;
  /** A group of this reader alone, e.g. `<appId>-<instanceId>-restore`; it never commits offsets. */
  readonly groupId: string;
  /**
   * The changelog topics to subscribe to at once: every changelog topic of the application, as
   * the topology declares them. A topic read later that is not among them is added then, at the
   * cost of leaving and rejoining the group (which a real broker delays by
   * group.initial.rebalance.delay.ms, 3 s by default).
   */
  readonly topics?: readonly string[];
  /** How long a fetch waits for data, and how long the consumer idles while nothing is read; default 100. */
  readonly maxWaitTimeInMs?: number;
  /** Partitions handled at the same time; default 4. */
  readonly partitionsConsumedConcurrently?: number;
}

interface ActiveRead {
  readonly topic: string;
  readonly partition: number;
  readonly to: bigint;
  readonly maxRecords: number;
  readonly onRecords: ChangelogReadRequest['onRecords'];
  /** The next offset not yet handed to the queue. */
  fetched: bigint;
  /** The next offset not yet applied by onRecords. */
  applied: bigint;
  /** onRecords calls, one after the other. */
  queue: Promise<void>;
  settled: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const partitionKey = (topic: string, partition: number) => `${partition}:${topic}`;

/**
 * Reads changelog partitions for restores, with one KafkaJS consumer for the whole application
 * instance. KafkaJS cannot assign partitions by hand, so the consumer subscribes to the changelog
 * topics in a group of its own: as the only member it is assigned every partition. It keeps every
 * partition paused except those being read; a read seeks its partition to the start offset and
 * resumes it, and pauses it again when it has reached its end. Offsets are never committed: the
 * stores' checkpoints are the positions. The consumer reads read_committed, so KafkaJS leaves out
 * aborted records and control records; the offsets they take still count towards the end.
 *
 * After every join (the first, a rejoin to add topics, a rebalance, a restart after a crash) the
 * assignment starts from scratch, so the join handler pauses everything again and seeks each read
 * to where it is.
 */
export class ChangelogReader implements ChangelogSource {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly reads = new Map<string, ActiveRead>();
  private readonly subscribed = new Set<string>();
  private readonly wanted = new Set<string>();
  /** Subscription changes, one after the other. */
  private membership: Promise<void> = Promise.resolve();
  private running = false;
  private joins = 0;
  private closing: Promise<void> | undefined;
  private failure: StateError | undefined;

  private constructor(private readonly options: ChangelogReaderOptions) {
    this.consumer = stoppableConsumer(options.kafka, {
      groupId: options.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
    });
    this.admin = options.kafka.admin();
    const { GROUP_JOIN, END_BATCH_PROCESS, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, ({ payload }) => this.onJoin(payload.memberAssignment));
    // KafkaJS does not call eachBatch for a batch that held only control records or aborted
    // data; it reports it as a batch of size 0, and the reader must still move past it.
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) this.onSkipped(payload.topic, payload.partition, payload.lastOffset);
    });
    this.consumer.on(CRASH, ({ payload }) => {
      if (!payload.restart) this.onFailure(payload.error);
    });
  }

  /** Connects, and subscribes to `options.topics` if any. */
  static async connect(options: ChangelogReaderOptions): Promise<ChangelogReader> {
    const reader = new ChangelogReader(options);
    try {
      await reader.admin.connect();
      await reader.consumer.connect();
      if (options.topics && options.topics.length > 0) await reader.subscribe(options.topics);
    } catch (err) {
      await reader.close().catch(() => {});
      throw err;
    }
    return reader;
  }

  /**
   * The partition's log start, and its end as read_committed sees it: KafkaJS's ListOffsets asks
   * with isolation level READ_COMMITTED unless told otherwise, so the end is the last stable offset.
   */
  async offsets(topic: string, partition: number): Promise<ChangelogOffsets> {
    this.checkUsable();
    let all: Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
    try {
      all = await fetchTopicOffsets(this.admin, topic);
    } catch (err) {
      if (!isUnknownTopic(err)) throw err;
      throw new StateError('UNKNOWN_PARTITION', `${topic}-${partition}`, { cause: err });
    }
    const found = all.find((p) => p.partition === partition);
    if (!found) throw new StateError('UNKNOWN_PARTITION', `${topic}-${partition}`);
    return { logStartOffset: BigInt(found.low), endOffset: BigInt(found.high) };
  }

  async read(request: ChangelogReadRequest): Promise<void> {
    this.checkUsable();
    const { topic, partition, from, to } = request;
    if (from >= to) return;
    const key = partitionKey(topic, partition);
    if (this.reads.has(key)) throw new StateError('READ_IN_PROGRESS', `${topic}-${partition}`);
    let read!: ActiveRead;
    const done = new Promise<void>((resolve, reject) => {
      read = {
        topic,
        partition,
        to,
        maxRecords: Math.max(1, request.maxRecords),
        onRecords: request.onRecords,
        fetched: from,
        applied: from,
        queue: Promise.resolve(),
        settled: false,
        resolve,
        reject,
      };
    });
    // The caller gets `done` only after subscribing; a close before then must not count as unhandled.
    done.catch(() => {});
    // Registered before subscribing, so that any join from here on starts it.
    this.reads.set(key, read);
    const joins = this.joins;
    try {
      await this.subscribe([topic]);
    } catch (err) {
      this.settle(read, err);
      return done;
    }
    if (!read.settled && this.joins === joins) this.startFetching(read);
    return done;
  }

  /** Ends every read in progress (they reject with CLOSED) and disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new StateError('CLOSED', 'changelog reader');
      for (const read of [...this.reads.values()]) this.settle(read, closed);
      await this.membership;
      await this.consumer.disconnect();
      await this.admin.disconnect();
    })();
    return this.closing;
  }

  private checkUsable(): void {
    if (this.closing) throw new StateError('CLOSED', 'changelog reader');
    if (this.failure) throw this.failure;
  }

  /**
   * Subscribes to the topics not yet subscribed. KafkaJS takes subscriptions only while stopped,
   * so a running consumer is stopped, subscribed and run again.
   */
  private subscribe(topics: readonly string[]): Promise<void> {
    for (const topic of topics) this.wanted.add(topic);
    const step = this.membership.then(async () => {
      const missing = [...this.wanted].filter((topic) => !this.subscribed.has(topic));
      if (missing.length === 0) return;
      this.checkUsable();
      // A topic KafkaJS fails to subscribe to would stay in its subscription and break every
      // later join, so make sure the topics exist first.
      try {
        for (const topic of missing) await this.offsets(topic, 0);
      } catch (err) {
        for (const topic of missing) this.wanted.delete(topic);
        throw err;
      }
      if (this.running) {
        await this.consumer.stop();
        this.running = false;
      }
      try {
        await this.consumer.subscribe({ topics: missing, fromBeginning: true });
        for (const topic of missing) this.subscribed.add(topic);
      } finally {
        // Run again even if subscribing failed: the reads of the other topics go on.
        if (this.subscribed.size > 0) await this.run();
      }
    });
    this.membership = step.catch(() => {});
    return step;
  }

  private async run(): Promise<void> {
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
  }

  /** Runs inside KafkaJS's join, before it fetches anything with the new assignment. */
  private onJoin(assignment: Record<string, number[]>): void {
    this.joins++;
    const idle = Object.entries(assignment)
      .map(([topic, partitions]) => ({
        topic,
        partitions: partitions.filter((p) => !this.reads.has(partitionKey(topic, p))),
      }))
      .filter(({ partitions }) => partitions.length > 0);
    // Explicit partitions only: KafkaJS's pause-the-whole-topic form is undone by the first
    // pause of a single partition.
    this.quietly(() => this.consumer.pause(idle));
    for (const read of this.reads.values()) this.startFetching(read);
  }

  private startFetching(read: ActiveRead): void {
    const { topic, partition } = read;
    this.quietly(() => {
      this.consumer.seek({ topic, partition, offset: read.fetched.toString() });
      this.consumer.resume([{ topic, partitions: [partition] }]);
    });
  }

  private async onBatch({ batch, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    const read = this.reads.get(partitionKey(batch.topic, batch.partition));
    if (!read) {
      this.stopFetching(batch.topic, batch.partition);
      return;
    }
    if (isStale()) return;
    const next = BigInt(batch.lastOffset()) + 1n;
    if (next <= read.fetched) return;
    let records: ChangelogRecord[];
    try {
      records = batch.messages
        .filter((m) => BigInt(m.offset) >= read.fetched && BigInt(m.offset) < read.to)
        .map((m) => toRecord(read, m));
    } catch (err) {
      this.settle(read, err);
      return;
    }
    this.handOver(read, records, next, heartbeat);
    // Hold KafkaJS here until the records are applied: no fetching far ahead of the store.
    await read.queue;
  }

  private onSkipped(topic: string, partition: number, lastOffset: string): void {
    const read = this.reads.get(partitionKey(topic, partition));
    if (!read) return;
    const next = BigInt(lastOffset) + 1n;
    if (next > read.fetched) this.handOver(read, [], next);
  }

  /** Queues records for onRecords; what lies at or beyond the read's end was left out. */
  private handOver(
    read: ActiveRead,
    records: ChangelogRecord[],
    fetchedUpTo: bigint,
    heartbeat?: () => Promise<void>,
  ): void {
    const next = fetchedUpTo < read.to ? fetchedUpTo : read.to;
    read.fetched = next;
    if (next >= read.to) this.stopFetching(read.topic, read.partition);
    read.queue = read.queue
      .then(async () => {
        for (let i = 0; i === 0 || i < records.length; i += read.maxRecords) {
          if (read.settled) return;
          const chunk = records.slice(i, i + read.maxRecords);
          const last = i + read.maxRecords >= records.length;
          const nextOffset = last ? next : chunk.at(-1)!.offset + 1n;
          await read.onRecords(chunk, nextOffset);
          read.applied = nextOffset;
          // A long batch must not cost the group membership. A heartbeat error (a rebalance)
          // shows again on KafkaJS's own heartbeat after the batch, which then rejoins.
          if (!last) await heartbeat?.().catch(() => {});
        }
        if (read.applied >= read.to) this.settle(read);
      })
      .catch((err: unknown) => this.settle(read, err));
  }

  private stopFetching(topic: string, partition: number): void {
    this.quietly(() => this.consumer.pause([{ topic, partitions: [partition] }]));
  }

  /** Ends a read: resolved without an error, rejected with one. */
  private settle(read: ActiveRead, error?: unknown): void {
    if (read.settled) return;
    read.settled = true;
    const key = partitionKey(read.topic, read.partition);
    if (this.reads.get(key) === read) this.reads.delete(key);
    this.stopFetching(read.topic, read.partition);
    if (error === undefined) read.resolve();
    else read.reject(error);
  }

  private onFailure(error: Error): void {
    this.failure = new StateError('READER_FAILED', error.message, { cause: error });
    this.running = false;
    for (const read of [...this.reads.values()]) this.settle(read, this.failure);
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
}

function toRecord(read: ActiveRead, message: KafkaMessage): ChangelogRecord {
  if (message.key === null || message.key === undefined) {
    throw new StateError(
      'INVALID_CHANGELOG_RECORD',
      `${read.topic}-${read.partition} offset ${message.offset} has no key`,
    );
  }
  return { offset: BigInt(message.offset), key: message.key.toString('utf8'), value: message.value };
}
