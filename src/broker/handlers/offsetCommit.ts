import type { OffsetToCommit } from '../group/groupCoordinator.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { OffsetCommit } from '../protocol/messages/offsetCommit.js';
import { defineHandler } from './handler.js';

/**
 * OffsetCommit v2-7: stores a group's positions; they are on disk before the answer. Partitions
 * of unknown topics get UNKNOWN_TOPIC_OR_PARTITION; the rest are checked against the group as
 * Kafka does (a member of the current generation, or a commit with generation -1 and no member id
 * to a group without members), and metadata over 4096 bytes gets OFFSET_METADATA_TOO_LARGE. The
 * v2-4 retention time is ignored: offsets are kept until their group or topic is deleted.
 */
export const offsetCommitHandler = defineHandler(OffsetCommit, (request, ctx) => {
  const { logs, groups } = ctx.broker;
  const toCommit: OffsetToCommit[] = [];
  // Per partition in request order: its index in toCommit, or null for an unknown partition.
  const slots = request.topics.map((topic) =>
    topic.partitions.map((p) => {
      if (!logs.partition(topic.name, p.partitionIndex)) return null;
      toCommit.push({
        topic: topic.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.committedMetadata,
      });
      return toCommit.length - 1;
    }),
  );
  const errors =
    toCommit.length === 0
      ? []
      : groups.commitOffsets({
          groupId: request.groupId,
          generationId: request.generationId,
          memberId: request.memberId,
          offsets: toCommit,
        });
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic, t) => ({
      name: topic.name,
      partitions: topic.partitions.map((p, i) => {
        const slot = slots[t]![i] ?? null;
        return {
          partitionIndex: p.partitionIndex,
          errorCode: slot === null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : errors[slot]!,
        };
      }),
    })),
  };
});
