import { CodedError } from '../errors/codedError.js';

/** What a query can fail with. The HTTP API answers each with the API error of the same code. */
export type QueryErrorCode =
  'INVALID_REQUEST' | 'UNKNOWN_VIEW' | 'UNKNOWN_DOMAIN' | 'NOT_FOUND' | 'POSITION_TIMEOUT' | 'UNAVAILABLE';

/** A query that cannot be answered: a bad cursor, an unknown view, a row that is not there, … */
export class QueryError extends CodedError<QueryErrorCode> {
  override readonly name = 'QueryError';
}
