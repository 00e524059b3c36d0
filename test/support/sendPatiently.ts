import type { Producer, ProducerBatch, RecordMetadata } from 'kafkajs';

/**
 * `producer.sendBatch`, sent again (the same records) while it fails for a reason that may pass
 * (KafkaJS gave up retrying a lost broker, a leader moving): what a client does when a broker
 * dies under it. Safe for kes commands, whose ids make a repeat an answered duplicate.
 */
export async function sendPatiently(
  producer: Producer,
  batch: ProducerBatch,
  { attempts = 5, onRetry }: { attempts?: number; onRetry?: (err: Error) => void } = {},
): Promise<RecordMetadata[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await producer.sendBatch(batch);
    } catch (err) {
      const error = err as Error & { retriable?: boolean };
      const passing = error.retriable === true || error.name === 'KafkaJSNumberOfRetriesExceeded';
      if (!passing || attempt >= attempts) throw err;
      onRetry?.(error);
    }
  }
}
