import { defineApi } from '../api.js';
import { array, bytes, field, int16, int32, string, struct } from '../schema.js';

/** DescribeGroups (15), v0-2. v1: throttle time. v2 = v1. */
export const DescribeGroups = defineApi({
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 5,
  request: struct({ groups: array(string) }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    groups: array(
      struct({
        errorCode: int16,
        groupId: string,
        groupState: string,
        protocolType: string,
        protocolData: string,
        members: array(
          struct({
            memberId: string,
            clientId: string,
            clientHost: string,
            memberMetadata: bytes,
            memberAssignment: bytes,
          }),
        ),
      }),
    ),
  }),
});
