import type { JournalRecord } from './journalRecord.js';

/**
 * Where the group coordinator keeps what must survive a restart: an append-only sequence of
 * records. Implementations: FileGroupJournal (the broker's) and MemoryGroupJournal (tests).
 */
export interface GroupJournal {
  /** Every record written so far, in order. Called once, before the first append. */
  replay(): JournalRecord[];
  /** Adds a record; once this returns, the record survives a crash of the process. */
  append(record: JournalRecord): void;
  /** Replaces everything with these records (compaction); a crash leaves the old or the new set. */
  rewrite(records: readonly JournalRecord[]): void;
  close(): void;
}
