import { defineApi } from '../api.js';
import { array, bool, field, int16, int32, string, struct } from '../schema.js';

/**
 * Metadata (3), v0-6. v1: controller id, rack, internal flag, null topics = all. v2: cluster id.
 * v3: throttle time. v4: allow_auto_topic_creation. v5: offline replicas. v6 = v5.
 */
export const Metadata = defineApi({
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  flexibleFrom: 9,
  request: struct({
    topics: field(array(struct({ name: string })), { nullable: '1+' }),
    allowAutoTopicCreation: field(bool, { versions: '4+', default: true }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '3+' }),
    brokers: array(
      struct({
        nodeId: int32,
        host: string,
        port: int32,
        rack: field(string, { versions: '1+', nullable: '1+', default: null }),
      }),
    ),
    clusterId: field(string, { versions: '2+', nullable: '2+', default: null }),
    controllerId: field(int32, { versions: '1+', default: -1 }),
    topics: array(
      struct({
        errorCode: int16,
        name: string,
        isInternal: field(bool, { versions: '1+' }),
        partitions: array(
          struct({
            errorCode: int16,
            partitionIndex: int32,
            leaderId: int32,
            replicaNodes: array(int32),
            isrNodes: array(int32),
            offlineReplicas: field(array(int32), { versions: '5+' }),
          }),
        ),
      }),
    ),
  }),
});
