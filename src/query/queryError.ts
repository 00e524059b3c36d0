import { CodedError } from '../errors/codedError.js';
import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * What a query can fail with. The HTTP API answers each with the API error of the same code (its
 * codes are codes of API_ERRORS: src/http/buildApi.ts checks it).
 */
export const QUERY_ERRORS = defineErrorCatalog('query errors', {
  INVALID_REQUEST: 'a cursor this API did not give, or a query on a view without an index',
  UNKNOWN_VIEW: 'no view has this name',
  UNKNOWN_DOMAIN: 'no domain has this name',
  UNKNOWN_SAGA: 'no saga has this name',
  NOT_FOUND:
    'the view has no row with this key, the aggregate has no events, or the saga no state for the key',
  POSITION_TIMEOUT: 'the view did not reach the position asked for within the wait',
  UNAVAILABLE: 'the instance owning the partition of the key cannot be reached',
});

export type QueryErrorCode = keyof typeof QUERY_ERRORS;

/** A query that cannot be answered: a bad cursor, an unknown view, a row that is not there, … */
export class QueryError extends CodedError<QueryErrorCode> {
  override readonly name = 'QueryError';
}
