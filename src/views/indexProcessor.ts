import type { Processor } from '../processor/processor.js';
import { compositeKey, compositeRange } from '../state/compositeKey.js';
import { encodeRow, isNewer, decodeRow } from './storedRow.js';
import type { ForwardedRow } from './viewProcessor.js';
import { sourcePosition } from './viewProcessor.js';
import { noteApplied } from './viewProgress.js';

export interface IndexProcessorOptions {
  readonly name: string;
  readonly store: string;
}

/**
 * The key of a row in an index: the composite key of the index value and the row's key
 * (`<value>\0<row key>` for every value the id rules allow), so one scan lists a value's rows.
 */
export function indexKey(value: string, rowKey: string): string {
  return compositeKey(value, rowKey);
}

/** The bounds of the scan listing the rows of one index value, and of no other value. */
export function indexRange(value: string): { gte: string; lt: string } {
  return compositeRange(value);
}

/**
 * Keeps a view's rows under another key (a secondary index, e.g. orders by customer): reads the
 * rows the view forwarded re-keyed through a repartition topic and stores each under
 * `indexKey(<record key>, <row key>)`. A row replaces the stored one only if it is newer for some source
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
