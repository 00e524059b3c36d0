import { defineApi } from '../api.js';
import { array, bytes, field, int16, int32, string, struct } from '../schema.js';

/** SyncGroup (14), v0-3. v1: throttle time. v3: group_instance_id. */
export const SyncGroup = defineApi({
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: struct({
    groupId: string,
    generationId: int32,
    memberId: string,
    groupInstanceId: field(string, { versions: '3+', nullable: '3+', default: null }),
    assignments: array(struct({ memberId: string, assignment: bytes })),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: int16,
    assignment: bytes,
  }),
});
