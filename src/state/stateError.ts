import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * The catalog of state store errors. Every code is stable: callers (the processor runtime, tests)
 * match on `code`, never on the message.
 */
export const STATE_ERRORS = defineErrorCatalog('state errors', {
  /** The store, transaction or changelog reader was used after close(). */
  CLOSED: 'used after close',
  /** A key or range bound is not a string of well-formed UTF-16 (a lone surrogate has no UTF-8 form). */
  INVALID_KEY: 'key is not well-formed Unicode',
  /** A range limit that is not a non-negative integer. */
  INVALID_RANGE: 'invalid range options',
  /** A checkpoint that is not a non-negative bigint. */
  INVALID_CHECKPOINT: 'invalid checkpoint',
  /** A store name that is not usable as a directory name. */
  INVALID_STORE_NAME: 'invalid store name',
  /** The database on disk is not a store of a format version this code reads. */
  UNSUPPORTED_FORMAT: 'unsupported on-disk format',
  /** A value the codec cannot encode or decode. */
  INVALID_VALUE: 'value cannot be encoded or decoded',
  /** A write, commit or abort while a transaction's commit is still being applied. */
  COMMIT_IN_PROGRESS: 'commit in progress',
  /** A second read of a changelog partition that is already being read. */
  READ_IN_PROGRESS: 'changelog partition already being read',
  /** A changelog topic or partition that does not exist. */
  UNKNOWN_PARTITION: 'unknown changelog partition',
  /** A changelog record a store cannot apply (no key). */
  INVALID_CHANGELOG_RECORD: 'invalid changelog record',
  /** The changelog consumer stopped for good. */
  READER_FAILED: 'changelog reader failed',
});

export type StateErrorCode = keyof typeof STATE_ERRORS;

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${STATE_ERRORS[code]}: ${detail}` : STATE_ERRORS[code], options);
    this.name = 'StateError';
  }
}
