import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import { SOURCE_HEADER, formatPosition } from './sourcePosition.js';
import { sourcePosition } from './viewProcessor.js';

export interface RekeyProcessorOptions {
  readonly name: string;
  readonly serde: Serde;
  /** Full names of the event types to forward. */
  readonly eventTypes: readonly string[];
  /** The field of the event whose value becomes the key. */
  readonly keyField: string;
  readonly topic: string;
}

/**
 * Forwards events re-keyed by one of their fields to a repartition topic (as Kafka Streams does
 * before a join), bytes and headers as they are, plus `kes.source`: where the event was written,
 * for read-your-writes downstream.
 */
export function rekeyProcessor(options: RekeyProcessorOptions): Processor {
  const types = new Set(options.eventTypes);
  return {
    name: options.name,
    async process(record, context) {
      if (record.value === null) return;
      const type = record.headers[CloudEventHeaders.type];
      if (type !== undefined && !types.has(type)) return;
      const decoded = await options.serde.decode(record.value);
      if (!types.has(decoded.type)) return;
      const key = (decoded.value as Record<string, unknown>)[options.keyField];
      if (typeof key !== 'string') throw new Error(`${decoded.type} has no string ${options.keyField}`);
      context.forward({
        topic: options.topic,
        key,
        value: record.value,
        headers: { ...record.headers, [SOURCE_HEADER]: formatPosition(sourcePosition(record)) },
      });
    },
  };
}
