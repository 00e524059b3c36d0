import type { ProducerBatch, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isUnavailable } from './kafkaErrors.js';
import { BatchingSender, SendQueueFullError } from './batchingSender.js';

/** A target whose requests complete when the test says so, recording what each carried. */
function gatedTarget() {
  const requests: { batch: ProducerBatch; finish: (err?: Error) => void }[] = [];
  const waiters: (() => void)[] = [];
  return {
    requests,
    /** Resolves once `n` requests have been made. */
    async untilRequests(n: number) {
      while (requests.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
      return new Promise((resolve, reject) => {
        requests.push({ batch, finish: (err) => (err ? reject(err) : resolve([])) });
        for (const wake of waiters.splice(0)) wake();
      });
    },
  };
}

const values = (batch: ProducerBatch) =>
  batch.topicMessages!.flatMap((t) => t.messages.map((m) => `${t.topic}/${String(m.value)}`));

describe('BatchingSender', () => {
  it('sends a lone record at once, and the records that arrive meanwhile together in the next request', async () => {
    const target = gatedTarget();
    const sender = new BatchingSender(target);
    const first = sender.send('a', { key: 'k', value: '1' });
    await target.untilRequests(1);
    const more = [2, 3, 4].map((i) => sender.send(i % 2 ? 'b' : 'a', { key: 'k', value: String(i) }));
    expect(target.requests).toHaveLength(1); // the second request waits for the first
    target.requests[0]!.finish();
    await first;
    await target.untilRequests(2);
    expect(values(target.requests[1]!.batch)).toEqual(['a/2', 'a/4', 'b/3']);
    expect(target.requests[1]!.batch.acks).toBe(-1);
    target.requests[1]!.finish();
    await Promise.all(more);
  });

  it('fails every record of a failed request, and goes on with the next ones', async () => {
    const target = gatedTarget();
    const sender = new BatchingSender(target);
    const first = sender.send('a', { value: '1' });
    await target.untilRequests(1);
    const second = sender.send('a', { value: '2' });
    const third = sender.send('a', { value: '3' });
    target.requests[0]!.finish(new Error('broker gone'));
    await expect(first).rejects.toThrow('broker gone');
    await target.untilRequests(2);
    target.requests[1]!.finish(new Error('still gone'));
    await expect(second).rejects.toThrow('still gone');
    await expect(third).rejects.toThrow('still gone');
    const fourth = sender.send('a', { value: '4' });
    await target.untilRequests(3);
    target.requests[2]!.finish();
    await expect(fourth).resolves.toBeUndefined();
  });

  it('keeps each request within its record and byte limits, in order', async () => {
    const target = gatedTarget();
    const sender = new BatchingSender(target, { maxRecords: 3, maxBytes: 1600 });
    const blocker = sender.send('a', { value: '0' });
    await target.untilRequests(1);
    const big = 'x'.repeat(900);
    const sends = [1, 2, 3, 4, 5].map((i) => sender.send('a', { value: i === 4 ? big : String(i) }));
    const seen: string[][] = [];
    target.requests[0]!.finish();
    await blocker;
    for (let n = 2; seen.flat().length < 5; n++) {
      await target.untilRequests(n);
      seen.push(values(target.requests[n - 1]!.batch).map((v) => (v.length > 10 ? 'a/big' : v)));
      target.requests[n - 1]!.finish();
    }
    await Promise.all(sends);
    expect(seen).toEqual([['a/1', 'a/2', 'a/3'], ['a/big'], ['a/5']]);
  });

  it('fails the records waiting behind a request that found Kafka out of reach, instead of trying each again', async () => {
    const target = gatedTarget();
    const sender = new BatchingSender(target, { maxRecords: 1 });
    const first = sender.send('a', { value: '1' });
    await target.untilRequests(1);
    const waiting = [2, 3].map((i) => sender.send('a', { value: String(i) }));
    const unreachable = Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
      name: 'KafkaJSConnectionError',
    });
    target.requests[0]!.finish(unreachable);
    for (const sent of [first, ...waiting]) await expect(sent).rejects.toBe(unreachable);
    expect(target.requests).toHaveLength(1);
    const later = sender.send('a', { value: '4' });
    await target.untilRequests(2);
    target.requests[1]!.finish();
    await expect(later).resolves.toBeUndefined();
  });

  it('refuses records beyond its queue, as unavailable (503 over HTTP)', async () => {
    const target = gatedTarget();
    const sender = new BatchingSender(target, { maxQueued: 2 });
    const first = sender.send('a', { value: '1' }); // in flight: no longer queued
    await target.untilRequests(1);
    const queued = [sender.send('a', { value: '2' }), sender.send('a', { value: '3' })];
    const refused = sender.send('a', { value: '4' });
    await expect(refused).rejects.toBeInstanceOf(SendQueueFullError);
    expect(isUnavailable(await refused.catch((err: unknown) => err))).toBe(true);
    target.requests[0]!.finish();
    await first;
    await target.untilRequests(2);
    target.requests[1]!.finish();
    await Promise.all(queued);
  });
});
