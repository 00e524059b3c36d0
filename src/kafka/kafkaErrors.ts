/**
 * What a KafkaJS error means for a task, read from the error and the causes it wraps (KafkaJS
 * wraps protocol errors in retry and state errors).
 */

import { errorCauses } from '../errors/errorCauses.js';

/** Kafka's answers to a producer whose transactional id a newer producer now holds. */
const FENCED = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/**
 * Thrown from a consumer's batch handler to stop the consumer: KafkaJS gives up on an error whose
 * `retriable` is false (instead of fetching the batch again), and leaves its group.
 */
export class TaskFencedError extends Error {
  readonly retriable = false;
  constructor(task: string) {
    super(`task ${task} was fenced: another instance owns its partition`);
    this.name = 'TaskFencedError';
  }
}

/**
 * The task's producer was fenced: another instance took the partition over (and with it the
 * transactional id). The task must be given up, not retried: its consumer position may be behind
 * what the new owner has committed since.
 */
export function isFenced(err: unknown): boolean {
  for (const cause of errorCauses(err)) {
    if (typeof cause.type === 'string' && FENCED.has(cause.type)) return true;
  }
  return false;
}

/** A broker answered with an error code that passes (KafkaJS marks it retriable). */
export function isPassingAnswer(err: unknown): boolean {
  for (const cause of errorCauses(err)) {
    const { name, retriable } = cause as { name?: unknown; retriable?: unknown };
    if (name === 'KafkaJSProtocolError' && retriable === true) return true;
  }
  return false;
}

/** The topic (or the partition) does not exist, as far as the broker asked knows. */
export function isUnknownTopic(err: unknown): boolean {
  for (const cause of errorCauses(err)) if (cause.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  return false;
}

/** KafkaJS's names for a cluster it could not reach or that did not answer in time. */
const UNREACHABLE = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  // kes's own: HTTP commands come faster than Kafka takes them (batchingSender.ts); a produce that
  // left partitions unanswered (idempotentSender.ts).
  'SendQueueFullError',
  'UnansweredProduceError',
]);

/**
 * The cluster was out of reach, or a broker answered with an error that passes (a leader moving,
 * a coordinator loading): a client may send the same request again shortly. Not a bug, and not
 * the request's fault.
 */
export function isUnavailable(err: unknown): boolean {
  if (isPassingAnswer(err)) return true;
  for (const cause of errorCauses(err)) {
    if (typeof cause.name !== 'string') continue;
    if (UNREACHABLE.has(cause.name)) return true;
    // Any other KafkaJS error that KafkaJS itself would send again.
    if (cause.name.startsWith('KafkaJS') && cause.retriable === true) return true;
  }
  return false;
}
