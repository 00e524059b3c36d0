// First: KafkaJS must be loaded after kes's fixes to it are in place.
import { assertKafkaJsFixes } from '../kafka/kafkaJsFixes.js';
import { randomUUID } from 'node:crypto';
import {
  type Admin,
  type Consumer,
  Kafka,
  type KafkaConfig,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogCreator } from '../config/kafkaLogger.js';
import { decodeSchemasRecord, encodeSchemasRecord, type SchemasRecord } from './schemasRecords.js';
import { type SchemasLog, SchemasLogTimeout } from './schemasLog.js';

export interface KafkaSchemasLogOptions {
  /** Bootstrap servers, host:port. */
  brokers: string[];
  /** The topic; Confluent's default is `_schemas`. */
  topic: string;
  clientId: string;
  /** Security of the Kafka connection (TLS, SASL). */
  kafka?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** How long start() may take to read the topic to its end. */
  initTimeoutMs: number;
  /** How long a write may take to be read back. */
  writeTimeoutMs: number;
  logger: Logger;
}

interface Waiter {
  offset: bigint;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The registry's state in a compacted, single-partition Kafka topic, read and written with
 * KafkaJS, against the embedded broker or any Kafka. Each instance reads the topic from offset 0
 * with a consumer group of its own (it commits nothing) and applies every record in order.
 *
 * To know it has read everything, an instance writes a NOOP record and waits until its reader
 * reaches it, as Confluent's registry does; a write waits the same way for its own records.
 */
export class KafkaSchemasLog implements SchemasLog {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  /** Offset of the last record applied; -1 before any. */
  private applied = -1n;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  constructor(private readonly options: KafkaSchemasLogOptions) {
    assertKafkaJsFixes();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logCreator: kafkaLogCreator(options.logger),
      retry: { retries: 10 },
      ...options.kafka,
    });
    this.admin = this.kafka.admin();
    // Writes are serialized and each waits for the previous one, so a retried send cannot
    // reorder records; a duplicated record is the same key and value, which applies the same.
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.consumer = this.kafka.consumer({
      groupId: `${options.clientId}-${randomUUID()}`,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
  }

  async start(apply: (record: SchemasRecord) => void): Promise<void> {
    await this.admin.connect();
    await this.ensureTopic();
    await this.producer.connect();
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.fail(new Error(`reading ${this.options.topic} stopped: ${payload.error.message}`));
    });
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.read(message, apply);
      },
    });
    await this.sync(this.options.initTimeoutMs);
    this.options.logger.info(
      { topic: this.options.topic, records: Number(this.applied + 1n) },
      `read ${this.options.topic}`,
    );
  }

  private read(message: KafkaMessage, apply: (record: SchemasRecord) => void): void {
    const offset = BigInt(message.offset);
    // A consumer that rejoins its group starts again from offset 0: skip what was applied.
    if (offset <= this.applied) return;
    const record = decodeSchemasRecord(message.key, message.value);
    if (record) apply(record);
    else this.options.logger.debug({ offset: message.offset }, 'skipped a record of another kind');
    this.applied = offset;
    const done = this.waiters.filter((w) => w.offset <= offset);
    this.waiters = this.waiters.filter((w) => w.offset > offset);
    for (const waiter of done) waiter.resolve();
  }

  /** Creates the topic (1 partition, compacted) unless it exists, and checks it has one partition. */
  private async ensureTopic(): Promise<void> {
    const { topic } = this.options;
    if (!(await this.admin.listTopics()).includes(topic)) {
      const created = await this.admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      });
      if (created) this.options.logger.info({ topic }, `created ${topic}`);
    }
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    if (partitions !== 1) {
      throw new Error(`${topic} must have exactly one partition, it has ${partitions}`);
    }
  }

  async append(records: SchemasRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.appendAndWait(records, this.options.writeTimeoutMs);
  }

  /** Resolves once every record written before the call has been applied. */
  private async sync(timeoutMs: number): Promise<void> {
    await this.appendAndWait([{ keytype: 'NOOP' }], timeoutMs);
  }

  private async appendAndWait(records: SchemasRecord[], timeoutMs: number): Promise<void> {
    if (this.failure) throw this.failure;
    const [sent] = await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: records.map((record) => ({ ...encodeSchemasRecord(record), partition: 0 })),
    });
    if (!sent?.baseOffset) throw new Error(`no offset for the write to ${this.options.topic}`);
    await this.waitFor(BigInt(sent.baseOffset) + BigInt(records.length - 1), timeoutMs);
  }

  private waitFor(offset: bigint, timeoutMs: number): Promise<void> {
    if (offset <= this.applied) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new SchemasLogTimeout(`offset ${offset} of ${this.options.topic} not read in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        offset,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private fail(err: Error, { log = true } = {}): void {
    this.failure = err;
    if (log) this.options.logger.error({ err }, 'the schemas reader stopped');
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(err);
  }

  async close(): Promise<void> {
    this.fail(new Error('the registry is closing'), { log: false });
    await Promise.allSettled([
      this.consumer.disconnect(),
      this.producer.disconnect(),
      this.admin.disconnect(),
    ]);
  }
}
