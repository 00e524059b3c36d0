import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FileGroupJournal, frameJournalRecord, JOURNAL_FILE_NAME } from './fileGroupJournal.js';
import type { GroupJournal } from './groupJournal.js';
import type { JournalRecord } from './journalRecord.js';
import { MemoryGroupJournal } from './memoryGroupJournal.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-journal-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const commit = (groupId: string, offset: bigint, partition = 0): JournalRecord => ({
  type: 'commit',
  groupId,
  offsets: [
    { topic: 't', partition, offset, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1700000000000 },
  ],
});

const records: JournalRecord[] = [
  commit('g', 5n),
  { type: 'generation', groupId: 'g', generationId: 3, protocolType: 'consumer' },
  commit('h', 2n ** 62n, 7),
  { type: 'deleteTopic', topic: 'old' },
  { type: 'deleteGroup', groupId: 'h' },
];

/** One contract for every journal: what is appended comes back, in order, after a reopen. */
describe.each([
  ['file', () => tempDir()],
  ['memory', () => new MemoryGroupJournal()],
] as const)('%s journal contract', (_name, make) => {
  function opener(): () => GroupJournal {
    const made = make();
    return typeof made === 'string' ? () => new FileGroupJournal(made, logger) : () => made;
  }

  it('replays what was appended, in order', () => {
    const open = opener();
    const journal = open();
    expect(journal.replay()).toEqual([]);
    for (const record of records) journal.append(record);
    journal.close();
    const reopened = open();
    expect(reopened.replay()).toEqual(records);
    reopened.close();
  });

  it('rewrite replaces everything', () => {
    const open = opener();
    const journal = open();
    journal.replay();
    for (const record of records) journal.append(record);
    journal.rewrite([commit('g', 9n)]);
    journal.append(commit('g', 10n));
    journal.close();
    const reopened = open();
    expect(reopened.replay()).toEqual([commit('g', 9n), commit('g', 10n)]);
    reopened.close();
  });
});

describe('file journal', () => {
  function appendAll(dir: string, items: JournalRecord[]): string {
    const journal = new FileGroupJournal(dir, logger);
    journal.replay();
    for (const record of items) journal.append(record);
    journal.close();
    return journal.file;
  }

  it('cuts a torn last record and carries on after it', () => {
    const dir = tempDir();
    const file = appendAll(dir, [commit('g', 1n), commit('g', 2n)]);
    const sizeBefore = fs.statSync(file).size;
    const torn = frameJournalRecord(commit('g', 3n)).subarray(0, 11);
    fs.appendFileSync(file, torn);

    const journal = new FileGroupJournal(dir, logger);
    expect(journal.replay()).toEqual([commit('g', 1n), commit('g', 2n)]);
    expect(fs.statSync(file).size).toBe(sizeBefore);
    journal.append(commit('g', 4n));
    journal.close();
    const again = new FileGroupJournal(dir, logger);
    expect(again.replay()).toEqual([commit('g', 1n), commit('g', 2n), commit('g', 4n)]);
    again.close();
  });

  it('cuts a last record whose CRC does not match', () => {
    const dir = tempDir();
    const file = appendAll(dir, [commit('g', 1n), commit('g', 2n)]);
    const data = fs.readFileSync(file);
    data[data.length - 3]! ^= 0xff;
    fs.writeFileSync(file, data);
    const journal = new FileGroupJournal(dir, logger);
    expect(journal.replay()).toEqual([commit('g', 1n)]);
    journal.close();
    expect(fs.statSync(file).size).toBe(data.length - frameJournalRecord(commit('g', 2n)).length);
  });

  it('cuts a header torn at creation and starts afresh', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, JOURNAL_FILE_NAME), Buffer.from('KESG'));
    const journal = new FileGroupJournal(dir, logger);
    expect(journal.replay()).toEqual([]);
    journal.append(commit('g', 1n));
    journal.close();
    const again = new FileGroupJournal(dir, logger);
    expect(again.replay()).toEqual([commit('g', 1n)]);
    again.close();
  });

  it('refuses another format version and files that are not journals', () => {
    const dir = tempDir();
    const file = appendAll(dir, [commit('g', 1n)]);
    const data = fs.readFileSync(file);
    data.writeInt32BE(99, 8);
    fs.writeFileSync(file, data);
    expect(() => new FileGroupJournal(dir, logger).replay()).toThrow('format version 99');
    fs.writeFileSync(file, 'hello, this is not a journal');
    expect(() => new FileGroupJournal(dir, logger).replay()).toThrow('not a group journal');
  });

  it('removes the temporary file of an interrupted compaction', () => {
    const dir = tempDir();
    const file = appendAll(dir, [commit('g', 1n)]);
    fs.writeFileSync(`${file}.tmp`, 'half a snapshot');
    const journal = new FileGroupJournal(dir, logger);
    expect(journal.replay()).toEqual([commit('g', 1n)]);
    journal.close();
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });
});
