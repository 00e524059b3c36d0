import type { KafkaMessage, Message, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { TransactionalStore } from '../state/transactionalStore.js';
import type { Forwarded, KesRecord, OutputRecord, RecordPosition } from './kesRecord.js';
import { partitionForKey } from './partitioner.js';
import type {
  AfterBuilder,
  Processor,
  ProcessorContext,
  PunctuationContext,
  StoreAccess,
} from './processor.js';
import { PunctuationSchedule } from './punctuationSchedule.js';
import { recordScope } from './recordScope.js';
import { checkTaskTransition, TaskState } from './taskState.js';
import { transientCause } from './transientError.js';
import { withRecordSpan, withTraceHeaders } from '../tracing/recordTracing.js';

/** A task's store: its transaction-wide view, and the compacted topic its writes are logged to. */
export interface TaskStore {
  readonly changelog: string;
  readonly transaction: TransactionalStore;
}

export type ProcessingGuarantee = 'exactly_once' | 'at_least_once';

export interface StreamTaskOptions {
  readonly processor: Processor;
  readonly partition: number;
  readonly stores: readonly TaskStore[];
  /** Transactional (exactly once) or idempotent (at least once). */
  readonly producer: Producer;
  readonly guarantee: ProcessingGuarantee;
  /** The consumer group whose offsets the transaction commits. */
  readonly groupId: string;
  readonly deadLetterTopic: string;
  /** Partition counts of the topics it writes to (to place keyed records as Kafka's partitioner does). */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly logger: Logger;
  /**
   * Exactly once: how long the offset of input that wrote nothing waits for the next transaction
   * to carry it, before a transaction of its own commits it. Default 100 ms.
   */
  readonly commitIntervalMs?: number;
}

export interface ProcessedChunk {
  readonly records: number;
  readonly failed: number;
  readonly outputs: number;
  /** At least once: the caller commits the input offset (exactly once commits it itself). */
  readonly offsetsPending: boolean;
}

/**
 * A record of a chunk hit a failure that may pass (transientCause: the registry, Kafka, the local
 * disk, or a processor's TransientError). What preceded it in the chunk was written (one
 * transaction); from it on nothing was, and the task's position is that record: the caller waits,
 * then gives it the records from there again.
 */
export class TaskWaitingError extends Error {
  override readonly name = 'TaskWaitingError';

  constructor(
    readonly task: string,
    /** What it waits for: "the schema registry", "Kafka", "the local store", ... */
    readonly waitingFor: string,
    readonly offset: bigint,
    cause: unknown,
  ) {
    super(
      `task ${task} waits for ${waitingFor} (offset ${offset}): ${(cause as Error)?.message ?? String(cause)}`,
      {
        cause,
      },
    );
  }
}

/**
 * A punctuation hit a failure that may pass (transientCause): nothing of it was written; the
 * caller holds the task's punctuations for a backoff, after which the same punctuator runs again.
 */
export class PunctuationWaitingError extends Error {
  override readonly name = 'PunctuationWaitingError';

  constructor(
    readonly task: string,
    readonly punctuator: string,
    readonly waitingFor: string,
    cause: unknown,
  ) {
    super(
      `punctuation ${punctuator} of task ${task} waits for ${waitingFor}: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
}

/** What a punctuation did. */
export interface Punctuated {
  readonly punctuator: string;
  /** Records written: its outputs and the changelog records of its store writes. */
  readonly outputs: number;
}

/** Headers a dead-lettered record carries, besides its own. */
export const DeadLetterHeaders = {
  processor: 'kes.dlq.processor',
  error: 'kes.dlq.error',
  errorType: 'kes.dlq.error-type',
  topic: 'kes.dlq.topic',
  partition: 'kes.dlq.partition',
  offset: 'kes.dlq.offset',
} as const;

/**
 * One partition number of one processor (Kafka Streams' StreamTask). It processes chunks of
 * input records in transactions: the outputs, the changelog records of its store writes and the
 * input offsets are committed together (exactly once), and only then are the store writes applied
 * locally, with the changelog offset as checkpoint. A transaction that fails is aborted and its
 * store writes dropped; the caller re-reads the chunk. Under at-least-once the same happens
 * without a transaction, and the consumer commits the offsets afterwards. Its processor's
 * punctuators run between chunks, each punctuation in a transaction of its own (`punctuate`).
 */
export class StreamTask {
  private state: TaskState = TaskState.Created;
  /** Chunks run one after the other: a task's inputs (several topics) may arrive concurrently. */
  private queue: Promise<unknown> = Promise.resolve();
  readonly id: string;
  private readonly stores: Map<string, TaskStore>;
  /**
   * Exactly once: offsets of input that wrote nothing, not committed yet. The next transaction
   * commits them; if none comes within commitIntervalMs, a transaction of offsets alone does.
   * Until then a crash means reading that input again, which writes nothing again.
   */
  private readonly pendingOffsets = new Map<string, bigint>();
  /**
   * Per input topic, the offset of the next record to process: set by the runner before the task
   * runs (the committed offsets), moved by every chunk it processes. Records before it are
   * ignored (a batch fetched before the consumer was pointed here again).
   */
  readonly positions = new Map<string, bigint>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Made when the task starts Running (so a revived task starts its schedule again). */
  private schedule: PunctuationSchedule | undefined;
  /** A punctuation waits in the queue or runs: no second one is queued behind it. */
  private punctuationQueued = false;

  constructor(private readonly options: StreamTaskOptions) {
    this.id = `${options.processor.name}-${options.partition}`;
    this.stores = new Map(options.stores.map((s) => [s.transaction.name, s]));
  }

  get taskState(): TaskState {
    return this.state;
  }

  get partition(): number {
    return this.options.partition;
  }

  transitionTo(to: TaskState): void {
    checkTaskTransition(this.id, this.state, to);
    this.state = to;
    const punctuators = this.options.processor.punctuators ?? [];
    if (to === TaskState.Running && punctuators.length > 0) {
      this.schedule = new PunctuationSchedule(punctuators, Date.now());
    }
  }

  /** Whether a punctuator is due (and none is queued already): `punctuate` would run it. */
  punctuationDue(now = Date.now()): boolean {
    return (
      this.state === TaskState.Running && !this.punctuationQueued && this.schedule?.due(now) !== undefined
    );
  }

  /** After a punctuation's failure that may pass: no punctuation runs before `until`. */
  holdPunctuations(until: number): void {
    this.schedule?.holdUntil(until);
  }

  /**
   * Runs the punctuator that is due once the chunks queued before it are done (never during one),
   * and commits what it wrote in a transaction of its own (exactly once: with the offsets of input
   * that wrote nothing, if any wait). Resolves with what it did, or undefined when none was due
   * (or the task no longer runs). Throws PunctuationWaitingError for a failure that may pass;
   * any other error (a bug in the punctuator, a failed transaction) leaves the task to be revived.
   */
  punctuate(): Promise<Punctuated | undefined> {
    this.punctuationQueued = true;
    return this.enqueue(() => this.punctuateNow()).finally(() => {
      this.punctuationQueued = false;
    });
  }

  private async punctuateNow(): Promise<Punctuated | undefined> {
    const now = Date.now();
    const punctuator = this.state === TaskState.Running ? this.schedule?.due(now) : undefined;
    if (!punctuator) return undefined;
    const scopes = new Map<string, TransactionalStore>();
    const outputs: PendingOutput[] = [];
    const context: PunctuationContext = {
      partition: this.options.partition,
      now,
      store: (name) => this.scope(scopes, name),
      forward: (output) => push(outputs, this.pending(withTraceHeaders(output))),
    };
    let more: boolean;
    try {
      more = (await punctuator.punctuate(context)) === 'more';
      for (const scope of scopes.values()) await scope.commit();
    } catch (err) {
      this.abortStores();
      const waitingFor = transientCause(err);
      if (waitingFor !== undefined)
        throw new PunctuationWaitingError(this.id, punctuator.name, waitingFor, err);
      this.options.logger.error(
        { task: this.id, punctuator: punctuator.name, err },
        'punctuation failed (a bug: not a failure that passes)',
      );
      throw err;
    }
    const written = await this.writeAndApply(outputs, [], undefined);
    this.schedule!.ran(punctuator, now, more);
    return { punctuator: punctuator.name, outputs: written.records };
  }

  /**
   * Processes the records of one input partition as one transaction. Resolves once everything is
   * committed; throws (having aborted) when the transaction fails.
   */
  process(
    topic: string,
    messages: readonly KafkaMessage[],
    nextOffset = BigInt(messages.at(-1)!.offset) + 1n,
  ): Promise<ProcessedChunk> {
    return this.enqueue(() => this.processNow(topic, messages, nextOffset));
  }

  /**
   * Moves the input position past records that are never delivered (transaction markers, aborted
   * records). Exactly once: committed with the next transaction, or alone after commitIntervalMs;
   * returns false under at least once, where the caller commits it.
   */
  skipTo(topic: string, nextOffset: bigint): boolean {
    if (!this.advance(topic, nextOffset)) return true;
    if (this.options.guarantee === 'at_least_once') return false;
    this.deferOffset(topic, nextOffset);
    return true;
  }

  /** Moves the position of `topic` forward to `nextOffset`; false if it is there already. */
  private advance(topic: string, nextOffset: bigint): boolean {
    const position = this.positions.get(topic);
    if (position !== undefined && position >= nextOffset) return false;
    this.positions.set(topic, nextOffset);
    return true;
  }

  private deferOffset(topic: string, nextOffset: bigint): void {
    const known = this.pendingOffsets.get(topic);
    if (known === undefined || known < nextOffset) this.pendingOffsets.set(topic, nextOffset);
    // Timed from the oldest offset waiting: input that never writes is still committed this often.
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.enqueue(() => this.flushOffsets()).catch((err: unknown) =>
        this.options.logger.debug(
          { task: this.id, err },
          'could not commit offsets; the next transaction will',
        ),
      );
    }, this.options.commitIntervalMs ?? 100);
    this.flushTimer.unref();
  }

  /** A transaction of the pending offsets alone. */
  private async flushOffsets(closing = false): Promise<void> {
    if ((!closing && this.state !== TaskState.Running) || this.pendingOffsets.size === 0) return;
    const offsets = new Map(this.pendingOffsets);
    const txn = await this.options.producer.transaction();
    try {
      await txn.sendOffsets({ consumerGroupId: this.options.groupId, topics: this.offsetTopics(offsets) });
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
    this.committedOffsets(offsets);
  }

  /** Forgets the pending offsets a transaction committed (or went past). */
  private committedOffsets(offsets: ReadonlyMap<string, bigint>): void {
    for (const [topic, offset] of offsets) {
      const pending = this.pendingOffsets.get(topic);
      if (pending !== undefined && pending <= offset) this.pendingOffsets.delete(topic);
    }
  }

  private offsetTopics(offsets: ReadonlyMap<string, bigint>) {
    const { partition } = this.options;
    return [...offsets].map(([topic, offset]) => ({
      topic,
      partitions: [{ partition, offset: offset.toString() }],
    }));
  }

  /** Runs `work` after the chunks queued before it (one thing at a time per task). */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async processNow(
    topic: string,
    messages: readonly KafkaMessage[],
    nextOffset: bigint,
  ): Promise<ProcessedChunk> {
    if (this.state !== TaskState.Running) throw new Error(`task ${this.id} is ${this.state}, not Running`);
    const from = this.positions.get(topic) ?? 0n;
    if (from > 0n) messages = messages.filter((m) => BigInt(m.offset) >= from);
    if (messages.length === 0 || nextOffset <= from) {
      return { records: 0, failed: 0, outputs: 0, offsetsPending: false };
    }
    const { processor, partition } = this.options;
    const outputs: PendingOutput[] = [];
    const later: AfterBuilder[] = [];
    let failed = 0;
    /** A record that hit a failure that may pass: the chunk ends before it. */
    let waiting: TaskWaitingError | undefined;
    const records = messages.map((message) => toRecord(topic, partition, message));
    try {
      for (const [name, keys] of processor.prefetch?.(records) ?? []) {
        if (keys.length > 0) await this.storeNamed(name).transaction.store.getMany(keys);
      }
    } catch (err) {
      const waitingFor = transientCause(err);
      if (waitingFor === undefined) throw err;
      throw new TaskWaitingError(this.id, waitingFor, records[0]!.offset, err);
    }
    for (const record of records) {
      const scopes = new Map<string, TransactionalStore>();
      const forwarded: PendingOutput[] = [];
      const built: AfterBuilder[] = [];
      const context: ProcessorContext = {
        partition,
        store: (name) => this.scope(scopes, name),
        forward: (output) => push(forwarded, this.pending(withTraceHeaders(output))),
        forwardAfter: (build) => void built.push(build),
      };
      try {
        await withRecordSpan(processor.name, record, () => processor.process(record, context));
        for (const scope of scopes.values()) await scope.commit();
        outputs.push(...forwarded);
        later.push(...built);
      } catch (err) {
        const waitingFor = transientCause(err);
        if (waitingFor !== undefined) {
          // Not this record's fault: it is processed again later (its writes were not taken).
          waiting = new TaskWaitingError(this.id, waitingFor, record.offset, err);
          break;
        }
        failed++;
        const error = err instanceof Error ? err : new Error(String(err));
        this.options.logger.warn(
          { task: this.id, topic, offset: record.offset.toString(), err: error },
          'record failed; sent to the dead-letter topic',
        );
        outputs.push(this.pending(this.deadLetter(record, error)));
        try {
          processor.onError?.(record, error, {
            partition,
            forward: (output) => push(outputs, this.pending(output)),
            forwardAfter: (build) => void later.push(build),
          });
        } catch (onErrorFailure) {
          this.options.logger.error({ task: this.id, err: onErrorFailure }, 'onError failed');
        }
      }
    }
    if (waiting) {
      if (waiting.offset === records[0]!.offset) {
        this.abortStores();
        throw waiting;
      }
      // What preceded the failing record is written now, once: the chunk ends before it.
      nextOffset = waiting.offset;
    }
    const written = await this.writeAndApply(outputs, later, { topic, nextOffset });
    this.advance(topic, nextOffset);
    if (waiting) throw waiting;
    return {
      records: messages.length,
      failed,
      outputs: written.records,
      offsetsPending: written.offsetsPending,
    };
  }

  /**
   * Sends what a chunk or a punctuation wrote (send), then applies its store writes locally with
   * their changelog offsets as checkpoints; a send that fails drops them.
   */
  private async writeAndApply(
    outputs: PendingOutput[],
    later: readonly AfterBuilder[],
    input: { topic: string; nextOffset: bigint } | undefined,
  ): Promise<{ records: number; checkpoints: Map<string, bigint>; offsetsPending: boolean }> {
    let written: { records: number; checkpoints: Map<string, bigint>; offsetsPending: boolean };
    try {
      written = await this.send(outputs, later, input);
    } catch (err) {
      this.abortStores();
      throw err;
    }
    for (const store of this.stores.values()) {
      await store.transaction.commit(written.checkpoints.get(store.transaction.name));
    }
    return written;
  }

  /** Drops the store writes of the chunk or punctuation under way. */
  private abortStores(): void {
    for (const store of this.stores.values()) store.transaction.abort();
  }

  /**
   * An output with its partition decided (explicit, else the key's, else this task's). A record
   * too big for any batch is refused here, inside the processing of its input, which then goes to
   * the dead-letter topic instead of failing the transaction again and again.
   */
  private pending(record: OutputRecord): PendingOutput {
    const size = recordSize(record);
    if (size > MAX_RECORD_BYTES) {
      throw new Error(`a record of ${size} bytes for ${record.topic} exceeds ${MAX_RECORD_BYTES}`);
    }
    let partition = record.partition;
    if (partition === undefined) {
      const count = this.options.partitionCounts.get(record.topic);
      if (count === undefined) throw new Error(`unknown output topic ${record.topic}`);
      partition = record.key === null ? this.options.partition % count : partitionForKey(record.key, count);
    }
    return { record, partition, position: undefined };
  }

  private scope(scopes: Map<string, TransactionalStore>, name: string): StoreAccess {
    let scope = scopes.get(name);
    if (!scope) {
      scope = recordScope(this.storeNamed(name).transaction);
      scopes.set(name, scope);
    }
    return scope;
  }

  private deadLetter(record: KesRecord, error: Error): OutputRecord {
    return {
      topic: this.options.deadLetterTopic,
      key: record.key,
      value: record.value,
      headers: {
        ...record.headers,
        [DeadLetterHeaders.processor]: this.options.processor.name,
        [DeadLetterHeaders.error]: error.message,
        [DeadLetterHeaders.errorType]: error.name,
        [DeadLetterHeaders.topic]: record.topic,
        [DeadLetterHeaders.partition]: String(record.partition),
        [DeadLetterHeaders.offset]: record.offset.toString(),
      },
    };
  }

  /**
   * Writes the outputs; then runs the builders (which see where those landed and may write to the
   * stores) and writes what they built together with the stores' changelog records; and (exactly
   * once) commits the input offset — all atomically. Returns how many records were written and,
   * per store, the changelog offset after its last record. Without `input` (a punctuation) it
   * commits only the offsets of earlier input that wrote nothing, if any wait.
   */
  private async send(
    outputs: PendingOutput[],
    later: readonly AfterBuilder[],
    input: { topic: string; nextOffset: bigint } | undefined,
  ): Promise<{ records: number; checkpoints: Map<string, bigint>; offsetsPending: boolean }> {
    const { producer, guarantee, groupId, partition } = this.options;
    const write = async (send: (batch: TopicMessages[]) => Promise<RecordMetadata[]>) => {
      await sendInPieces(outputs, send);
      const access = { store: (name: string) => this.storeNamed(name).transaction };
      const second: PendingOutput[] = [];
      for (const build of later) {
        const built = await build(access);
        for (const o of Array.isArray(built) ? built : [built as OutputRecord]) second.push(this.pending(o));
      }
      const changelog = [...this.stores.values()].map((store) => ({
        name: store.transaction.name,
        outputs: store.transaction
          .pendingWrites()
          .map((w) => this.pending({ topic: store.changelog, key: w.key, value: w.value, partition })),
      }));
      for (const c of changelog) second.push(...c.outputs);
      await sendInPieces(second, send);
      const checkpoints = new Map<string, bigint>();
      for (const c of changelog) {
        const end = c.outputs.at(-1)?.position;
        if (end) checkpoints.set(c.name, end.offset + 1n);
      }
      return { records: outputs.length + second.length, checkpoints, offsetsPending: false };
    };
    if (guarantee === 'at_least_once') {
      const written = await write((topicMessages) => producer.sendBatch({ topicMessages, acks: -1 }));
      return { ...written, offsetsPending: input !== undefined };
    }
    if (
      outputs.length === 0 &&
      later.length === 0 &&
      [...this.stores.values()].every((s) => s.transaction.pendingCount === 0)
    ) {
      // Nothing to write: no transaction now; the next one (or one of offsets alone) commits it.
      if (input) this.deferOffset(input.topic, input.nextOffset);
      return { records: 0, checkpoints: new Map(), offsetsPending: false };
    }
    const offsets = new Map(this.pendingOffsets);
    if (input) offsets.set(input.topic, input.nextOffset);
    const txn = await producer.transaction();
    try {
      const written = await write((topicMessages) => txn.sendBatch({ topicMessages, acks: -1 }));
      if (offsets.size > 0) {
        await txn.sendOffsets({ consumerGroupId: groupId, topics: this.offsetTopics(offsets) });
      }
      await txn.commit();
      this.committedOffsets(offsets);
      return written;
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
  }

  private storeNamed(name: string): TaskStore {
    const store = this.stores.get(name);
    if (!store) throw new Error(`processor ${this.options.processor.name} has no store ${name}`);
    return store;
  }

  /**
   * Stops taking work, lets the chunk under way finish (work queued after it fails before it
   * starts: a task is closed between transactions, never in the middle of one), then closes
   * the stores.
   */
  async close(): Promise<void> {
    if (this.state === TaskState.Closed) return;
    clearTimeout(this.flushTimer);
    if (this.state === TaskState.Running && this.pendingOffsets.size > 0) {
      // The offsets of input that wrote nothing, so that the next owner need not read it again
      // (a fenced task fails here at once; reading it again would write nothing either).
      void this.enqueue(() => this.flushOffsets(true)).catch(() => undefined);
    }
    this.transitionTo(TaskState.Closed);
    await this.queue;
    for (const store of this.stores.values()) {
      store.transaction.abort();
      await store.transaction.store.close();
    }
  }
}

function toRecord(topic: string, partition: number, message: KafkaMessage): KesRecord {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) headers[key] = last.toString();
  }
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    headers,
    timestamp: Number(message.timestamp),
  };
}

interface PendingOutput {
  readonly record: OutputRecord;
  readonly partition: number;
  position: RecordPosition | undefined;
}

/**
 * KafkaJS writes everything sent for one partition in one request as one record batch, and a
 * broker refuses batches over max.message.bytes (1 MB by default): outputs are sent in pieces
 * of at most this many bytes, one after the other within the transaction.
 */
const MAX_PIECE_BYTES = 512 * 1024;
/** The largest single record the runtime writes (below the default max.message.bytes). */
const MAX_RECORD_BYTES = 900 * 1024;

function recordSize(record: OutputRecord): number {
  let size = 64 + (record.key ? Buffer.byteLength(record.key) : 0) + (record.value?.length ?? 0);
  for (const [k, v] of Object.entries(record.headers ?? {})) size += k.length + Buffer.byteLength(v) + 4;
  return size;
}

/** Sends outputs in order, in pieces small enough for any batch, and records where each landed. */
async function sendInPieces(
  outputs: readonly PendingOutput[],
  send: (batch: TopicMessages[]) => Promise<RecordMetadata[]>,
): Promise<void> {
  let piece: PendingOutput[] = [];
  let bytes = 0;
  const flush = async () => {
    if (piece.length > 0) locate(piece, await send(groupByTopic(piece)));
    piece = [];
    bytes = 0;
  };
  for (const output of outputs) {
    const size = recordSize(output.record);
    if (bytes + size > MAX_PIECE_BYTES) await flush();
    piece.push(output);
    bytes += size;
  }
  await flush();
}

function push(list: PendingOutput[], output: PendingOutput): Forwarded {
  list.push(output);
  return output;
}

/** Records per topic, in order, with their partitions set: offsets follow from the order. */
function groupByTopic(outputs: readonly PendingOutput[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { record: o, partition } of outputs) {
    let messages = byTopic.get(o.topic);
    if (!messages) byTopic.set(o.topic, (messages = []));
    messages.push({
      key: o.key,
      value: o.value,
      partition,
      ...(o.headers ? { headers: { ...o.headers } } : {}),
    });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * Sets each output's position from the produce answers: per topic partition, the records were
 * appended in order from the batch's base offset.
 */
function locate(outputs: readonly PendingOutput[], written: readonly RecordMetadata[]): void {
  const next = new Map<string, bigint>();
  for (const m of written) next.set(`${m.topicName}:${m.partition}`, BigInt(m.baseOffset!));
  for (const output of outputs) {
    const key = `${output.record.topic}:${output.partition}`;
    const offset = next.get(key);
    if (offset === undefined) throw new Error(`no produce answer for ${key}`);
    output.position = { topic: output.record.topic, partition: output.partition, offset };
    next.set(key, offset + 1n);
  }
}
