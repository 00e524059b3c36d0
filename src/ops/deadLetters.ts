import type { Kafka } from 'kafkajs';
import { DeadLetterHeaders } from '../processor/streamTask.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { readTopic } from './readTopic.js';

/** A record a processor could not process, as its dead-letter topic keeps it. */
export interface DeadLetter {
  /** Where it is in the dead-letter topic. */
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly error: string;
  readonly errorType: string;
  /** Where it was read from. */
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: string };
  readonly headers: Readonly<Record<string, string>>;
  readonly value: Buffer | null;
}

export const deadLetterTopic = (processor: string) => `${processor}.dlq`;

/** The group whose committed offsets mark what `replayDeadLetters` has sent back. */
export const replayGroup = (applicationId: string, processor: string) =>
  `${applicationId}-${processor}-dlq-replay`;

/** Every record of the processor's dead-letter topic, in partition and offset order. */
export async function listDeadLetters(kafka: Kafka, processor: string): Promise<DeadLetter[]> {
  const records = await readTopic(kafka, deadLetterTopic(processor));
  return records.map(({ partition, message }) => {
    const headers = Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v.at(-1) : v)]),
    );
    const H = DeadLetterHeaders;
    return {
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      error: headers[H.error] ?? '',
      errorType: headers[H.errorType] ?? '',
      source: {
        topic: headers[H.topic] ?? '',
        partition: Number(headers[H.partition] ?? -1),
        offset: headers[H.offset] ?? '',
      },
      headers,
      value: message.value,
    };
  });
}

/**
 * Why the processor's dead letters cannot be replayed, or undefined when they can: a record goes
 * back to the topic it was read from, so that topic must have no other reader — re-appending to
 * an events topic would duplicate events in the event store for every processor reading it.
 * (Command topics and the saga's repartition topic qualify; a view rebuild is how a view recovers.)
 */
export function replayRefusal(topology: TopologySpec, processor: string): string | undefined {
  const spec = topology.processors.find((p) => p.name === processor);
  if (!spec) return `no processor named ${processor}`;
  for (const topic of spec.inputs) {
    const others = topology.processors.filter((p) => p.name !== processor && p.inputs.includes(topic));
    if (others.length > 0) {
      return `${processor} reads ${topic}, which ${others.map((p) => p.name).join(', ')} also read: replaying into it would duplicate its records for them`;
    }
  }
  return undefined;
}

/**
 * Sends the processor's dead letters back to where they were read from (same topic, partition,
 * key, value and headers, without the `kes.dlq.*` ones, plus `kes.dlq.replayed-from`), once: in one
 * Kafka transaction with the offsets of a group of its own that remember what was replayed, so
 * running it again sends only what arrived since, and a failure midway sends nothing. Fix the
 * cause first — a record that fails again comes back. `onProgress` hears how many of the dead
 * letters to replay were sent (or skipped) so far; none counts as replayed before the commit.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  options: {
    topology: TopologySpec;
    processor: string;
    onProgress?: (sent: number, total: number) => void;
  },
): Promise<{ replayed: number; skipped: number }> {
  const refusal = replayRefusal(options.topology, options.processor);
  if (refusal) throw new Error(refusal);
  const topic = deadLetterTopic(options.processor);
  const groupId = replayGroup(options.topology.applicationId, options.processor);
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({
    transactionalId: `${groupId}-producer`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const done = new Map<number, bigint>();
    for (const { partitions } of await admin.fetchOffsets({ groupId, topics: [topic] })) {
      for (const { partition, offset } of partitions) done.set(partition, BigInt(offset));
    }
    const letters = (await listDeadLetters(kafka, options.processor)).filter(
      (l) => BigInt(l.offset) >= (done.get(l.partition) ?? 0n),
    );
    options.onProgress?.(0, letters.length);
    if (letters.length === 0) return { replayed: 0, skipped: 0 };
    let skipped = 0;
    const next = new Map<number, bigint>();
    const transaction = await producer.transaction();
    try {
      for (const [i, letter] of letters.entries()) {
        next.set(letter.partition, BigInt(letter.offset) + 1n);
        if (!letter.source.topic || letter.source.partition < 0) {
          skipped++;
          options.onProgress?.(i + 1, letters.length);
          continue;
        }
        const headers = Object.fromEntries(
          Object.entries(letter.headers).filter(([k]) => !k.startsWith('kes.dlq.')),
        );
        headers['kes.dlq.replayed-from'] = `${topic}:${letter.partition}:${letter.offset}`;
        await transaction.send({
          topic: letter.source.topic,
          acks: -1,
          messages: [{ key: letter.key, value: letter.value, headers, partition: letter.source.partition }],
        });
        options.onProgress?.(i + 1, letters.length);
      }
      await transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [
          {
            topic,
            partitions: [...next].map(([partition, offset]) => ({ partition, offset: String(offset) })),
          },
        ],
      });
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      throw err;
    }
    return { replayed: letters.length - skipped, skipped };
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}
