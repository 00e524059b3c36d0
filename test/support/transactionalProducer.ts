import type { Kafka, Producer } from 'kafkajs';

/** A connected KafkaJS transactional producer, one request in flight as transactions need. */
export async function transactional(
  kafka: Kafka,
  transactionalId: string,
  transactionTimeout?: number,
): Promise<Producer> {
  const producer = kafka.producer({
    transactionalId,
    maxInFlightRequests: 1,
    idempotent: true,
    transactionTimeout,
  });
  await producer.connect();
  return producer;
}
