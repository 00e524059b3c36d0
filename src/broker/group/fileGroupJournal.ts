import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { crc32c } from '../protocol/crc32c.js';
import { writeFileAtomic } from '../storage/atomicFile.js';
import type { GroupJournal } from './groupJournal.js';
import { decodeJournalRecord, encodeJournalRecord, type JournalRecord } from './journalRecord.js';

/**
 * The group journal on disk, one file:
 *
 *   header: magic "KESGROUP" (8 bytes), format version int32
 *   record: payload length int32, CRC-32C of the payload uint32, payload (see journalRecord.ts)
 *
 * Appends are one write() each, done before the request that caused them is answered, so an
 * acknowledged commit survives a kill of the process (not a power loss: there is no fsync, as
 * with Kafka's default flush settings). A crash can leave a torn last record; replay stops at the
 * first record that is incomplete or fails its CRC and cuts the file there. Compaction writes a
 * new file beside the old one and renames it over, so a crash leaves one or the other.
 */

export const JOURNAL_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('KESGROUP', 'latin1');
const HEADER_SIZE = MAGIC.length + 4;
const FRAME_OVERHEAD = 8;
/** Far above any real record; a larger length field is corruption. */
const MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

export const JOURNAL_FILE_NAME = 'journal.log';

function header(): Buffer {
  const buffer = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(buffer);
  buffer.writeInt32BE(JOURNAL_FORMAT_VERSION, MAGIC.length);
  return buffer;
}

/** A record framed for the file: length, CRC-32C, payload. */
export function frameJournalRecord(record: JournalRecord): Buffer {
  const payload = encodeJournalRecord(record);
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  frame.writeInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32c(payload), 4);
  payload.copy(frame, FRAME_OVERHEAD);
  return frame;
}

type Frame = { record: JournalRecord; next: number } | { problem: string };

function readFrame(data: Buffer, at: number): Frame {
  if (data.length - at < FRAME_OVERHEAD) return { problem: 'incomplete record header' };
  const length = data.readInt32BE(at);
  if (length < 1 || length > MAX_PAYLOAD_BYTES) return { problem: `invalid record length ${length}` };
  const start = at + FRAME_OVERHEAD;
  if (data.length - start < length) return { problem: 'incomplete record' };
  const payload = data.subarray(start, start + length);
  if (crc32c(payload) !== data.readUInt32BE(at + 4)) return { problem: 'CRC mismatch' };
  try {
    return { record: decodeJournalRecord(payload), next: start + length };
  } catch (err) {
    return { problem: `undecodable record: ${(err as Error).message}` };
  }
}

export class FileGroupJournal implements GroupJournal {
  readonly file: string;
  private fd: number | undefined;
  private size = 0;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(dir, JOURNAL_FILE_NAME);
  }

  replay(): JournalRecord[] {
    fs.mkdirSync(this.dir, { recursive: true });
    // Left by a compaction interrupted before its rename; the journal itself is intact.
    fs.rmSync(`${this.file}.tmp`, { force: true });
    const data = readIfExists(this.file);
    if (!data || data.length < HEADER_SIZE) {
      if (data && !MAGIC.subarray(0, data.length).equals(data.subarray(0, MAGIC.length))) {
        throw new Error(`${this.file} is not a group journal`);
      }
      // New, or created by a process that died before its header was written.
      this.rewrite([]);
      return [];
    }
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${this.file} is not a group journal`);
    const version = data.readInt32BE(MAGIC.length);
    if (version !== JOURNAL_FORMAT_VERSION) {
      throw new Error(`${this.file}: format version ${version}, this broker reads ${JOURNAL_FORMAT_VERSION}`);
    }
    const records: JournalRecord[] = [];
    let at = HEADER_SIZE;
    while (at < data.length) {
      const frame = readFrame(data, at);
      if ('problem' in frame) {
        this.logger.warn(
          { file: this.file, at, droppedBytes: data.length - at, problem: frame.problem },
          'group journal: cutting a torn or corrupt tail',
        );
        break;
      }
      records.push(frame.record);
      at = frame.next;
    }
    this.fd = fs.openSync(this.file, 'r+');
    if (at < data.length) fs.ftruncateSync(this.fd, at);
    this.size = at;
    return records;
  }

  append(record: JournalRecord): void {
    if (this.fd === undefined) throw new Error('group journal is not open');
    const frame = frameJournalRecord(record);
    try {
      writeFully(this.fd, frame, this.size);
    } catch (err) {
      // Take back a partial write so that the next append does not follow garbage.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // The replay's CRC check still stops at the partial record.
      }
      throw err;
    }
    this.size += frame.length;
  }

  rewrite(records: readonly JournalRecord[]): void {
    const content = Buffer.concat([header(), ...records.map(frameJournalRecord)]);
    writeFileAtomic(this.file, content);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'r+');
    this.size = content.length;
  }

  /** Bytes in the file, header included. */
  get sizeBytes(): number {
    return this.size;
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function writeFully(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length) {
    written += fs.writeSync(fd, buffer, written, buffer.length - written, position + written);
  }
}
