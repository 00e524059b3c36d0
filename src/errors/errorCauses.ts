/** The fields kes reads from an error and from the causes it wraps. */
export interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  /** KafkaJS: the protocol error's name (NOT_LEADER_OR_FOLLOWER, …). */
  readonly type?: unknown;
  /** KafkaJS: whether the request may be sent again. */
  readonly retriable?: unknown;
  /** Node and LevelDB: ENOSPC, LEVEL_IO_ERROR, … */
  readonly code?: unknown;
  /** The registry client: the HTTP status. */
  readonly status?: unknown;
}

/**
 * An error and every cause it wraps, outermost first (KafkaJS wraps protocol errors in retry and
 * state errors; kes wraps decoding failures): what an error means is read from all of them.
 */
export function* errorCauses(err: unknown): Generator<ErrorLike & object> {
  let at: unknown = err;
  for (let depth = 0; at && typeof at === 'object' && depth < 10; depth++) {
    yield at as ErrorLike & object;
    at = (at as { cause?: unknown }).cause;
  }
}
