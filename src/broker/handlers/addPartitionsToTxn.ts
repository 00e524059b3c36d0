import { AddPartitionsToTxn } from '../protocol/messages/addPartitionsToTxn.js';
import { defineHandler } from './handler.js';

/** AddPartitionsToTxn v0-1: the partitions the producer's open transaction writes to. */
export const addPartitionsToTxnHandler = defineHandler(AddPartitionsToTxn, (request, ctx) => {
  const partitions = request.topics.flatMap((t) =>
    t.partitions.map((partition) => ({ topic: t.name, partition })),
  );
  const errors = ctx.broker.transactions.addPartitions(
    request.transactionalId,
    request.producerId,
    request.producerEpoch,
    partitions,
  );
  let i = 0;
  return {
    throttleTimeMs: 0,
    results: request.topics.map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: errors[i++]!,
      })),
    })),
  };
});
