import type { Journal } from './journal.js';

/** A journal held in memory: for tests of coordinators that need no files. */
export class MemoryJournal<R> implements Journal<R> {
  records: R[] = [];

  replay(): R[] {
    return [...this.records];
  }

  append(record: R): void {
    this.records.push(record);
  }

  rewrite(records: readonly R[]): void {
    this.records = [...records];
  }

  close(): void {}
}
