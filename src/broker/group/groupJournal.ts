import type { Journal } from '../storage/journal.js';
import type { JournalRecord } from './journalRecord.js';

/**
 * Where the group coordinator keeps what must survive a restart: an append-only sequence of
 * records. Implementations: FileGroupJournal (the broker's) and MemoryGroupJournal (tests).
 */
export type GroupJournal = Journal<JournalRecord>;
