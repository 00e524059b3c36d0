/**
 * What a coordinator keeps to survive a restart: an append-only sequence of records.
 * Implementations: FileJournal (the broker's) and MemoryJournal (tests).
 */
export interface Journal<R> {
  /** Every record written so far, in order. Called once, before the first append. */
  replay(): R[];
  /** Adds a record; once this returns, the record survives a crash of the process. */
  append(record: R): void;
  /** Replaces everything with these records (compaction); a crash leaves the old or the new set. */
  rewrite(records: readonly R[]): void;
  close(): void;
}

/** How a journal's records become bytes, and what marks its file. */
export interface JournalCodec<R> {
  /** Names the journal in errors and logs ("group", "transaction"). */
  readonly name: string;
  /** Eight ASCII bytes at the start of the file. */
  readonly magic: string;
  readonly formatVersion: number;
  encode(record: R): Buffer;
  decode(payload: Buffer): R;
}
