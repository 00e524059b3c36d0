import { defineApi } from '../api.js';
import { array, bool, field, int16, int32, int8, string, struct } from '../schema.js';

/**
 * DescribeConfigs (32), v0-2. v0 carries is_default; v1 replaces it with config_source and adds
 * synonyms. v2 = v1 on the wire.
 */
export const DescribeConfigs = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 4,
  request: struct({
    resources: array(
      struct({
        resourceType: int8,
        resourceName: string,
        configurationKeys: field(array(string), { nullable: '0+' }),
      }),
    ),
    includeSynonyms: field(bool, { versions: '1+' }),
  }),
  response: struct({
    throttleTimeMs: int32,
    results: array(
      struct({
        errorCode: int16,
        errorMessage: field(string, { nullable: '0+', default: null }),
        resourceType: int8,
        resourceName: string,
        configs: array(
          struct({
            name: string,
            value: field(string, { nullable: '0+' }),
            readOnly: bool,
            isDefault: field(bool, { versions: '0' }),
            configSource: field(int8, { versions: '1+', default: -1 }),
            isSensitive: bool,
            synonyms: field(
              array(struct({ name: string, value: field(string, { nullable: '0+' }), source: int8 })),
              { versions: '1+' },
            ),
          }),
        ),
      }),
    ),
  }),
});
