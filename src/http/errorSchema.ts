import { API_ERRORS } from './apiErrors.js';

const errorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: Object.keys(API_ERRORS) },
    message: { type: 'string' },
  },
  additionalProperties: true,
};

/** OpenAPI responses for error statuses: the error body, and which codes each status carries. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        ...errorBody,
        description: Object.entries(API_ERRORS)
          .filter(([, e]) => e.status === status)
          .map(([code]) => code)
          .join(', '),
      },
    ]),
  );
}
