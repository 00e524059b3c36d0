import { ProtocolError } from './protocolError.js';
import { Reader } from './reader.js';
import { Attributes, BatchLayout, rewriteCrc } from './recordBatch.js';
import { Writer } from './writer.js';

/**
 * Transaction markers: the control batch a transaction coordinator writes to each partition of a
 * transaction when it ends (ControlRecordType.java, EndTransactionMarker.java). One record:
 *   key   = version int16 (0), type int16 (0 ABORT, 1 COMMIT)
 *   value = version int16 (0), coordinator epoch int32
 * The batch carries the producer's id and epoch, base sequence -1, attributes transactional|control.
 */
export const ControlType = { ABORT: 0, COMMIT: 1 } as const;

export function encodeControlBatch(
  producerId: bigint,
  producerEpoch: number,
  commit: boolean,
  coordinatorEpoch: number,
  timestamp: number,
): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? ControlType.COMMIT : ControlType.ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  const body = new Writer()
    .int8(0) // attributes
    .varlong(0n) // timestamp delta
    .varint(0) // offset delta
    .varint(key.length)
    .raw(key)
    .varint(value.length)
    .raw(value)
    .varint(0) // headers
    .toBuffer();
  const record = new Writer().varint(body.length).raw(body).toBuffer();

  const batch = Buffer.alloc(BatchLayout.HEADER_SIZE + record.length);
  batch.writeInt32BE(batch.length - BatchLayout.LOG_OVERHEAD, BatchLayout.LENGTH);
  batch.writeInt8(2, BatchLayout.MAGIC);
  batch.writeInt16BE(Attributes.TRANSACTIONAL | Attributes.CONTROL, BatchLayout.ATTRIBUTES);
  batch.writeInt32BE(0, BatchLayout.LAST_OFFSET_DELTA);
  batch.writeBigInt64BE(BigInt(timestamp), BatchLayout.BASE_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(timestamp), BatchLayout.MAX_TIMESTAMP);
  batch.writeBigInt64BE(producerId, BatchLayout.PRODUCER_ID);
  batch.writeInt16BE(producerEpoch, BatchLayout.PRODUCER_EPOCH);
  batch.writeInt32BE(-1, BatchLayout.BASE_SEQUENCE);
  batch.writeInt32BE(1, BatchLayout.RECORD_COUNT);
  record.copy(batch, BatchLayout.HEADER_SIZE);
  rewriteCrc(batch);
  return batch;
}

/**
 * Whether the control batch marks a commit (true) or an abort (false). Reads the first record's
 * key; control batches are never compressed.
 */
export function isCommitMarker(batch: Buffer): boolean {
  const r = new Reader(batch, BatchLayout.HEADER_SIZE);
  r.varint(); // record length
  r.int8(); // attributes
  r.varlong(); // timestamp delta
  r.varint(); // offset delta
  const keyLength = r.varint();
  if (keyLength < 4) throw new ProtocolError('control record without a key');
  const key = r.raw(keyLength);
  return key.readInt16BE(2) === ControlType.COMMIT;
}
