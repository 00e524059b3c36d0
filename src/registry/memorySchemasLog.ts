import {
  decodeSchemasRecord,
  type EncodedRecord,
  encodeSchemasRecord,
  type SchemasRecord,
} from './schemasRecords.js';
import type { SchemasLog } from './schemasLog.js';

/** A `_schemas` topic in memory: the encoded records, shared by the logs reading it. */
export class MemorySchemasTopic {
  readonly records: EncodedRecord[] = [];
  private readonly readers = new Set<(record: EncodedRecord) => void>();

  append(record: EncodedRecord): void {
    this.records.push(record);
    for (const reader of this.readers) reader(record);
  }

  follow(reader: (record: EncodedRecord) => void): () => void {
    for (const record of this.records) reader(record);
    this.readers.add(reader);
    return () => this.readers.delete(reader);
  }
}

/**
 * The registry's log in memory, for tests of everything above the store. Records go through the
 * same encoding as in Kafka; several logs on one MemorySchemasTopic behave like registries
 * sharing a topic.
 */
export class MemorySchemasLog implements SchemasLog {
  private unfollow: (() => void) | undefined;

  constructor(readonly topic = new MemorySchemasTopic()) {}

  async start(apply: (record: SchemasRecord) => void): Promise<void> {
    this.unfollow = this.topic.follow(({ key, value }) => {
      const record = decodeSchemasRecord(key, value);
      if (record) apply(record);
    });
  }

  async append(records: SchemasRecord[]): Promise<void> {
    for (const record of records) this.topic.append(encodeSchemasRecord(record));
  }

  async close(): Promise<void> {
    this.unfollow?.();
  }
}
