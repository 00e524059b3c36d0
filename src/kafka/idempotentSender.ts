import type { Producer, ProducerBatch, RecordMetadata } from 'kafkajs';

/**
 * Sends records through an idempotent producer that is replaced by a new one after a failed send.
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
      return await producer.sendBatch(batch);
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
