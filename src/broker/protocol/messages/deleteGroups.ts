import { defineApi } from '../api.js';
import { array, int16, int32, string, struct } from '../schema.js';

/** DeleteGroups (42), v0-1: deletes empty groups and their committed offsets. v1 = v0. */
export const DeleteGroups = defineApi({
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: struct({ groupsNames: array(string) }),
  response: struct({
    throttleTimeMs: int32,
    results: array(struct({ groupId: string, errorCode: int16 })),
  }),
});
