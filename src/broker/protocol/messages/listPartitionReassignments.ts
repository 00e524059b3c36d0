import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/**
 * ListPartitionReassignments (46), v0: the reassignments in progress (KIP-455), for the topics
 * named or, with a null list, for all. Flexible from v0.
 */
export const ListPartitionReassignments = defineApi({
  key: 46,
  name: 'ListPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  request: struct({
    timeoutMs: int32,
    topics: field(array(struct({ name: string, partitionIndexes: array(int32) })), {
      nullable: '0+',
      default: null,
    }),
  }),
  response: struct({
    throttleTimeMs: int32,
    errorCode: int16,
    errorMessage: field(string, { nullable: '0+', default: null }),
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            replicas: array(int32),
            addingReplicas: array(int32),
            removingReplicas: array(int32),
          }),
        ),
      }),
    ),
  }),
});
