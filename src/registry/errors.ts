import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * The registry's error catalog: every error it answers with, by Confluent error code. The HTTP
 * status is the code's first three digits; plain HTTP errors (400, 404, 409, 415, 500) carry the
 * status itself as their code, as in Confluent's registry. The body is
 * `{"error_code": code, "message": message}`, and messages use Confluent's wording (clients match
 * on them, missing spaces included).
 */
export const REGISTRY_ERRORS = defineErrorCatalog(
  'registry errors',
  {
    /** A malformed JSON body. */
    400: { status: 400, description: 'malformed request body' },
    /** No route for the method and path. */
    404: { status: 404, description: 'no such endpoint' },
    /** The subject has no versions (or no live versions, where deleted ones do not count). */
    40401: { status: 404, description: 'subject not found' },
    /** The subject exists but not the version. */
    40402: { status: 404, description: 'version not found' },
    /** No schema with that id, or the schema is not registered under the subject. */
    40403: { status: 404, description: 'schema not found' },
    /** A soft delete of a subject whose versions are all soft-deleted already. */
    40404: { status: 404, description: 'subject already soft-deleted' },
    /** A hard delete of a subject that still has live versions. */
    40405: { status: 404, description: 'subject not soft-deleted first' },
    /** A soft delete of a version that is soft-deleted already. */
    40406: { status: 404, description: 'version already soft-deleted' },
    /** A hard delete of a version that is still live. */
    40407: { status: 404, description: 'version not soft-deleted first' },
    /** GET /config/{subject} of a subject without a level of its own. */
    40408: { status: 404, description: 'subject has no compatibility level' },
    /** The schema is incompatible with earlier versions under the subject's level. */
    409: { status: 409, description: 'incompatible schema' },
    /** A request body with a content type the registry does not read. */
    415: { status: 415, description: 'unsupported media type' },
    /** The schema does not parse, or is of a type other than AVRO, or has references. */
    42201: { status: 422, description: 'invalid schema' },
    /** A version that is not an integer in [1, 2^31-1], `latest` or -1. */
    42202: { status: 422, description: 'invalid version' },
    /** An unknown compatibility level. */
    42203: { status: 422, description: 'invalid compatibility level' },
    /** A write this registry does not permit (ids in the body, read-only, reusing the highest id). */
    42205: { status: 422, description: 'operation not permitted' },
    /** The `_schemas` store failed (Kafka unreachable, write refused). */
    50001: { status: 500, description: 'store error' },
    /** A write was not read back from `_schemas` in time. */
    50002: { status: 500, description: 'operation timed out' },
    /** A bug: an error the registry did not expect. */
    500: { status: 500, description: 'internal error' },
  },
  { codes: 'numeric' },
);

export type RegistryErrorCode = keyof typeof REGISTRY_ERRORS;

/** An error answered to the client: its Confluent code, HTTP status and message. */
export class RegistryError extends Error {
  readonly status: number;

  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
    this.status = REGISTRY_ERRORS[code].status;
  }

  /** The body Confluent's registry answers with. */
  toBody(): { error_code: number; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

/** Constructors for every error, with Confluent's messages. */
export const errors = {
  badRequest: (detail: string) => new RegistryError(400, detail),
  notFound: () => new RegistryError(404, 'HTTP 404 Not Found'),
  subjectNotFound: (subject: string) => new RegistryError(40401, `Subject '${subject}' not found.`),
  versionNotFound: (version: number) => new RegistryError(40402, `Version ${version} not found.`),
  schemaIdNotFound: (id: number | string) => new RegistryError(40403, `Schema ${id} not found`),
  schemaNotFound: () => new RegistryError(40403, 'Schema not found'),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(
      40404,
      `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`,
    ),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(40405, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number | string) =>
    new RegistryError(
      40406,
      `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number | string) =>
    new RegistryError(
      40407,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  noSubjectCompatibility: (subject: string) =>
    new RegistryError(40408, `Subject '${subject}' does not have subject-level compatibility configured`),
  incompatible: (subject: string, details: string) =>
    new RegistryError(
      409,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ${details}`,
    ),
  unsupportedMediaType: () => new RegistryError(415, 'HTTP 415 Unsupported Media Type'),
  invalidSchema: (detail: string) => new RegistryError(42201, `Invalid schema: ${detail}`),
  invalidVersion: (version: string) =>
    new RegistryError(
      42202,
      `The specified version '${version}' is not a valid version id. ` +
        'Allowed values are between [1, 2^31-1] and the string "latest"',
    ),
  invalidCompatibility: () =>
    new RegistryError(
      42203,
      'Invalid compatibility level. Valid values are none, backward, forward, full, ' +
        'backward_transitive, forward_transitive, and full_transitive',
    ),
  notImportMode: (subject: string) => new RegistryError(42205, `Subject ${subject} is not in import mode`),
  readOnly: (subject: string | null) =>
    new RegistryError(
      42205,
      subject === null ? 'The registry is in read-only mode' : `Subject ${subject} is in read-only mode`,
    ),
  highestIdKept: (id: number) =>
    new RegistryError(
      42205,
      `Schema ${id} is the highest id issued and cannot be deleted permanently, ` +
        'or the id would be issued again after a restart; register another schema first',
    ),
  store: (operation: string) =>
    new RegistryError(50001, `${operation} operation failed while writing to the Kafka store`),
  timeout: (operation: string) => new RegistryError(50002, `${operation} operation timed out`),
  internal: () => new RegistryError(500, 'Internal Server Error'),
};
