import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTestApp } from '../../test/support/apiTestApp.js';
import { readTopic } from '../../test/support/readTopic.js';
import { CloudEventHeaders } from '../commands/cloudEvents.js';

/**
 * A command Kafka cannot take — its produce requests are lost with the connection after the
 * broker wrote them, as when a broker dies before it answers — is answered 503 UNAVAILABLE with
 * Retry-After (the client retries), never 500; the next command is written (not dropped as a
 * duplicate of the lost request), and the first, sent again with the same Idempotency-Key, gets its
 * result, its events appended once.
 */
const PRODUCE = 0;
const api = new ApiTestApp('unavailable-test');
// Few retries, so that the instance's producer gives up within a second.
beforeAll(
  () => api.start({ kafka: { retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } } }),
  120_000,
);
afterAll(() => api.stop());

describe('a command while Kafka cannot take it', () => {
  it('is answered 503 UNAVAILABLE with Retry-After, and applied once when sent again', async () => {
    const faults = api.broker.broker.faults;
    faults.add({
      apiKey: PRODUCE,
      action: 'close-after',
      times: 1000,
      match: (request) =>
        (request as { topicData: { name: string }[] }).topicData.some((t) => t.name === 'stock.commands'),
    });
    const add = { productId: 'flaky-apple', name: 'Flaky apple', initialStock: 3 };
    const key = { 'idempotency-key': 'flaky-1' };
    const refused = await api.client.call('/commands/AddProduct', {
      method: 'POST',
      body: add,
      headers: key,
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'UNAVAILABLE' });
    const headers = await fetch(`${api.app.url}/commands/AddProduct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...key },
      body: JSON.stringify(add),
    });
    expect(headers.status).toBe(503);
    expect(headers.headers.get('retry-after')).toBe('1');

    faults.clear();
    // Another command next: written, not taken for a repeat of the failed one (KafkaJS would have
    // sent it with the failed batch's sequence number, which the broker had written).
    const other = { productId: 'other-apple', name: 'Other apple', initialStock: 1 };
    expect(await api.client.call('/commands/AddProduct', { method: 'POST', body: other })).toMatchObject({
      status: 200,
      body: { aggregateId: 'other-apple', version: 1 },
    });
    const accepted = await api.client.call('/commands/AddProduct', {
      method: 'POST',
      body: add,
      headers: key,
    });
    expect(accepted).toMatchObject({ status: 200, body: { commandId: 'flaky-1', version: 1 } });
    const events = (await readTopic(api.app.kafka, 'stock.events')).filter(
      ({ message }) => message.headers?.[CloudEventHeaders.causationId]?.toString() === 'flaky-1',
    );
    expect(events).toHaveLength(1);
  });
});
