import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { Serde } from './serde.js';

/** A record of any topic as `kes tail` and the console's live tail show it. */
export interface TailRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The record type's full name when the value is a record of a known schema, else null. */
  readonly type: string | null;
  /** The value decoded with its schema, else as text (null for a tombstone). */
  readonly value: unknown;
}

/**
 * A record decoded for people: headers and key as text, the value decoded with its schema when
 * it is Avro in the wire format of a known schema, else as text.
 */
export async function tailRecord(
  serde: Pick<Serde, 'decode'>,
  topic: string,
  partition: number,
  message: KafkaMessage,
): Promise<TailRecord> {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map(String) : v?.toString(),
    ]),
  );
  let type: string | null = null;
  let value: unknown = message.value?.toString() ?? null;
  if (message.value && message.value[0] === 0 && message.value.length > 5) {
    try {
      const decoded = await serde.decode(message.value);
      type = decoded.type;
      value = decoded.value;
    } catch {
      // Not a record of a known schema: shown as text.
    }
  }
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key?.toString() ?? null,
    headers,
    type,
    value,
  };
}

/** A tail record as one JSON line (64-bit integers of a value as strings). */
export const tailJson = (record: TailRecord): string =>
  JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** A consumer group of its own for one tail: it commits nothing, and is left once the tail ends. */
export const tailGroupId = () => `kes-tail-${randomUUID()}`;
