import * as path from 'node:path';
import type { Logger } from 'pino';
import { FileJournal, frameJournalPayload } from '../storage/fileJournal.js';
import type { JournalCodec } from '../storage/journal.js';
import { decodeJournalRecord, encodeJournalRecord, type JournalRecord } from './journalRecord.js';

export const JOURNAL_FORMAT_VERSION = 1;
export const JOURNAL_FILE_NAME = 'journal.log';

const codec: JournalCodec<JournalRecord> = {
  name: 'group',
  magic: 'KESGROUP',
  formatVersion: JOURNAL_FORMAT_VERSION,
  encode: encodeJournalRecord,
  decode: decodeJournalRecord,
};

/** A group journal record framed as the file holds it (for tests that write files by hand). */
export const frameJournalRecord = (record: JournalRecord) => frameJournalPayload(encodeJournalRecord(record));

/** The group journal on disk: `<dir>/journal.log`, in the FileJournal format with magic "KESGROUP". */
export class FileGroupJournal extends FileJournal<JournalRecord> {
  constructor(
    readonly dir: string,
    logger: Logger,
  ) {
    super(path.join(dir, JOURNAL_FILE_NAME), codec, logger);
  }
}
