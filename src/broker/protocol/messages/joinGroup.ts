import { defineApi } from '../api.js';
import { array, bytes, field, int16, int32, string, struct } from '../schema.js';

/**
 * JoinGroup (11), v0-5. v1: rebalance timeout. v2: throttle time. v4: a member joining with an
 * empty id is answered MEMBER_ID_REQUIRED with an id to rejoin with (KIP-394). v5: static
 * membership fields (group_instance_id).
 */
export const JoinGroup = defineApi({
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 6,
  request: struct({
    groupId: string,
    sessionTimeoutMs: int32,
    rebalanceTimeoutMs: field(int32, { versions: '1+', default: -1 }),
    memberId: string,
    groupInstanceId: field(string, { versions: '5+', nullable: '5+', default: null }),
    protocolType: string,
    protocols: array(struct({ name: string, metadata: bytes })),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '2+' }),
    errorCode: int16,
    generationId: field(int32, { default: -1 }),
    protocolName: string,
    leader: string,
    memberId: string,
    members: array(
      struct({
        memberId: string,
        groupInstanceId: field(string, { versions: '5+', nullable: '5+', default: null }),
        metadata: bytes,
      }),
    ),
  }),
});
