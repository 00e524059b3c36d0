import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTestApp } from '../../test/support/apiTestApp.js';

/**
 * The console's live tail on the embedded stack, over real HTTP as the browser reads it (fetch
 * and a stream reader): records produced after connecting arrive as server-sent events, decoded,
 * and the consumer's group is gone once the client has disconnected.
 */
const api = new ApiTestApp('live-test');
beforeAll(() => api.start({ processors: ['stock-commands'] }), 120_000);
afterAll(() => api.stop());

interface Tail {
  /** Resolves with the next event or comment block (the text between blank lines). */
  next(): Promise<string>;
  close(): void;
}

async function openTail(path: string): Promise<{ status: number; type: string | null; tail: Tail }> {
  const controller = new AbortController();
  const response = await fetch(api.app.url + path, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const tail: Tail = {
    async next() {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          return block;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffered += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
  return { status: response.status, type: response.headers.get('content-type'), tail };
}

/** The next `event: record`'s data, skipping comments. */
async function nextRecord(tail: Tail): Promise<Record<string, unknown>> {
  for (;;) {
    const block = await tail.next();
    if (block.startsWith(':')) continue;
    const [event, data] = block.split('\n');
    expect(event).toBe('event: record');
    return JSON.parse(data!.replace(/^data: /, '')) as Record<string, unknown>;
  }
}

async function tailGroups(): Promise<string[]> {
  const admin = api.app.kafka.admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('kes-tail-'));
  } finally {
    await admin.disconnect();
  }
}

describe('live tail', () => {
  it('streams a record produced after connecting, decoded, and leaves no group once the client goes', async () => {
    await api.addProduct('before-tail');
    const { status, type, tail } = await openTail('/admin/topics/stock.events/tail?from=end');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    // The first comment comes once the tail's start is fixed.
    expect(await tail.next()).toMatch(/^: tail of stock\.events from its end/);
    await api.addProduct('tailed-apple', 7);
    const record = await nextRecord(tail);
    expect(record).toMatchObject({
      topic: 'stock.events',
      partition: expect.any(Number),
      offset: expect.any(String),
      timestamp: expect.any(String),
      key: 'tailed-apple',
      headers: expect.objectContaining({ ce_type: expect.stringContaining('ProductAdded') }),
      type: expect.stringMatching(/ProductAdded$/),
      value: expect.objectContaining({ productId: 'tailed-apple', initialStock: 7 }),
    });
    expect(await tailGroups()).toHaveLength(1);
    tail.close();
    await expect.poll(tailGroups, { timeout: 30_000 }).toEqual([]);
  });

  it('starts from the beginning when asked', async () => {
    await api.addProduct('early-apple');
    const { tail } = await openTail('/admin/topics/stock.events/tail?from=beginning');
    try {
      const keys: unknown[] = [];
      while (!keys.includes('early-apple')) keys.push((await nextRecord(tail)).key);
    } finally {
      tail.close();
    }
    await expect.poll(tailGroups, { timeout: 30_000 }).toEqual([]);
  });

  it('refuses a topic not in the topology, and an unknown start', async () => {
    expect(await api.get('/admin/topics/no.such.topic/tail')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_TOPIC' },
    });
    expect(await api.get('/admin/topics/stock.events/tail?from=middle')).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', field: 'from' },
    });
  });

  // Last: it stops the instance.
  it('ends the streams still open when the instance stops, so they do not hold up its stop', async () => {
    const { tail } = await openTail('/admin/topics/stock.events/tail');
    expect(await tail.next()).toMatch(/^: tail of/);
    await api.app.close();
    await expect(nextRecord(tail)).rejects.toThrow(/the stream ended/);
    expect(await tailGroups()).toEqual([]);
  });
});
