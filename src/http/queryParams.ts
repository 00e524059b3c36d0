import { aggregateIdProblem } from '../commands/idRules.js';
import { parsePosition, type SourcePosition } from '../views/sourcePosition.js';
import { ApiError } from './apiErrors.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/** The `after` token of a query, parsed; INVALID_POSITION when malformed. */
export function afterParam(value: unknown): SourcePosition | undefined {
  if (value === undefined) return undefined;
  const position = typeof value === 'string' ? parsePosition(value) : undefined;
  if (!position) {
    throw new ApiError('INVALID_POSITION', 'after must be a position, <topic>:<partition>:<offset>', {
      field: 'after',
    });
  }
  return position;
}

export function limitParam(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE;
  const limit = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || limit < 1 || limit > MAX_PAGE) {
    throw new ApiError('INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_PAGE}`, {
      field: 'limit',
    });
  }
  return limit;
}

/**
 * An id from a path or a query (an aggregate id, an index value), which becomes part of a store
 * key: INVALID_ID naming `field` unless it keeps the aggregate id rules (idRules.ts).
 */
export function idParam(value: string, field: string): string {
  const problem = aggregateIdProblem(value);
  if (problem) throw new ApiError('INVALID_ID', `${field}: ${problem}`, { field });
  return value;
}

/** `at`: a version (an integer) or an ISO 8601 time. */
export function atParam(value: unknown): { version: number } | { time: number } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return { version: Number(value) };
  const time = typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    throw new ApiError('INVALID_REQUEST', 'at must be a version (e.g. 3) or an ISO 8601 time', {
      field: 'at',
    });
  }
  return { time };
}

const queryString = (description: string) => ({ type: 'string', description });

/** Query string schemas for the docs (the handlers check the values themselves). */
export const QUERY_DOCS = {
  after: queryString('Wait until the view reflects this position (a command result’s `position`)'),
  limit: { type: 'string', description: `Page size, 1–${MAX_PAGE} (default ${DEFAULT_PAGE})` },
  cursor: queryString('The `next` of the previous page'),
  at: queryString('A version (e.g. 3) or an ISO 8601 time'),
};
