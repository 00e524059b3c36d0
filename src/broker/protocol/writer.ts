const CHUNK = 16 * 1024;
/** Byte payloads at least this big are referenced, not copied (record data read from a segment). */
const REFERENCE_THRESHOLD = 1024;

/**
 * Writes Kafka's primitive types big-endian into a list of chunks. Large byte payloads are kept
 * as references, so a Fetch response carrying megabytes of record batches copies nothing until
 * the socket writes it.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private current: Buffer;
  private position = 0;
  private flushedLength = 0;

  constructor(initialSize = 256) {
    this.current = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.flushedLength + this.position;
  }

  private ensure(n: number): void {
    if (this.position + n <= this.current.length) return;
    this.flush();
    this.current = Buffer.allocUnsafe(Math.max(n, CHUNK));
  }

  private flush(): void {
    if (this.position === 0) return;
    this.chunks.push(this.current.subarray(0, this.position));
    this.flushedLength += this.position;
    this.current = this.current.subarray(this.position);
    this.position = 0;
  }

  int8(value: number): this {
    this.ensure(1);
    this.current.writeInt8(value, this.position);
    this.position += 1;
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.current.writeInt16BE(value, this.position);
    this.position += 2;
    return this;
  }

  uint16(value: number): this {
    this.ensure(2);
    this.current.writeUInt16BE(value, this.position);
    this.position += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.current.writeInt32BE(value, this.position);
    this.position += 4;
    return this;
  }

  uint32(value: number): this {
    this.ensure(4);
    this.current.writeUInt32BE(value, this.position);
    this.position += 4;
    return this;
  }

  int64(value: bigint): this {
    this.ensure(8);
    this.current.writeBigInt64BE(value, this.position);
    this.position += 8;
    return this;
  }

  float64(value: number): this {
    this.ensure(8);
    this.current.writeDoubleBE(value, this.position);
    this.position += 8;
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uvarint(value: number): this {
    this.ensure(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.current[this.position++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.current[this.position++] = v;
    return this;
  }

  varint(value: number): this {
    return this.uvarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  varlong(value: bigint): this {
    this.ensure(10);
    let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    while (v >= 0x80n) {
      this.current[this.position++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.current[this.position++] = Number(v);
    return this;
  }

  raw(bytes: Buffer): this {
    if (bytes.length >= REFERENCE_THRESHOLD) {
      this.flush();
      this.chunks.push(bytes);
      this.flushedLength += bytes.length;
      return this;
    }
    this.ensure(bytes.length);
    bytes.copy(this.current, this.position);
    this.position += bytes.length;
    return this;
  }

  private text(value: string, lengthPrefix: (n: number) => void): this {
    const length = Buffer.byteLength(value, 'utf8');
    lengthPrefix(length);
    this.ensure(length);
    this.current.write(value, this.position, length, 'utf8');
    this.position += length;
    return this;
  }

  string(value: string): this {
    return this.text(value, (n) => this.int16(n));
  }

  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  compactString(value: string): this {
    return this.text(value, (n) => this.uvarint(n + 1));
  }

  compactNullableString(value: string | null): this {
    return value === null ? this.uvarint(0) : this.compactString(value);
  }

  bytes(value: Buffer): this {
    return this.int32(value.length).raw(value);
  }

  nullableBytes(value: Buffer | null): this {
    return value === null ? this.int32(-1) : this.bytes(value);
  }

  compactNullableBytes(value: Buffer | null): this {
    return value === null ? this.uvarint(0) : this.uvarint(value.length + 1).raw(value);
  }

  /** The written bytes as chunks, for a vectored socket write. */
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.finish());
  }
}
