/**
 * Confluent's wire format for a record value: a zero magic byte, the writer schema's registry id
 * as a big-endian signed 32-bit integer, then the Avro binary body.
 */
export const MAGIC_BYTE = 0;
const HEADER_SIZE = 5;

export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export function encodeWire(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function decodeWire(buffer: Buffer): { schemaId: number; body: Buffer } {
  if (buffer.length < HEADER_SIZE) {
    throw new WireFormatError(`${buffer.length} bytes is too short for the Confluent wire format`);
  }
  if (buffer[0] !== MAGIC_BYTE) throw new WireFormatError(`unknown magic byte ${buffer[0]}, expected 0`);
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(HEADER_SIZE) };
}
