/** What a query can fail with. The HTTP API answers each with the API error of the same code. */
export type QueryErrorCode =
  'INVALID_REQUEST' | 'UNKNOWN_VIEW' | 'UNKNOWN_DOMAIN' | 'NOT_FOUND' | 'POSITION_TIMEOUT' | 'UNAVAILABLE';

/** A query that cannot be answered: a bad cursor, an unknown view, a row that is not there, … */
export class QueryError extends Error {
  override readonly name = 'QueryError';

  constructor(
    readonly code: QueryErrorCode,
    message: string,
    /** Named in the answer: the field, the view, the key, … */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
