import { CodedError } from '../errors/codedError.js';
import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * What asking for a view's generations or a rebuild can fail with (the HTTP API answers the same
 * code: they are codes of API_ERRORS, as src/http/buildApi.ts checks).
 */
export const VIEW_ERRORS = defineErrorCatalog('view errors', {
  UNKNOWN_VIEW: 'no view has this name',
  REBUILD_IN_PROGRESS: 'the view is already being rebuilt',
});

export type ViewErrorCode = keyof typeof VIEW_ERRORS;

export class ViewError extends CodedError<ViewErrorCode> {
  override readonly name = 'ViewError';
}
