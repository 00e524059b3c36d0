import type { Producer, ProducerBatch, RecordMetadata } from 'kafkajs';

/**
 * A produce that KafkaJS reported done, though some partitions got no answer: their records were
 * not written. KafkaJS 2.2.4 retries a produce only to the brokers that did not answer; a
 * partition whose leader moved (a broker lost) to a broker that had answered for other partitions
 * is never sent again, and the send resolves all the same.
 */
export class UnansweredProduceError extends Error {
  override readonly name = 'UnansweredProduceError';
  readonly retriable = true;

  constructor(readonly partitions: readonly string[]) {
    super(`no produce answer for ${partitions.join(', ')}: those records were not written`);
  }
}

/** The topic partitions named by the batch's records (those with a partition set) that got no answer. */
export function unansweredPartitions(batch: ProducerBatch, written: readonly RecordMetadata[]): string[] {
  const answered = new Set(written.map((m) => `${m.topicName}:${m.partition}`));
  const missing = new Set<string>();
  for (const { topic, messages } of batch.topicMessages ?? []) {
    for (const { partition } of messages) {
      if (partition !== undefined && !answered.has(`${topic}:${partition}`))
        missing.add(`${topic}:${partition}`);
    }
  }
  return [...missing];
}

/**
 * Sends records through an idempotent producer that is replaced by a new one after a failed send.
 * Records should name their partition: a send that leaves one of them unanswered fails
 * (UnansweredProduceError) instead of reporting records written that were not.
 *
 * KafkaJS 2.2.4 advances an idempotent producer's sequence numbers only when a send succeeds, and
 * unlike Kafka's own producer (KIP-360) it neither bumps its epoch nor resets its sequences after
 * a send whose outcome is unknown. Its next batch to that partition then carries the sequence of
 * the failed one, which the broker may have written after all: the broker answers the new batch
 * as a duplicate of it and drops it, and KafkaJS reports it written. A new producer has a new
 * producer id, whose sequences start afresh.
 */
export class IdempotentSender {
  private producer: Promise<Producer> | undefined;

  constructor(private readonly create: () => Producer) {}

  /** Connects the first producer (sends connect one themselves otherwise). */
  async connect(): Promise<void> {
    await this.current();
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const current = this.current();
    const producer = await current;
    try {
      const written = await producer.sendBatch(batch);
      const unanswered = unansweredPartitions(batch, written);
      if (unanswered.length > 0) throw new UnansweredProduceError(unanswered);
      return written;
    } catch (err) {
      if (this.producer === current) {
        this.producer = undefined;
        void producer.disconnect().catch(() => undefined);
      }
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const current = this.producer;
    this.producer = undefined;
    await (await current?.catch(() => undefined))?.disconnect();
  }

  private current(): Promise<Producer> {
    if (!this.producer) {
      const connecting = (async () => {
        const producer = this.create();
        await producer.connect();
        return producer;
      })();
      // A producer that could not connect is not kept: the next send tries a new one.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
      this.producer = connecting;
    }
    return this.producer;
  }
}
