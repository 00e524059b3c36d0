import type { Topic } from '../log/logManager.js';
import type { RequestOf, ResponseOf } from '../protocol/api.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { AlterPartitionReassignments } from '../protocol/messages/alterPartitionReassignments.js';
import { defineHandler } from './handler.js';

type PartitionRequest = RequestOf<typeof AlterPartitionReassignments>['topics'][number]['partitions'][number];
type PartitionResult = ResponseOf<
  typeof AlterPartitionReassignments
>['responses'][number]['partitions'][number];

/**
 * AlterPartitionReassignments v0 on a single node. Every partition already lives on this broker
 * alone, so the only reassignment that can succeed is to [this node], and it completes at once.
 * The checks and their order follow Kafka's controller: unknown topic or partition → 3; a null
 * list cancels, and nothing is ever in progress → 85; an empty list, a repeated broker or a broker
 * that is not registered → 39.
 */
export const alterPartitionReassignmentsHandler = defineHandler(
  AlterPartitionReassignments,
  (request, ctx) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    responses: request.topics.map((t) => {
      const topic = ctx.broker.logs.get(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => reassign(topic, p, ctx.broker.nodeId)),
      };
    }),
  }),
);

function reassign(topic: Topic | undefined, p: PartitionRequest, nodeId: number): PartitionResult {
  const result = (errorCode: number, errorMessage: string | null = null) => ({
    partitionIndex: p.partitionIndex,
    errorCode,
    errorMessage,
  });
  if (!topic || !topic.partitions.some((log) => log.partition === p.partitionIndex)) {
    return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  }
  if (p.replicas === null) {
    return result(
      ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
      'No reassignment is in progress for this partition.',
    );
  }
  if (p.replicas.length === 0) {
    return result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'The replica list is empty.');
  }
  if (new Set(p.replicas).size !== p.replicas.length) {
    return result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'The replica list names a broker more than once.');
  }
  const unknown = p.replicas.find((id) => id !== nodeId);
  if (unknown !== undefined) {
    return result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Broker ${unknown} is not registered.`);
  }
  return result(ErrorCode.NONE);
}
