import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/** LeaveGroup (13), v0-3. v1: throttle time. v3: a batch of members (KIP-345). */
export const LeaveGroup = defineApi({
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: struct({
    groupId: string,
    memberId: field(string, { versions: '0-2' }),
    members: field(
      array(struct({ memberId: string, groupInstanceId: field(string, { nullable: '0+', default: null }) })),
      { versions: '3+' },
    ),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: int16,
    members: field(
      array(
        struct({
          memberId: string,
          groupInstanceId: field(string, { nullable: '0+', default: null }),
          errorCode: int16,
        }),
      ),
      { versions: '3+' },
    ),
  }),
});
