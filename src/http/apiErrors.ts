import { CodedError } from '../errors/codedError.js';
import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * Every error the HTTP API answers with: a stable code, its HTTP status, and what it means. The
 * body of an error is `{ "code": ..., "message": ..., ...details }`. docs/api-errors.md is
 * generated from this catalog (`npm run docs:errors`, renderErrorCatalog.ts) and a test keeps
 * them equal.
 */
export const API_ERRORS = defineErrorCatalog('API errors', {
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  INVALID_PAYLOAD: {
    status: 400,
    description:
      "The command's fields do not match its schema: a missing field, a wrong type, or a field the command does not have. `field` names the first one.",
  },
  INVALID_ID: {
    status: 400,
    description:
      'An id breaks the id rules: an aggregate id — the command’s own, and the others it names or leads to (the decider’s `relatedIdsOf`: in the examples a transfer’s accounts, an order’s products, customer and invoice) — is 1–200 bytes of UTF-8, a command id 1–256, both of printable characters only (no control characters U+0000–U+001F and U+007F–U+009F, no unpaired surrogates). Also an aggregate id in a path or an index value in a query. `field` names where the id was.',
  },
  INVALID_REQUEST: {
    status: 400,
    description: 'A path parameter, query parameter or header is malformed; `field` names it.',
  },
  INVALID_POSITION: {
    status: 400,
    description: '`after` is not a position token (`<topic>:<partition>:<offset>`, as command results give).',
  },
  UNAUTHORIZED: {
    status: 401,
    description:
      'A bearer token is required (KES_JWT_SECRET is set) and none was sent, or it is malformed, not signed with the secret, expired, or its claims are not valid. The answer carries `WWW-Authenticate: Bearer`.',
  },
  FORBIDDEN: {
    status: 403,
    description:
      "The token's role may not do this: `/admin/*` needs `admin`; audit history and the internal routes `admin` or `service`; a customer calls only what the application's access rules allow (the example's: read products and their own orders, place and cancel orders for their own customer id).",
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Commands are sent as `application/json`.' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body exceeds the limit (KES_HTTP_BODY_LIMIT).',
  },
  UNKNOWN_COMMAND: {
    status: 404,
    description:
      'No public command has this type (internal commands of the saga and policies are not sent over HTTP).',
  },
  UNKNOWN_VIEW: { status: 404, description: 'No view has this name.' },
  UNKNOWN_DOMAIN: {
    status: 404,
    description:
      'No domain has this name (the OpenAPI document lists the domains as the values of `domain`).',
  },
  UNKNOWN_PROCESSOR: { status: 404, description: 'No processor of the topology has this name.' },
  UNKNOWN_TOPIC: { status: 404, description: 'No topic of the topology has this name.' },
  UNKNOWN_SAGA: { status: 404, description: 'No saga has this name (`GET /admin/sagas` lists them).' },
  NOT_FOUND: {
    status: 404,
    description:
      'The view has no row with this key, the aggregate has no events, the saga has no state for the key, or the schema registry has no such subject or version.',
  },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path.' },
  VERSION_CONFLICT: {
    status: 409,
    description: 'The aggregate is not at the version `If-Match` expects; `version` is its current version.',
  },
  REBUILD_IN_PROGRESS: { status: 409, description: 'The view is already being rebuilt.' },
  REPLAY_REFUSED: {
    status: 409,
    description:
      "The processor's dead letters cannot be replayed: another processor reads the topic they would go back to, and would see them twice; `reason` says which.",
  },
  COMMAND_REJECTED: {
    status: 422,
    description:
      'A business rule refused the command; nothing was appended. `rejection.code` names the rule (see the domain catalogs).',
  },
  COMMAND_FAILED: {
    status: 500,
    description:
      'The command could not be processed (it went to the dead-letter topic); nothing was appended. `rejection.code` names why, e.g. `HANDLER_EXCEPTION` (the command handler threw: its decider, or an event that did not encode or was too large) or `UNDECODABLE_COMMAND`.',
  },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected error; the log has the details.' },
  NOT_READY: {
    status: 503,
    description:
      'The instance is starting: it waits for Kafka or the schema registry, or restores its stores (`/health/ready` says which); retry after `Retry-After` seconds.',
  },
  UNAVAILABLE: {
    status: 503,
    description:
      'Something this request needs cannot be reached right now: the owner of the partition holding the key (a rebalance is under way), Kafka (a broker lost, a leader moving), or the schema registry. Nothing was done, or the command was written and a retry with the same Idempotency-Key gets its result; retry after `Retry-After` seconds.',
  },
  NOT_OWNER: {
    status: 503,
    description: 'Internal: this instance does not serve that partition (the caller retries elsewhere).',
  },
  POSITION_TIMEOUT: {
    status: 504,
    description: 'The view did not reach the `after` position within the wait (KES_QUERY_WAIT_MS).',
  },
});

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An error answered to the client: its code decides the status. */
export class ApiError extends CodedError<ApiErrorCode> {
  override readonly name = 'ApiError';

  get status(): number {
    return API_ERRORS[this.code].status;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}
