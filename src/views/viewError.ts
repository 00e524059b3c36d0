import { CodedError } from '../errors/codedError.js';

/** What asking for a view's generations or a rebuild can fail with (the HTTP API answers the same code). */
export type ViewErrorCode = 'UNKNOWN_VIEW' | 'REBUILD_IN_PROGRESS';

export class ViewError extends CodedError<ViewErrorCode> {
  override readonly name = 'ViewError';
}
