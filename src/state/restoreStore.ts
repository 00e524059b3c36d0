import type { ChangelogSource } from './changelogSource.js';
import type { KeyValueStore } from './keyValueStore.js';

export interface RestoreProgress {
  readonly store: string;
  readonly topic: string;
  readonly partition: number;
  /** Records applied so far by this restore. */
  readonly restored: number;
  /** The changelog offset the store now reflects. */
  readonly offset: bigint;
  /** Where this restore ends. */
  readonly endOffset: bigint;
}

export interface RestoreOptions {
  readonly source: ChangelogSource;
  readonly store: KeyValueStore;
  readonly topic: string;
  readonly partition: number;
  /** Called once before reading and after every applied batch. */
  readonly onProgress?: (progress: RestoreProgress) => void;
  /** The most records applied in one store write; default 1000. */
  readonly maxBatchRecords?: number;
}

export interface RestoreResult extends RestoreProgress {
  /** The checkpoint the store had before the restore. */
  readonly previousCheckpoint: bigint | undefined;
  /** Where reading started. */
  readonly startOffset: bigint;
  /** True when the store was emptied first: no checkpoint, or one outside the log. */
  readonly cleared: boolean;
}

/**
 * Brings a store up to date with its changelog partition (Kafka Streams' restore). It reads from
 * the store's checkpoint to the partition's end as read_committed sees it, applying each batch of
 * records (a null value deletes) together with the offset after it as the new checkpoint, so that
 * an interrupted restore resumes where it stopped. A store without a checkpoint, or with one
 * outside [log start, end] (the topic was recreated or truncated), is cleared and rebuilt from
 * the log start.
 */
export async function restoreStore(options: RestoreOptions): Promise<RestoreResult> {
  const { source, store, topic, partition, onProgress, maxBatchRecords = 1000 } = options;
  const { logStartOffset, endOffset } = await source.offsets(topic, partition);
  const previousCheckpoint = await store.checkpoint();
  const usable =
    previousCheckpoint !== undefined &&
    previousCheckpoint >= logStartOffset &&
    previousCheckpoint <= endOffset;
  const startOffset = usable ? previousCheckpoint : logStartOffset;
  if (!usable) await store.clear();

  let restored = 0;
  let offset = startOffset;
  const progress = (): RestoreProgress => ({
    store: store.name,
    topic,
    partition,
    restored,
    offset,
    endOffset,
  });
  onProgress?.(progress());
  if (startOffset < endOffset) {
    await source.read({
      topic,
      partition,
      from: startOffset,
      to: endOffset,
      maxRecords: maxBatchRecords,
      onRecords: async (records, nextOffset) => {
        await store.write(
          records.map(({ key, value }) => ({ key, value })),
          nextOffset,
        );
        restored += records.length;
        offset = nextOffset;
        onProgress?.(progress());
      },
    });
  } else if (previousCheckpoint !== startOffset) {
    await store.write([], startOffset);
  }
  return { ...progress(), previousCheckpoint, startOffset, cleared: !usable };
}
