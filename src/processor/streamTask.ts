import type { KafkaMessage, Message, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { TransactionalStore } from '../state/transactionalStore.js';
import type { KesRecord, OutputRecord } from './kesRecord.js';
import type { Processor, ProcessorContext, StoreAccess } from './processor.js';
import { recordScope } from './recordScope.js';
import { checkTaskTransition, TaskState } from './taskState.js';

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
  readonly logger: Logger;
}

export interface ProcessedChunk {
  readonly records: number;
  readonly failed: number;
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
 * without a transaction, and the consumer commits the offsets afterwards.
 */
export class StreamTask {
  private state: TaskState = TaskState.Created;
  readonly id: string;
  private readonly stores: Map<string, TaskStore>;

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
  }

  /**
   * Processes the records of one input partition as one transaction. Resolves once everything is
   * committed; throws (having aborted) when the transaction fails.
   */
  async process(topic: string, messages: readonly KafkaMessage[]): Promise<ProcessedChunk> {
    if (this.state !== TaskState.Running) throw new Error(`task ${this.id} is ${this.state}, not Running`);
    const { processor, partition } = this.options;
    const outputs: OutputRecord[] = [];
    let failed = 0;
    for (const message of messages) {
      const record = toRecord(topic, partition, message);
      const scopes = new Map<string, TransactionalStore>();
      const forwarded: OutputRecord[] = [];
      const context: ProcessorContext = {
        partition,
        store: (name) => this.scope(scopes, name),
        forward: (output) => forwarded.push(output),
      };
      try {
        await processor.process(record, context);
        for (const scope of scopes.values()) await scope.commit();
        outputs.push(...forwarded);
      } catch (err) {
        failed++;
        const error = err instanceof Error ? err : new Error(String(err));
        this.options.logger.warn(
          { task: this.id, topic, offset: record.offset.toString(), err: error },
          'record failed; sent to the dead-letter topic',
        );
        outputs.push(this.deadLetter(record, error));
        try {
          processor.onError?.(record, error, { partition, forward: (output) => outputs.push(output) });
        } catch (onErrorFailure) {
          this.options.logger.error({ task: this.id, err: onErrorFailure }, 'onError failed');
        }
      }
    }
    const changelog = [...this.stores.values()].map((store) => ({
      store,
      writes: store.transaction.pendingWrites(),
    }));
    for (const { store, writes } of changelog) {
      for (const w of writes) outputs.push({ topic: store.changelog, key: w.key, value: w.value, partition });
    }
    const last = BigInt(messages.at(-1)!.offset);
    let sent: RecordMetadata[];
    try {
      sent = await this.send(outputs, topic, last + 1n);
    } catch (err) {
      for (const store of this.stores.values()) store.transaction.abort();
      throw err;
    }
    for (const { store, writes } of changelog) {
      const meta = sent.find((m) => m.topicName === store.changelog && m.partition === partition);
      const checkpoint =
        meta && writes.length > 0 ? BigInt(meta.baseOffset!) + BigInt(writes.length) : undefined;
      await store.transaction.commit(checkpoint);
    }
    return { records: messages.length, failed, outputs: outputs.length };
  }

  private scope(scopes: Map<string, TransactionalStore>, name: string): StoreAccess {
    let scope = scopes.get(name);
    if (!scope) {
      const store = this.stores.get(name);
      if (!store) throw new Error(`processor ${this.options.processor.name} has no store ${name}`);
      scope = recordScope(store.transaction);
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

  /** Writes the outputs (and, exactly once, the input offset) atomically. */
  private async send(
    outputs: readonly OutputRecord[],
    topic: string,
    nextOffset: bigint,
  ): Promise<RecordMetadata[]> {
    const { producer, guarantee, groupId, partition } = this.options;
    const topicMessages = groupByTopic(outputs);
    if (guarantee === 'at_least_once') {
      return topicMessages.length > 0 ? producer.sendBatch({ topicMessages, acks: -1 }) : [];
    }
    const txn = await producer.transaction();
    try {
      const sent = topicMessages.length > 0 ? await txn.sendBatch({ topicMessages, acks: -1 }) : [];
      await txn.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition, offset: nextOffset.toString() }] }],
      });
      await txn.commit();
      return sent;
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.state === TaskState.Closed) return;
    this.transitionTo(TaskState.Closed);
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

function groupByTopic(outputs: readonly OutputRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const o of outputs) {
    let messages = byTopic.get(o.topic);
    if (!messages) byTopic.set(o.topic, (messages = []));
    messages.push({
      key: o.key,
      value: o.value,
      ...(o.headers ? { headers: { ...o.headers } } : {}),
      ...(o.partition !== undefined ? { partition: o.partition } : {}),
    });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
