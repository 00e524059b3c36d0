import type { Kafka, KafkaMessage } from 'kafkajs';

export interface Consumed {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string[]>;
}

/** Flattens KafkaJS's headers (a value or an array of values per key) for comparisons. */
export function headersOf(message: KafkaMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    out[key] = values.map((v) => (v === undefined ? '<undefined>' : (v?.toString() ?? '<null>')));
  }
  return out;
}

/**
 * Consumes a topic from the beginning with a fresh group until `expected` messages arrived (or
 * `timeoutMs` passed), then disconnects. Resolves with the messages in arrival order.
 */
export async function consumeAll(
  kafka: Kafka,
  topic: string,
  expected: number,
  {
    groupId = `reader-${Math.random().toString(36).slice(2)}`,
    timeoutMs = 60_000,
    readUncommitted = false,
  } = {},
): Promise<Consumed[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Consumed[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`consumed ${out.length} of ${expected} from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      if (expected === 0) {
        clearTimeout(timer);
        resolve();
        return;
      }
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              out.push({
                partition: batch.partition,
                offset: m.offset,
                key: m.key?.toString() ?? null,
                value: m.value?.toString() ?? null,
                headers: headersOf(m),
              });
            }
            if (out.length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}
