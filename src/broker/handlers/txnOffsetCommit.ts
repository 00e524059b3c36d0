import { ErrorCode } from '../protocol/errorCodes.js';
import { TxnOffsetCommit } from '../protocol/messages/txnOffsetCommit.js';
import { defineHandler } from './handler.js';

/**
 * TxnOffsetCommit v0-2 (sendOffsetsToTransaction): offsets held as pending in the group until
 * the transaction commits. A stale epoch is refused with 47; a group the transaction did not add
 * (AddOffsetsToTxn) with INVALID_TXN_STATE; an unknown partition with 3.
 */
export const txnOffsetCommitHandler = defineHandler(TxnOffsetCommit, (request, ctx) => {
  const { transactions, groups, logs } = ctx.broker;
  const refused = transactions.checkTransactionalWrite(
    request.transactionalId,
    request.producerId,
    request.producerEpoch,
    { group: request.groupId },
  );
  const known = request.topics.map((t) =>
    t.partitions.map((p) => !!logs.partition(t.name, p.partitionIndex)),
  );
  const offsets = request.topics.flatMap((t, ti) =>
    t.partitions
      .filter((_, pi) => known[ti]![pi])
      .map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.committedMetadata,
      })),
  );
  const errors =
    refused === ErrorCode.NONE
      ? groups.commitTransactionalOffsets(request.groupId, request.producerId, offsets)
      : [];
  let i = 0;
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t, ti) => ({
      name: t.name,
      partitions: t.partitions.map((p, pi) => ({
        partitionIndex: p.partitionIndex,
        errorCode:
          refused !== ErrorCode.NONE
            ? refused
            : known[ti]![pi]
              ? errors[i++]!
              : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    })),
  };
});
