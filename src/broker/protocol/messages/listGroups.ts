import { defineApi } from '../api.js';
import { array, field, int16, int32, string, struct } from '../schema.js';

/** ListGroups (16), v0-2. v1: throttle time. v2 = v1. */
export const ListGroups = defineApi({
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: struct({}),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: int16,
    groups: array(struct({ groupId: string, protocolType: string })),
  }),
});
