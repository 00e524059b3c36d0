import { defineApi } from '../api.js';
import { array, bool, field, int16, int32, int8, string, struct } from '../schema.js';

/**
 * AlterConfigs (33), v0-1: replaces a resource's whole set of configs (configs left out return
 * to their defaults; IncrementalAlterConfigs is the one that patches). v1 = v0 on the wire.
 */
export const AlterConfigs = defineApi({
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: struct({
    resources: array(
      struct({
        resourceType: int8,
        resourceName: string,
        configs: array(struct({ name: string, value: field(string, { nullable: '0+' }) })),
      }),
    ),
    validateOnly: bool,
  }),
  response: struct({
    throttleTimeMs: int32,
    responses: array(
      struct({
        errorCode: int16,
        errorMessage: field(string, { nullable: '0+', default: null }),
        resourceType: int8,
        resourceName: string,
      }),
    ),
  }),
});
