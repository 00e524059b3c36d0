import type { SchemasRecord } from './schemasRecords.js';

/**
 * Where the registry keeps its state: the `_schemas` topic (KafkaSchemasLog), or memory for
 * tests (MemorySchemasLog). Every registry reads the whole log and applies each record in order;
 * a write is done when the writer's own reader has applied it, so a registry answers a write
 * only once its state shows it.
 */
export interface SchemasLog {
  /**
   * Reads the log from its start, calling `apply` for each record, and resolves once every record
   * written before the call has been applied. Keeps following the log until `close()`.
   */
  start(apply: (record: SchemasRecord) => void): Promise<void>;
  /** Appends records in order and resolves once this instance has applied them. */
  append(records: SchemasRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** A write that was not read back in time (it may still be applied later). */
export class SchemasLogTimeout extends Error {
  override readonly name = 'SchemasLogTimeout';
}
