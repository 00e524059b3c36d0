import { defineApi } from '../api.js';
import { field, int16, int32, string, struct } from '../schema.js';

/** Heartbeat (12), v0-3. v1: throttle time. v3: group_instance_id. */
export const Heartbeat = defineApi({
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: struct({
    groupId: string,
    generationId: int32,
    memberId: string,
    groupInstanceId: field(string, { versions: '3+', nullable: '3+', default: null }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: int16,
  }),
});
