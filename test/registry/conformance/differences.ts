import type { RegistryTarget, TargetName } from './registryTarget.js';

/**
 * Where the registries answered differently, and what Confluent's documentation says. The
 * conformance suite asserts Confluent's documented behaviour on every target; a target that
 * deviates is named in the test with `expectedOn(target, confluent, { apicurio: [id, answer] })`,
 * so its own answer is asserted (and the test fails the day it changes). docs/registry-vs-apicurio.md
 * renders this catalog (npm run docs:registry-differences).
 */
export interface Difference {
  /** The request concerned. */
  readonly endpoint: string;
  /** What Confluent's documentation says, and where. */
  readonly confluent: string;
  /** What kes's registry answers (before the fix, where it was ours that differed). */
  readonly kes: string;
  readonly apicurio: string;
  /** Fixed in kes, or kept and recorded as Apicurio's deviation. */
  readonly outcome: string;
}

const API = 'Confluent Platform, Schema Registry API Reference';

export const DIFFERENCES = {
  defaultGlobalLevel: {
    endpoint: 'GET /config on a fresh registry',
    confluent: `BACKWARD is the default level (${API}, "Compatibility")`,
    kes: '`{"compatibilityLevel":"BACKWARD"}`',
    apicurio: '`{"compatibilityLevel":"NONE"}`: no global rule is configured, so nothing is checked',
    outcome: 'Apicurio deviates; kes kept',
  },
  subjectLevelFallsBack: {
    endpoint: 'GET /config/{subject} of a subject without a level of its own',
    confluent:
      `404: the global level is returned only with \`defaultToGlobal=true\` (${API}, "GET /config/(string: subject)"); ` +
      "the code is 40408 in Confluent's registry",
    kes: '404, error_code 40408',
    apicurio:
      '200 `{"compatibilityLevel":"NONE"}`, whatever the global level (with `defaultToGlobal=true`, the global level)',
    outcome:
      "Apicurio deviates; kes kept. @kafkajs/confluent-schema-registry's register() throws when this answers a level " +
      'other than its `compatibility` option',
  },
  configOfMissingSubject: {
    endpoint: 'GET /config/{subject}?defaultToGlobal=true of a subject that does not exist',
    confluent: `the global level: \`defaultToGlobal\` is "Whether to return the global compatibility level if subject compatibility level not found" (${API})`,
    kes: 'the global level',
    apicurio: '404, error_code 40401',
    outcome: 'Apicurio deviates; kes kept',
  },
  levelCase: {
    endpoint: 'PUT /config/{subject} with `{"compatibility": "full"}`',
    confluent:
      "not documented: the reference lists the levels in capitals; Confluent's registry upper-cases what it is " +
      'given (`CompatibilityLevel.forName`)',
    kes: '`{"compatibility":"FULL"}`',
    apicurio: '422, error_code 42203',
    outcome: "not decided by the documentation; kes follows Confluent's registry",
  },
  invalidVersion: {
    endpoint: 'GET /subjects/{subject}/versions/0, DELETE /subjects/{subject}/versions/abc',
    confluent: `422, error_code 42202: a version is an integer in [1, 2^31-1], "latest" or -1 (${API})`,
    kes: '422, error_code 42202',
    apicurio: '404, error_code 40402',
    outcome: 'Apicurio deviates; kes kept',
  },
  deleteConflictStatus: {
    endpoint:
      'DELETE /subjects/{subject}?permanent=true and DELETE /subjects/{subject}/versions/{v}[?permanent=true] ' +
      'refused: not soft-deleted first (40405, 40407), or soft-deleted already (40406)',
    confluent: `HTTP 404: the reference lists the 404xx codes under status 404 (${API})`,
    kes: '404',
    apicurio: '409, with the same error_code',
    outcome: 'Apicurio deviates (status only); kes kept',
  },
  verboseMessages: {
    endpoint: 'POST /compatibility/subjects/{subject}/versions/{v}?verbose=true',
    confluent: `\`{"is_compatible": false, "messages": [...]}\`: verbose adds the reasons (${API})`,
    kes: 'the reasons in `messages`',
    apicurio: '`{"is_compatible": false}` only',
    outcome: 'Apicurio deviates; kes kept',
  },
  compatibilityMissingSubject: {
    endpoint: 'POST /compatibility/subjects/{subject}/versions/1 of a subject that does not exist',
    confluent: `404, error_code 40401 (subject not found) (${API})`,
    kes: '404, error_code 40401',
    apicurio: '404, error_code 40402 (version not found)',
    outcome: 'Apicurio deviates; kes kept',
  },
  emptySchema: {
    endpoint: 'POST /subjects/{subject}/versions with `{}`',
    confluent: `422, error_code 42201 (invalid schema); the "Errors" section's own example is a 422 "schema may not be empty" (${API})`,
    kes: '422, error_code 42201',
    apicurio: "500, error_code 0 (a NullPointerException's message)",
    outcome: 'Apicurio deviates; kes kept',
  },
  responseTypeWithoutAccept: {
    endpoint: 'Any request without an Accept header (as @kafkajs/confluent-schema-registry sends them)',
    confluent:
      `\`application/vnd.schemaregistry.v1+json\`, the preferred type (${API}, "Content Types"; the OpenAPI ` +
      'definitions rank it first, `application/vnd.schemaregistry+json` at qs=0.9, `application/json` at qs=0.5)',
    kes: '`application/vnd.schemaregistry.v1+json`',
    apicurio: '`application/json`',
    outcome: 'Apicurio deviates; kes kept (clients parse either)',
  },
  acceptNegotiation: {
    endpoint: 'Any request with `Accept: application/json` or `application/vnd.schemaregistry+json`',
    confluent: `the type asked for: "The server also supports content negotiation" (${API}, "Content Types")`,
    kes: '`application/vnd.schemaregistry.v1+json` whatever was asked',
    apicurio: 'the type asked for',
    outcome: "fixed in kes: the answer's type is negotiated from Accept",
  },
  octetStreamBody: {
    endpoint: 'POST /subjects/{subject}/versions with `Content-Type: application/octet-stream`',
    confluent: `read as JSON: "application/json, and application/octet-stream ... are only supported for compatibility and ease of use" (${API}, "Content Types")`,
    kes: 'read as JSON',
    apicurio: '415 Unsupported Media Type',
    outcome: 'Apicurio deviates; kes kept',
  },
  errorType: {
    endpoint: 'Any error, asked for with `Accept: application/vnd.schemaregistry.v1+json`',
    confluent: `\`application/vnd.schemaregistry.v1+json\` (${API}, "Errors": its example answer has that type)`,
    kes: '`application/vnd.schemaregistry.v1+json`',
    apicurio: '`application/json`',
    outcome: 'Apicurio deviates; kes kept',
  },
  deletedSubjectVersion: {
    endpoint: 'GET /subjects/{subject}/versions/{v}?deleted=true of a soft-deleted subject',
    confluent: `the version: \`deleted=true\` includes soft-deleted schemas (${API}, "GET /subjects/(string: subject)/versions/(versionId: version)")`,
    kes: 'the version',
    apicurio: '404, error_code 40401',
    outcome: 'Apicurio deviates; kes kept',
  },
  lookupDeletedSubject: {
    endpoint: 'POST /subjects/{subject} (lookup) of a soft-deleted subject',
    confluent:
      `404, error_code 40401 "subject not found" (${API}), as GET /subjects/{subject}/versions of that subject ` +
      'answers on both registries',
    kes: '404, error_code 40401',
    apicurio: '404, error_code 40403 (schema not found)',
    outcome: 'Apicurio deviates; kes kept',
  },
  softDeleteKeepsLevel: {
    endpoint: 'DELETE /subjects/{subject}, then GET /config/{subject}',
    confluent: `the delete removes "the specified subject and its associated compatibility level if registered" (${API})`,
    kes: '404: the level went with the subject',
    apicurio: "the subject's level is still there (200 with it)",
    outcome: 'Apicurio deviates; kes kept',
  },
  references: {
    endpoint:
      'POST /subjects/{subject}/versions with `references`, GET /subjects/{subject}/versions/{v}/referencedby',
    confluent: `supported: \`references\` name other subjects' versions (${API}, "POST /subjects/(string: subject)/versions")`,
    kes: '422, error_code 42201: references are not supported',
    apicurio: 'supported',
    outcome:
      'kes deviates: references are not implemented (docs/registry.md, "Not supported"); kes\'s schemas are self-contained',
  },
  highestIdKept: {
    endpoint: 'DELETE /subjects/{subject}?permanent=true when the subject holds the highest schema id issued',
    confluent: `the versions deleted; nothing is said of ids being issued again (${API}; schema deletion guidelines)`,
    kes: '422, error_code 42205: refused',
    apicurio: 'the versions deleted',
    outcome:
      'kes deviates on purpose: its ids are rebuilt from `_schemas` at start, and a hard-deleted highest id would be ' +
      'issued again to another schema, which clients that cache ids forever would decode wrongly',
  },
} as const satisfies Record<string, Difference>;

export type DifferenceId = keyof typeof DIFFERENCES;

/**
 * What a test expects of `target`: Confluent's documented answer, unless the target has a
 * recorded difference for it, whose own answer is expected instead.
 */
export function expectedOn<T>(
  target: RegistryTarget,
  confluent: T,
  deviations: Partial<Record<TargetName, readonly [DifferenceId, T]>> = {},
): T {
  const deviation = deviations[target.name];
  return deviation === undefined ? confluent : deviation[1];
}
