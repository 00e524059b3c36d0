import { createServer } from 'node:net';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { TransientError, transientCause } from './transientError.js';

/** Failures as the real clients report them, told apart: the ones that pass from poison. */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
});

/** A port nothing listens on, on any address. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const failure = (work: () => Promise<unknown>) =>
  work().then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );

describe('transientCause', () => {
  it('waits for a registry that does not answer, not for one that says an id is unknown', async () => {
    const down = new SchemaRegistry({ host: 'http://127.0.0.1:1', retry: { retries: 0 } });
    expect(transientCause(await failure(() => down.getSchema(1)))).toBe('the schema registry');
    // A host name with two addresses, both refused: an AggregateError without a message.
    const port = await closedPort();
    const dualStack = new SchemaRegistry({ host: `http://localhost:${port}`, retry: { retries: 0 } });
    const refused = await failure(() => dualStack.getSchema(1));
    expect(transientCause(refused), String(refused)).toBe('the schema registry');
    const up = new SchemaRegistry({ host: stack.registry.url, retry: { retries: 0 } });
    const unknown = await failure(() => up.getSchema(987_654));
    expect(String(unknown)).toMatch(/not found/i);
    expect(transientCause(unknown)).toBeUndefined();
  });

  it('waits for Kafka out of reach', async () => {
    const kafka = new Kafka({
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 10 },
    });
    const admin = kafka.admin();
    expect(transientCause(await failure(() => admin.connect()))).toBe('Kafka');
  });

  it("reads a processor's TransientError through the errors wrapping it, and nothing else as one", () => {
    const wrapped = new Error('decoding failed', {
      cause: new TransientError('no answer', 'the payment service'),
    });
    expect(transientCause(wrapped)).toBe('the payment service');
    expect(
      transientCause(
        Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }),
      ),
    ).toBe('the local store');
    expect(transientCause(new Error('cannot count poison'))).toBeUndefined();
    expect(transientCause(new TypeError('x is undefined'))).toBeUndefined();
  });
});
