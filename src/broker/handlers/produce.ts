import type { PartitionLog } from '../log/partitionLog.js';
import type { ResponseOf } from '../protocol/api.js';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { Produce } from '../protocol/messages/produce.js';
import { isTransactional } from '../protocol/recordBatch.js';
import { validateBatch } from '../protocol/validateBatch.js';
import { defineHandler, NO_RESPONSE, type RequestContext } from './handler.js';

type PartitionResponse = ResponseOf<typeof Produce>['responses'][number]['partitionResponses'][number];

/**
 * Produce: validate each partition's batch (structure, CRC-32C, records), append it, answer with
 * its base offset. Batches with a producer id are checked for sequence and epoch by the partition
 * (a retry is answered with the original offsets); transactional ones must belong to the
 * producer's open transaction. Batches of one request are validated concurrently (gzip is inflated off the
 * event loop) and appended in request order. acks=0 appends and answers nothing; with one node,
 * acks=1 and acks=-1 both answer once the batch is written. min.insync.replicas is capped at the
 * replication factor, 1 here, as Kafka 4 does with eligible leader replicas on (KIP-966), so a
 * topic set to 2 still takes acks=-1. Unknown topics are refused: like Kafka, Produce never
 * creates a topic (Metadata does, when auto-creation is on).
 */
export const produceHandler = defineHandler(Produce, async (request, ctx) => {
  const { acks } = request;
  const invalidAcks = acks !== 0 && acks !== 1 && acks !== -1;
  const responses = await Promise.all(
    request.topicData.map(async (topic) => ({
      name: topic.name,
      partitionResponses: await Promise.all(
        topic.partitionData.map((p) =>
          invalidAcks
            ? failure(p.index, ErrorCode.INVALID_REQUIRED_ACKS)
            : produceToPartition(topic.name, p.index, p.records, request.transactionalId, ctx),
        ),
      ),
    })),
  );
  if (acks === 0) return NO_RESPONSE;
  return { responses, throttleTimeMs: 0 };
});

function failure(index: number, errorCode: number): PartitionResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
}

async function produceToPartition(
  topicName: string,
  index: number,
  records: Buffer | null,
  transactionalId: string | null,
  ctx: RequestContext,
): Promise<PartitionResponse> {
  let log: PartitionLog | undefined;
  try {
    log = partitionFor(topicName, index, ctx);
    if (!log) return failure(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (records === null) throw new KafkaError(ErrorCode.INVALID_RECORD, 'null record data');
    const config = ctx.broker.logs.get(topicName)!.config;
    const header = await validateBatch(records, { requireKeys: config.compact });
    // The partition may have been deleted while the batch was being validated.
    if (ctx.broker.logs.partition(topicName, index) !== log)
      return failure(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (isTransactional(header.attributes)) {
      // The partition must be part of the producer's open transaction (AddPartitionsToTxn).
      const refused = ctx.broker.transactions.checkTransactionalWrite(
        transactionalId,
        header.producerId,
        header.producerEpoch,
        { topic: topicName, partition: index },
      );
      if (refused !== ErrorCode.NONE) throw new KafkaError(refused, 'not part of an open transaction');
    }
    const result = log.append(records, header);
    return {
      index,
      errorCode: ErrorCode.NONE,
      baseOffset: result.baseOffset,
      logAppendTimeMs: BigInt(result.logAppendTime),
      logStartOffset: log.logStartOffset,
    };
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    ctx.logger.debug(
      { topic: topicName, partition: index, code: err.code, reason: err.message },
      'produce refused',
    );
    return { ...failure(index, err.code), logStartOffset: log?.logStartOffset ?? -1n };
  }
}

function partitionFor(topicName: string, index: number, ctx: RequestContext): PartitionLog | undefined {
  return ctx.broker.logs.get(topicName)?.partitions[index];
}
