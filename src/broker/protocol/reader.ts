import { ProtocolError } from './protocolError.js';

/**
 * Reads Kafka's primitive types from a buffer, big-endian, advancing a cursor.
 * Every read checks bounds and throws ProtocolError on truncated or malformed input;
 * the connection layer answers that by closing the one connection that sent it.
 * https://kafka.apache.org/protocol#protocol_types
 */
export class Reader {
  offset: number;

  constructor(
    readonly buffer: Buffer,
    offset = 0,
    readonly end = buffer.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private take(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolError(`need ${n} bytes at ${at}, only ${this.end - at} left`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  uint32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  float64(): number {
    return this.buffer.readDoubleBE(this.take(8));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  uuid(): Buffer {
    const at = this.take(16);
    return this.buffer.subarray(at, at + 16);
  }

  /** Unsigned LEB128 varint, at most 5 bytes (32 bits). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer[this.take(1)]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolError('varint overflows 32 bits');
        return value;
      }
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }

  /** Zigzag-encoded signed varint (32 bits). */
  varint(): number {
    const raw = this.uvarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Zigzag-encoded signed varlong (64 bits); record timestamp deltas need the full range. */
  varlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buffer[this.take(1)]!;
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (raw > 0xffffffffffffffffn) throw new ProtocolError('varlong overflows 64 bits');
        return (raw >> 1n) ^ -(raw & 1n);
      }
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  /** A varlong known to fit a JS number (offset and timestamp deltas within one batch). */
  varlongNumber(): number {
    const value = this.varlong();
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtocolError('varlong out of safe integer range');
    }
    return Number(value);
  }

  raw(n: number): Buffer {
    const at = this.take(n);
    return this.buffer.subarray(at, at + n);
  }

  private text(length: number): string {
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new ProtocolError('null where a string is required');
    return this.text(length);
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    if (length < -1) throw new ProtocolError(`invalid string length ${length}`);
    return this.text(length);
  }

  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new ProtocolError('null where a compact string is required');
    return value;
  }

  compactNullableString(): string | null {
    const lengthPlusOne = this.uvarint();
    return lengthPlusOne === 0 ? null : this.text(lengthPlusOne - 1);
  }

  bytes(): Buffer {
    const value = this.nullableBytes();
    if (value === null) throw new ProtocolError('null where bytes are required');
    return value;
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === -1) return null;
    if (length < -1) throw new ProtocolError(`invalid bytes length ${length}`);
    return this.raw(length);
  }

  compactNullableBytes(): Buffer | null {
    const lengthPlusOne = this.uvarint();
    return lengthPlusOne === 0 ? null : this.raw(lengthPlusOne - 1);
  }

  /** Array length: -1 is null. A length that cannot fit the remaining bytes is malformed. */
  arrayLength(): number {
    const length = this.int32();
    if (length < -1 || length > this.remaining) throw new ProtocolError(`invalid array length ${length}`);
    return length;
  }

  compactArrayLength(): number {
    const length = this.uvarint() - 1;
    if (length > this.remaining) throw new ProtocolError(`invalid compact array length ${length}`);
    return length;
  }
}
