import type { Topic } from '../log/logManager.js';
import { topicNameError } from '../log/topicName.js';
import type { ResponseOf } from '../protocol/api.js';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { Metadata } from '../protocol/messages/metadata.js';
import { defineHandler, type RequestContext } from './handler.js';

type TopicMetadata = ResponseOf<typeof Metadata>['topics'][number];

/**
 * Metadata: this broker as the only one, leader and sole replica of every partition, and the
 * controller. Unknown topics are created when auto-creation is on and the client allows it (v4+).
 * In v0 an empty topic list means every topic; from v1 that is a null list.
 */
export const metadataHandler = defineHandler(Metadata, (request, ctx) => {
  const { broker } = ctx;
  const all = request.topics === null || (ctx.version === 0 && request.topics.length === 0);
  const topics: TopicMetadata[] = all
    ? broker.logs.list().map((t) => describeTopic(t, broker.nodeId))
    : request.topics!.map(({ name }) => lookUp(name, request.allowAutoTopicCreation, ctx));
  return {
    throttleTimeMs: 0,
    brokers: [
      { nodeId: broker.nodeId, host: broker.advertisedHost, port: broker.advertisedPort, rack: null },
    ],
    clusterId: broker.clusterId,
    controllerId: broker.nodeId,
    topics,
  };
});

function lookUp(name: string, allowAutoCreate: boolean, ctx: RequestContext): TopicMetadata {
  const { logs, nodeId, autoCreateTopics } = ctx.broker;
  const existing = logs.get(name);
  if (existing) return describeTopic(existing, nodeId);
  const failed = (errorCode: number) => ({ errorCode, name, isInternal: false, partitions: [] });
  if (topicNameError(name)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION);
  if (!autoCreateTopics || !allowAutoCreate) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    return describeTopic(logs.create({ name, numPartitions: -1, replicationFactor: -1 }), nodeId);
  } catch (err) {
    if (err instanceof KafkaError) return failed(err.code);
    throw err;
  }
}

export function describeTopic(topic: Topic, nodeId: number): TopicMetadata {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.partition,
      leaderId: nodeId,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
  };
}
