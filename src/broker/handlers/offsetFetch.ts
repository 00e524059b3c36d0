import { ErrorCode } from '../protocol/errorCodes.js';
import { OffsetFetch } from '../protocol/messages/offsetFetch.js';
import { defineHandler } from './handler.js';

/**
 * OffsetFetch v1-5: a group's committed offsets. From v2, null topics asks for every partition
 * the group has committed. A partition without a commit (or of an unknown topic or group) answers
 * offset -1 and empty metadata without an error, as Kafka does.
 */
export const offsetFetchHandler = defineHandler(OffsetFetch, (request, ctx) => {
  const topics = request.topics?.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })) ?? null;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    topics: ctx.broker.groups.fetchOffsets(request.groupId, topics).map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partition,
        committedOffset: p.offset,
        committedLeaderEpoch: p.leaderEpoch,
        metadata: p.metadata,
        errorCode: ErrorCode.NONE,
      })),
    })),
  };
});
