/** What asking for a view's generations or a rebuild can fail with (the HTTP API answers the same code). */
export type ViewErrorCode = 'UNKNOWN_VIEW' | 'REBUILD_IN_PROGRESS';

export class ViewError extends Error {
  override readonly name = 'ViewError';

  constructor(
    readonly code: ViewErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
