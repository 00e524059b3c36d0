import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/**
 * AlterPartitionReassignments (45), v0: moves partitions to new replica sets (KIP-455). Flexible
 * from v0. A null replica list cancels a reassignment in progress.
 */
export const AlterPartitionReassignments = defineApi({
  key: 45,
  name: 'AlterPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: 0,
  request: struct({
    timeoutMs: int32,
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            replicas: field(array(int32), { nullable: '0+', default: null }),
          }),
        ),
      }),
    ),
  }),
  response: struct({
    throttleTimeMs: int32,
    errorCode: int16,
    errorMessage: field(string, { nullable: '0+', default: null }),
    responses: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            errorCode: int16,
            errorMessage: field(string, { nullable: '0+', default: null }),
          }),
        ),
      }),
    ),
  }),
});
