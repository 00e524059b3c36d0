import type { GroupJournal } from './groupJournal.js';
import type { JournalRecord } from './journalRecord.js';

/** A journal held in memory: for tests of the coordinator that need no files. */
export class MemoryGroupJournal implements GroupJournal {
  records: JournalRecord[] = [];

  replay(): JournalRecord[] {
    return [...this.records];
  }

  append(record: JournalRecord): void {
    this.records.push(record);
  }

  rewrite(records: readonly JournalRecord[]): void {
    this.records = [...records];
  }

  close(): void {}
}
