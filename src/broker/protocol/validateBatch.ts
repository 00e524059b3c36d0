import { canDecompress, decompress } from './compression.js';
import { ErrorCode, KafkaError } from './errorCodes.js';
import { ProtocolError } from './protocolError.js';
import {
  BatchLayout,
  type BatchHeader,
  checkRecords,
  codecOf,
  computeBatchCrc,
  isControl,
  readBatchHeader,
} from './recordBatch.js';

export interface BatchRules {
  /** Compacted topics refuse records without a key. */
  requireKeys: boolean;
}

/**
 * Validates the record data of one partition in a Produce request, as Kafka's LogValidator does.
 * Produce v3+ carries exactly one v2 batch per partition. Failures are INVALID_RECORD (87), except
 * a CRC mismatch, which Kafka answers with CORRUPT_MESSAGE (2) like any corrupt frame: the batch
 * was damaged on the way, and a retry may get through (clients do retry 2).
 */
export async function validateBatch(records: Buffer, rules: BatchRules): Promise<BatchHeader> {
  const invalid = (why: string) => new KafkaError(ErrorCode.INVALID_RECORD, why);
  if (records.length < BatchLayout.HEADER_SIZE) throw invalid('record data shorter than a batch header');
  const header = readBatchHeader(records);
  if (header.magic !== 2) throw invalid(`record batch magic ${header.magic}; only magic 2 is supported`);
  if (header.size !== records.length) {
    throw invalid(
      header.size < records.length
        ? 'produce requests must carry exactly one record batch per partition'
        : `batch length ${header.size} exceeds the ${records.length} bytes sent`,
    );
  }
  if (computeBatchCrc(records) !== header.crc) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'record batch CRC mismatch');
  }
  if (isControl(header.attributes)) throw invalid('clients may not produce control batches');
  if (header.recordCount <= 0 || header.recordCount !== header.lastOffsetDelta + 1) {
    throw invalid(
      `record count ${header.recordCount} does not match last offset delta ${header.lastOffsetDelta}`,
    );
  }
  const codec = codecOf(header.attributes);
  if (codec > 4) throw invalid(`unknown compression codec ${codec}`);
  if (canDecompress(codec)) {
    let data: Buffer;
    try {
      data = await decompress(codec, records.subarray(BatchLayout.HEADER_SIZE));
    } catch (err) {
      throw invalid(`cannot decompress batch: ${(err as Error).message}`);
    }
    try {
      checkRecords(
        data,
        header.recordCount,
        rules.requireKeys
          ? (key) => {
              if (key === null) throw invalid('compacted topics only accept records with a key');
            }
          : undefined,
      );
    } catch (err) {
      if (err instanceof ProtocolError) throw invalid(err.message);
      throw err;
    }
  }
  return header;
}
