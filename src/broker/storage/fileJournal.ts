import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { crc32c } from '../protocol/crc32c.js';
import { writeFileAtomic } from './atomicFile.js';
import type { Journal, JournalCodec } from './journal.js';

/**
 * A journal on disk, one file:
 *
 *   header: magic (8 ASCII bytes naming the journal), format version int32
 *   record: payload length int32, CRC-32C of the payload uint32, payload (the codec's)
 *
 * Appends are one write() each, done before the request that caused them is answered, so an
 * acknowledged commit survives a kill of the process (not a power loss: there is no fsync, as
 * with Kafka's default flush settings). A crash can leave a torn last record; replay stops at the
 * first record that is incomplete or fails its CRC and cuts the file there. Compaction writes a
 * new file beside the old one and renames it over, so a crash leaves one or the other.
 */

const MAGIC_SIZE = 8;
const HEADER_SIZE = MAGIC_SIZE + 4;
const FRAME_OVERHEAD = 8;
/** Far above any real record; a larger length field is corruption. */
const MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

/** A payload framed for the file: length, CRC-32C, payload. */
export function frameJournalPayload(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  frame.writeInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32c(payload), 4);
  payload.copy(frame, FRAME_OVERHEAD);
  return frame;
}

type Frame<R> = { record: R; next: number } | { problem: string };

function readFrame<R>(data: Buffer, at: number, decode: (payload: Buffer) => R): Frame<R> {
  if (data.length - at < FRAME_OVERHEAD) return { problem: 'incomplete record header' };
  const length = data.readInt32BE(at);
  if (length < 1 || length > MAX_PAYLOAD_BYTES) return { problem: `invalid record length ${length}` };
  const start = at + FRAME_OVERHEAD;
  if (data.length - start < length) return { problem: 'incomplete record' };
  const payload = data.subarray(start, start + length);
  if (crc32c(payload) !== data.readUInt32BE(at + 4)) return { problem: 'CRC mismatch' };
  try {
    return { record: decode(payload), next: start + length };
  } catch (err) {
    return { problem: `undecodable record: ${(err as Error).message}` };
  }
}

export class FileJournal<R> implements Journal<R> {
  private fd: number | undefined;
  private size = 0;
  private readonly magic: Buffer;

  constructor(
    readonly file: string,
    private readonly codec: JournalCodec<R>,
    private readonly logger: Logger,
  ) {
    this.magic = Buffer.from(codec.magic, 'latin1');
    if (this.magic.length !== MAGIC_SIZE) throw new Error(`journal magic must be ${MAGIC_SIZE} bytes`);
  }

  private header(): Buffer {
    const buffer = Buffer.alloc(HEADER_SIZE);
    this.magic.copy(buffer);
    buffer.writeInt32BE(this.codec.formatVersion, MAGIC_SIZE);
    return buffer;
  }

  replay(): R[] {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Left by a compaction interrupted before its rename; the journal itself is intact.
    fs.rmSync(`${this.file}.tmp`, { force: true });
    const data = readIfExists(this.file);
    if (!data || data.length < HEADER_SIZE) {
      if (data && !this.magic.subarray(0, data.length).equals(data.subarray(0, MAGIC_SIZE))) {
        throw new Error(`${this.file} is not a ${this.codec.name} journal`);
      }
      // New, or created by a process that died before its header was written.
      this.rewrite([]);
      return [];
    }
    if (!data.subarray(0, MAGIC_SIZE).equals(this.magic)) {
      throw new Error(`${this.file} is not a ${this.codec.name} journal`);
    }
    const version = data.readInt32BE(MAGIC_SIZE);
    if (version !== this.codec.formatVersion) {
      throw new Error(
        `${this.file}: format version ${version}, this broker reads ${this.codec.formatVersion}`,
      );
    }
    const records: R[] = [];
    let at = HEADER_SIZE;
    while (at < data.length) {
      const frame = readFrame(data, at, (payload) => this.codec.decode(payload));
      if ('problem' in frame) {
        this.logger.warn(
          { file: this.file, at, droppedBytes: data.length - at, problem: frame.problem },
          `${this.codec.name} journal: cutting a torn or corrupt tail`,
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

  append(record: R): void {
    if (this.fd === undefined) throw new Error(`${this.codec.name} journal is not open`);
    const frame = this.frame(record);
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

  /** A record as it is written to the file. */
  frame(record: R): Buffer {
    return frameJournalPayload(this.codec.encode(record));
  }

  rewrite(records: readonly R[]): void {
    const content = Buffer.concat([this.header(), ...records.map((r) => this.frame(r))]);
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
