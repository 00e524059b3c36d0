/** One record of a changelog topic: a store key's new value at `offset`, or its deletion (null). */
export interface ChangelogRecord {
  readonly offset: bigint;
  readonly key: string;
  readonly value: Buffer | null;
}

/** The readable span of a changelog partition. */
export interface ChangelogOffsets {
  /** The first offset still in the log. */
  readonly logStartOffset: bigint;
  /** The end as read_committed sees it: the last stable offset. */
  readonly endOffset: bigint;
}

export interface ChangelogReadRequest {
  readonly topic: string;
  readonly partition: number;
  /** The first offset to read. */
  readonly from: bigint;
  /** Reading ends once every offset below this one has been handed over; records from it on are left out. */
  readonly to: bigint;
  /** The most records handed over in one call. */
  readonly maxRecords: number;
  /**
   * Receives the committed records in offset order (aborted ones and control records left out),
   * and the offset to read next after them. Calls come one at a time; a call may carry no
   * records when only skipped ones (markers, aborted data) were read.
   */
  readonly onRecords: (records: readonly ChangelogRecord[], nextOffset: bigint) => Promise<void>;
}

/** Where restores read changelogs from: Kafka (ChangelogReader), or a fake in unit tests. */
export interface ChangelogSource {
  offsets(topic: string, partition: number): Promise<ChangelogOffsets>;
  /** Resolves when the partition has been read up to `to`; rejects if reading fails or onRecords throws. */
  read(request: ChangelogReadRequest): Promise<void>;
}
