import { defineApi } from '../api.js';
import { array, field, int16, int32, int64, string, struct } from '../schema.js';

/**
 * OffsetCommit (8), v2-7. v2-4: retention time. v3: throttle time. v6: committed leader epoch.
 * v7: group_instance_id.
 */
export const OffsetCommit = defineApi({
  key: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 7,
  flexibleFrom: 8,
  request: struct({
    groupId: string,
    generationId: field(int32, { versions: '1+', default: -1 }),
    memberId: field(string, { versions: '1+' }),
    groupInstanceId: field(string, { versions: '7+', nullable: '7+', default: null }),
    retentionTimeMs: field(int64, { versions: '2-4', default: -1n }),
    topics: array(
      struct({
        name: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            committedOffset: int64,
            committedLeaderEpoch: field(int32, { versions: '6+', default: -1 }),
            committedMetadata: field(string, { nullable: '0+' }),
          }),
        ),
      }),
    ),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '3+' }),
    topics: array(
      struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
    ),
  }),
});
