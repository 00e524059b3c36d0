import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c } from '../protocol/crc32c.js';
import { BatchLayout, computeBatchCrc, type BatchHeader, readBatchHeader } from '../protocol/recordBatch.js';

/**
 * One segment of a partition's log: a file of record batches exactly as they are served
 * (`<baseOffset>.log`), and a sparse in-memory index from offset to file position, one entry per
 * `index.interval.bytes` of data, as Kafka's offset index. The index is saved beside the segment
 * (`<baseOffset>.index`, versioned and checksummed) when the segment rolls or the broker stops, so
 * a restart reads only what was appended since; that tail is verified batch by batch (CRC-32C) and
 * a torn write at the end is cut off.
 */

const INDEX_MAGIC = 0x4b494458; // "KIDX"
const INDEX_FORMAT_VERSION = 1;
const INDEX_HEADER = 4 + 2 + 2 + 4 + 8 + 8 + 8 + 4; // magic, version, reserved, covered, next, maxTs, firstTs, count
const SCAN_CHUNK = 1024 * 1024;

export const segmentFileName = (baseOffset: bigint) => `${baseOffset.toString().padStart(20, '0')}.log`;
export const indexFileName = (baseOffset: bigint) => `${baseOffset.toString().padStart(20, '0')}.index`;

export interface BatchAt {
  readonly position: number;
  readonly header: BatchHeader;
}

export interface RecoveryReport {
  /** Bytes cut off the end because they did not hold whole, valid batches. */
  readonly truncatedBytes: number;
  readonly reason?: string;
}

export class Segment {
  private fd: number;
  private offsets = new Int32Array(64);
  private positions = new Uint32Array(64);
  private entries = 0;
  private bytesSinceEntry = 0;
  private unflushed = 0;
  private indexDirty = true;

