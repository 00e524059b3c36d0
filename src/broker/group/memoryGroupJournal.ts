import { MemoryJournal } from '../storage/memoryJournal.js';
import type { JournalRecord } from './journalRecord.js';

/** A group journal held in memory: for tests of the coordinator that need no files. */
export class MemoryGroupJournal extends MemoryJournal<JournalRecord> {}
