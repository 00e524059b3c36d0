import type { Processor } from '../processor/processor.js';
import { encodeRow, isNewer, decodeRow } from './storedRow.js';
import type { ForwardedRow } from './viewProcessor.js';
import { sourcePosition } from './viewProcessor.js';
import { noteApplied } from './viewProgress.js';

export interface IndexProcessorOptions {
  readonly name: string;
  readonly store: string;
}

/** The separator of an index key: `<index key>\0<row key>`, so one prefix lists an index key's rows. */
export const INDEX_SEPARATOR = '\u0000';

export function indexKey(indexKey: string, rowKey: string): string {
  return `${indexKey}${INDEX_SEPARATOR}${rowKey}`;
}

/**
 * Keeps a view's rows under another key (a secondary index, e.g. orders by customer): reads the
 * rows the view forwarded re-keyed through a repartition topic and stores each under
 * `<record key>\0<row key>`. A row replaces the stored one only if it is newer for some source
 * aggregate, so replays and duplicates change nothing.
 */
export function indexProcessor(options: IndexProcessorOptions): Processor {
  return {
    name: options.name,
    async process(record, context) {
      const store = context.store(options.store);
      await noteApplied(store, sourcePosition(record));
      if (record.value === null || record.key === null) return;
      const forwarded = JSON.parse(record.value.toString('utf8')) as ForwardedRow;
      const key = indexKey(record.key, forwarded.key);
      const stored = await store.get(key);
      if (stored && !isNewer(forwarded.versions, decodeRow(stored).versions)) return;
      store.put(key, encodeRow({ row: forwarded.row, versions: forwarded.versions }));
    },
  };
}
