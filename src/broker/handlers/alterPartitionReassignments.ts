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
        partitions: t.partitions.map((p) => reassign(t.name, topic, p, ctx.broker.nodeId)),
      };
    }),
  }),
);

function reassign(
  topicName: string,
  topic: Topic | undefined,
  p: PartitionRequest,
  nodeId: number,
): PartitionResult {
  const result = (errorCode: number, errorMessage: string | null = null) => ({
    partitionIndex: p.partitionIndex,
    errorCode,
    errorMessage,
  });
  // Messages are Kafka's controller's own (ReplicationControlManager).
  if (!topic)
    return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find a topic named ${topicName}.`);
  if (!topic.partitions.some((log) => log.partition === p.partitionIndex)) {
    return result(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      `Unable to find partition ${topicName}:${p.partitionIndex}.`,
    );
  }
  if (p.replicas === null) return result(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  const invalid = (why: string) =>
    result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `The manual partition assignment includes ${why}.`);
  if (p.replicas.length === 0) return invalid('an empty replica list');
  const repeated = p.replicas.find((id, i) => p.replicas!.indexOf(id) !== i);
  if (repeated !== undefined) return invalid(`the broker ${repeated} more than once`);
  const unknown = p.replicas.find((id) => id !== nodeId);
  if (unknown !== undefined) return invalid(`broker ${unknown}, but no such broker is registered`);
  return result(ErrorCode.NONE);
}