  private constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    fd: number,
    /** Bytes of valid batches in the file. */
    public size: number,
    /** The offset after the last batch; equals baseOffset while empty. */
    public nextOffset: bigint,
    /** Largest batch max-timestamp, -1 while empty. */
    public maxTimestamp: number,
    /** Max timestamp of the first batch, the reference for segment.ms rolls (as in Kafka). */
    public firstBatchTimestamp: number,
  ) {
    this.fd = fd;
  }

  get file(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset));
  }

  get indexFile(): string {
    return path.join(this.dir, indexFileName(this.baseOffset));
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  static create(dir: string, baseOffset: bigint): Segment {
    // Not O_APPEND: writes are positional, at the end of the valid data.
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset)), 'w+');
    return new Segment(dir, baseOffset, fd, 0, baseOffset, -1, -1);
  }

  /**
   * Opens an existing segment: loads its saved index if that is intact, then verifies every batch
   * the index does not cover and truncates the file after the last valid one. `verifyCrc: false`
   * skips the checksums, for a file the broker has just written and fsynced itself (the log
   * cleaner's output), so that indexing it reads headers only.
   */
  static open(
    dir: string,
    baseOffset: bigint,
    indexIntervalBytes: number,
    { verifyCrc = true }: { verifyCrc?: boolean } = {},
  ): { segment: Segment; recovery: RecoveryReport } {
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset)), 'r+');
    const fileSize = fs.fstatSync(fd).size;
    const segment = new Segment(dir, baseOffset, fd, 0, baseOffset, -1, -1);
    segment.loadIndex(fileSize);
    const recovery = segment.recover(fileSize, indexIntervalBytes, verifyCrc);
    return { segment, recovery };
  }

  /** Appends one batch whose base offset was already assigned. */
  append(batch: Buffer, header: BatchHeader, indexIntervalBytes: number): void {
    const written = fs.writeSync(this.fd, batch, 0, batch.length, this.size);
    if (written !== batch.length)
      throw new Error(`short write to ${this.file}: ${written} of ${batch.length}`);
    this.track(this.size, header, indexIntervalBytes);
    this.size += batch.length;
    this.unflushed += header.recordCount;
    this.indexDirty = true;
  }

  private track(position: number, header: BatchHeader, indexIntervalBytes: number): void {
    if (this.entries === 0 || this.bytesSinceEntry >= indexIntervalBytes) {
      this.addEntry(Number(header.baseOffset - this.baseOffset), position);
      this.bytesSinceEntry = 0;
    }
    this.bytesSinceEntry += header.size;
    this.nextOffset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    if (header.maxTimestamp > this.maxTimestamp) this.maxTimestamp = header.maxTimestamp;
    if (this.firstBatchTimestamp < 0) this.firstBatchTimestamp = header.maxTimestamp;
  }

  private addEntry(relativeOffset: number, position: number): void {
    if (this.entries === this.offsets.length) {
      const offsets = new Int32Array(this.entries * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const positions = new Uint32Array(this.entries * 2);
      positions.set(this.positions);
      this.positions = positions;
    }
    this.offsets[this.entries] = relativeOffset;
    this.positions[this.entries] = position;
    this.entries++;
  }

  /** Unflushed record count, for flush.messages. */
  get unflushedMessages(): number {
    return this.unflushed;
  }

  flush(): void {
    if (this.unflushed === 0) return;
    fs.fdatasyncSync(this.fd);
    this.unflushed = 0;
  }

  /** File position to start looking for `offset`: the last index entry at or before it. */
  private floorPosition(offset: bigint): number {
    const relative = Number(offset - this.baseOffset);
    let lo = 0;
    let hi = this.entries - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return this.entries === 0 ? 0 : this.positions[found]!;
  }

  /** The first batch whose last offset is at or after `offset`, or undefined past the end. */
  locate(offset: bigint): BatchAt | undefined {
    if (offset >= this.nextOffset) return undefined;
    for (const at of this.batchesFrom(this.floorPosition(offset))) {
      if (at.header.baseOffset + BigInt(at.header.lastOffsetDelta) >= offset) return at;
    }
    return undefined;
  }

  /** Batch headers from a batch boundary to the end, reading the file in chunks. */
  *batchesFrom(position: number): Generator<BatchAt> {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let chunkStart = -1;
    let chunkLength = 0;
    let at = position;
    while (at + BatchLayout.HEADER_SIZE <= this.size) {
      if (chunkStart < 0 || at < chunkStart || at + BatchLayout.HEADER_SIZE > chunkStart + chunkLength) {
        chunkLength = fs.readSync(this.fd, chunk, 0, Math.min(chunk.length, this.size - at), at);
        chunkStart = at;
      }
      const header = readBatchHeader(chunk, at - chunkStart);
      yield { position: at, header };
      at += header.size;
    }
  }

  /**
   * Reads whole batches starting at `position`: as many as fit `maxBytes` (at least one when
   * `atLeastOne`), stopping before the first batch whose base offset reaches `limitOffset`.
   */
  read(position: number, maxBytes: number, limitOffset: bigint, atLeastOne: boolean): Buffer {
    const available = this.size - position;
    if (available <= 0) return Buffer.alloc(0);
    let want = Math.min(available, Math.max(maxBytes, atLeastOne ? BatchLayout.HEADER_SIZE : 0));
    let data = this.readAt(position, want);
    let end = 0;
    for (;;) {
      if (end + BatchLayout.HEADER_SIZE > data.length) break;
      const header = readBatchHeader(data, end);
      if (header.baseOffset >= limitOffset) break;
      if (end + header.size > data.length) {
        if (end === 0 && atLeastOne) {
          // The first batch alone exceeds maxBytes: return it whole, as Kafka does (KIP-74).
          want = header.size;
          data = this.readAt(position, want);
          end = header.size;
        }
        break;
      }
      end += header.size;
    }
    return data.subarray(0, end);
  }

  private readAt(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buf, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  }

  /** The whole batch at a position (for decoding its records). */
  readBatch(at: BatchAt): Buffer {
    return this.readAt(at.position, at.header.size);
  }

  private loadIndex(fileSize: number): void {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.indexFile);
    } catch {
      return;
    }
    if (data.length < INDEX_HEADER + 4) return;
    if (data.readUInt32BE(data.length - 4) !== crc32c(data, 0, data.length - 4)) return;
    if (data.readUInt32BE(0) !== INDEX_MAGIC || data.readUInt16BE(4) !== INDEX_FORMAT_VERSION) return;
    const covered = data.readUInt32BE(8);
    const count = data.readUInt32BE(36);
    if (covered > fileSize || data.length !== INDEX_HEADER + count * 8 + 4) return;
    this.offsets = new Int32Array(Math.max(64, count));
    this.positions = new Uint32Array(Math.max(64, count));
    for (let i = 0; i < count; i++) {
      this.offsets[i] = data.readInt32BE(INDEX_HEADER + i * 8);
      this.positions[i] = data.readUInt32BE(INDEX_HEADER + i * 8 + 4);
    }
    this.entries = count;
    this.size = covered;
    this.nextOffset = data.readBigInt64BE(12);
    this.maxTimestamp = data.readDoubleBE(20);
    this.firstBatchTimestamp = data.readDoubleBE(28);
    // Entries are every indexIntervalBytes; assume a full interval since the last one.
    this.bytesSinceEntry = Number.MAX_SAFE_INTEGER;
    this.indexDirty = covered !== fileSize;
  }

  /** Verifies the batches past what the index covers; cuts the file after the last valid batch. */
  private recover(fileSize: number, indexIntervalBytes: number, verifyCrc: boolean): RecoveryReport {
    let reason: string | undefined;
    let at = this.size;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = at;
    while (at < fileSize) {
      if (at + BatchLayout.HEADER_SIZE > fileSize) {
        reason = 'incomplete batch header';
        break;
      }
      if (at + BatchLayout.HEADER_SIZE > chunkStart + chunk.length) {
        chunk = this.readAt(at, Math.min(SCAN_CHUNK, fileSize - at));
        chunkStart = at;
      }
      const header = readBatchHeader(chunk, at - chunkStart);
      if (header.magic !== 2 || header.size < BatchLayout.HEADER_SIZE) {
        reason = `invalid batch header at ${at}`;
        break;
      }
      if (at + header.size > fileSize) {
        reason = `batch at ${at} is cut short`;
        break;
      }
      if (header.baseOffset < this.nextOffset) {
        reason = `batch at ${at} goes back to offset ${header.baseOffset}`;
        break;
      }
      if (at + header.size > chunkStart + chunk.length) {
        chunk = this.readAt(at, Math.max(header.size, Math.min(SCAN_CHUNK, fileSize - at)));
        chunkStart = at;
      }
      const batch = chunk.subarray(at - chunkStart, at - chunkStart + header.size);
      if (verifyCrc && computeBatchCrc(batch) !== header.crc) {
        reason = `CRC mismatch in batch at ${at}`;
        break;
      }
      this.track(at, header, indexIntervalBytes);
      at += header.size;
    }
    this.size = at;
    if (at < fileSize) {
      fs.ftruncateSync(this.fd, at);
      this.indexDirty = true;
    }
    return { truncatedBytes: fileSize - at, ...(reason ? { reason } : {}) };
  }

  /** Saves the index so that the next start need not scan what it covers. */
  saveIndex(): void {
    if (!this.indexDirty) return;
    const data = Buffer.alloc(INDEX_HEADER + this.entries * 8 + 4);
    data.writeUInt32BE(INDEX_MAGIC, 0);
    data.writeUInt16BE(INDEX_FORMAT_VERSION, 4);
    data.writeUInt32BE(this.size, 8);
    data.writeBigInt64BE(this.nextOffset, 12);
    data.writeDoubleBE(this.maxTimestamp, 20);
    data.writeDoubleBE(this.firstBatchTimestamp, 28);
    data.writeUInt32BE(this.entries, 36);
    for (let i = 0; i < this.entries; i++) {
      data.writeInt32BE(this.offsets[i]!, INDEX_HEADER + i * 8);
      data.writeUInt32BE(this.positions[i]!, INDEX_HEADER + i * 8 + 4);
    }
    data.writeUInt32BE(crc32c(data, 0, data.length - 4), data.length - 4);
    // The data must be durable before an index that vouches for it.
    fs.fsyncSync(this.fd);
    const tmp = `${this.indexFile}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, this.indexFile);
    this.indexDirty = false;
  }

  close(): void {
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Closes and removes the segment's files. */
  remove(): void {
    if (this.fd >= 0) this.close();
    fs.rmSync(this.file, { force: true });
    fs.rmSync(this.indexFile, { force: true });
  }
}
