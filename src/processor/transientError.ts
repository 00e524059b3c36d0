import { errorCauses } from '../errors/errorCauses.js';
import { isUnavailable } from '../kafka/kafkaErrors.js';
import { isRegistryUnavailable } from '../serde/registryUnavailable.js';

/**
 * A failure that may pass, thrown by a processor (an external service it calls is down): the task
 * waits and processes the same record again, it is never dead-lettered. Kafka, registry and local
 * store failures are recognised without it (transientCause).
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';

  constructor(
    message: string,
    /** What the task waits for, as readiness and the log say it: "the payment service". */
    readonly waitingFor: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Operating system errors of a local disk that may pass (space freed, files closed). */
const PASSING_IO = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'EAGAIN', 'EFBIG', 'EBUSY']);

/**
 * What a failure waits for, if it may pass: "the schema registry", "Kafka", "the local store", or a
 * TransientError's own; undefined for a permanent failure (poison: bytes that cannot be decoded,
 * an unknown type, a decider that throws on this input). Reads the error and every cause it wraps.
 */
export function transientCause(err: unknown): string | undefined {
  if (isRegistryUnavailable(err)) return 'the schema registry';
  if (isUnavailable(err)) return 'Kafka';
  for (const cause of errorCauses(err)) {
    if (cause instanceof TransientError) return cause.waitingFor;
    const { code } = cause;
    if (code === 'LEVEL_IO_ERROR' || (typeof code === 'string' && PASSING_IO.has(code))) {
      return 'the local store';
    }
  }
  return undefined;
}
