import { describe, expect, it } from 'vitest';
import { isFenced, isUnavailable, TaskFencedError } from './kafkaErrors.js';

/** Errors shaped as KafkaJS makes them: a name, `retriable`, a protocol `type`, wrapped in `cause`. */
const error = (name: string, fields: Record<string, unknown> = {}, cause?: unknown) =>
  Object.assign(new Error(name), { name, ...fields, ...(cause ? { cause } : {}) });

describe('what a KafkaJS error means for a task or a request', () => {
  it('knows a fenced producer, however deeply KafkaJS wrapped it', () => {
    const epoch = error('KafkaJSProtocolError', { type: 'INVALID_PRODUCER_EPOCH', retriable: false });
    expect(isFenced(epoch)).toBe(true);
    expect(
      isFenced(error('KafkaJSNonRetriableError', {}, error('KafkaJSNumberOfRetriesExceeded', {}, epoch))),
    ).toBe(true);
    expect(isFenced(error('KafkaJSProtocolError', { type: 'PRODUCER_FENCED' }))).toBe(true);
    expect(isFenced(error('KafkaJSProtocolError', { type: 'NOT_COORDINATOR', retriable: true }))).toBe(false);
    expect(isFenced(new Error('no produce answer'))).toBe(false);
  });

  it('knows an unreachable or moving cluster from a bug or a refusal', () => {
    expect(isUnavailable(error('KafkaJSNumberOfRetriesExceeded', {}, error('KafkaJSConnectionError')))).toBe(
      true,
    );
    expect(isUnavailable(error('KafkaJSNonRetriableError', {}, error('KafkaJSConnectionClosedError')))).toBe(
      true,
    );
    expect(
      isUnavailable(error('KafkaJSProtocolError', { type: 'NOT_LEADER_OR_FOLLOWER', retriable: true })),
    ).toBe(true);
    expect(
      isUnavailable(error('KafkaJSProtocolError', { type: 'MESSAGE_TOO_LARGE', retriable: false })),
    ).toBe(false);
    expect(isUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });

  it('stops a consumer on purpose: KafkaJS does not retry an error that is not retriable', () => {
    const fenced = new TaskFencedError('accounts-commands-3');
    expect(fenced.retriable).toBe(false);
    expect(fenced.message).toContain('accounts-commands-3');
  });
});
