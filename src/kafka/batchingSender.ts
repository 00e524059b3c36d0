import type { Message, ProducerBatch, RecordMetadata, TopicMessages } from 'kafkajs';
import { isUnavailable } from './kafkaErrors.js';

export interface BatchingSenderOptions {
  /** Records per produce request, at most. Default 1000. */
  readonly maxRecords?: number;
  /** Bytes of keys and values per produce request, at most (below max.message.bytes). Default 512 KiB. */
  readonly maxBytes?: number;
  /** Records waiting for a request, at most; more are refused at once. Default 10,000. */
  readonly maxQueued?: number;
  /**
   * The partition of a keyed record (Kafka's default partitioner): records then name their
   * partition, so that a partition left unanswered is seen (IdempotentSender).
   */
  readonly partitionOf?: (topic: string, key: string) => number | undefined;
}

/** The queue is full: Kafka does not take records as fast as they come. */
export class SendQueueFullError extends Error {
  override readonly name = 'SendQueueFullError';
  readonly retriable = true;
}

interface Queued {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Sends the records handed to it while a produce request is under way together, in the next
 * request (Kafka's producer does the same with its accumulator; here without a linger: a record
 * that finds nothing in flight goes at once, so a lone command waits for nothing). One request at
 * a time, as an idempotent KafkaJS producer needs, yet at high rates each carries many records:
 * throughput follows the rate instead of being one record per round trip.
 *
 * A request that fails fails every record in it; the records keep their order within a topic.
 * When it failed because Kafka is out of reach, the records waiting behind it fail at once too
 * (each request waits out the client's whole retry budget first: one after the other, those
 * waits would add up). A full queue refuses new records (SendQueueFullError).
 */
export class BatchingSender {
  private queue: Queued[] = [];
  private flushing = false;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly maxQueued: number;
  private readonly partitionOf: BatchingSenderOptions['partitionOf'];

  constructor(
    private readonly target: { sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> },
    options: BatchingSenderOptions = {},
  ) {
    this.maxRecords = options.maxRecords ?? 1000;
    this.maxBytes = options.maxBytes ?? 512 * 1024;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.partitionOf = options.partitionOf;
  }

  /** Resolves once the record is written (acks=all), or rejects with the request's error. */
  send(topic: string, message: Message): Promise<void> {
    if (message.partition === undefined && typeof message.key === 'string' && this.partitionOf) {
      const partition = this.partitionOf(topic, message.key);
      if (partition !== undefined) message = { ...message, partition };
    }
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new SendQueueFullError(`${this.queue.length} records wait to be sent`));
    }
    return new Promise((resolve, reject) => {
      // Headers are small (CloudEvents attributes): a fixed allowance stands for them.
      const bytes = byteLength(message.key) + byteLength(message.value) + 512;
      this.queue.push({ topic, message, bytes, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          await this.target.sendBatch({ topicMessages: byTopic(batch), acks: -1 });
          for (const queued of batch) queued.resolve();
        } catch (err) {
          const failed = isUnavailable(err) ? [...batch, ...this.queue.splice(0)] : batch;
          for (const queued of failed) queued.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The oldest queued records, up to the request's limits (at least one). */
  private take(): Queued[] {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < this.maxRecords) {
      const next = this.queue[count]!.bytes;
      if (count > 0 && bytes + next > this.maxBytes) break;
      bytes += next;
      count++;
    }
    return this.queue.splice(0, count);
  }
}

function byTopic(batch: readonly Queued[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of batch) {
    let messages = topics.get(topic);
    if (!messages) topics.set(topic, (messages = []));
    messages.push(message);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

function byteLength(data: Message['key'] | Message['value']): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
