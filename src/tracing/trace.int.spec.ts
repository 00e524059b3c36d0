import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/support/embeddedStack.js';
import { tempDir } from '../../test/support/tempDir.js';
import { type AppHandle, startApp } from '../app/startApp.js';
import { startTracing, type TracingHandle } from './tracing.js';
import { application } from '../../topology/application.js';

/**
 * One command over HTTP is one trace: the HTTP server span, the command handler's span (its
 * parent: the command record carries the trace context), and the spans of the processors that
 * read its event — the products view among them — each a child of the span that wrote its input.
 */
const exporter = new InMemorySpanExporter();
let tracing: TracingHandle;
let stack: TestStack;
let app: AppHandle;
const data = tempDir('kes-trace-');

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'kes-test', exporter });
  stack = await startTestStack();
  app = await startApp({
    application,
    brokers: [stack.broker.broker.bootstrap],
    registryUrl: stack.registry.url,
    dataDir: data.path,
    instanceId: 'trace-test',
    processors: ['stock-commands', 'products-view', 'event-history'],
    http: { port: 0 },
    logger: pino({ level: 'silent' }),
  });
  await app.streams.whenReady();
}, 120_000);

afterAll(async () => {
  await app.close();
  await stack.stop();
  await tracing.shutdown();
  data.remove();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing', () => {
  it('connects the HTTP command, the command handler, and the view update in one trace', async () => {
    const response = await fetch(`${app.url}/commands/AddProduct`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // The caller's own trace: everything joins it.
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      body: JSON.stringify({ productId: 'traced', name: 'Traced', initialStock: 1 }),
    });
    expect(response.status).toBe(200);
    const { position } = (await response.json()) as { position: string };
    expect((await fetch(`${app.url}/views/products/traced?after=${position}`)).status).toBe(200);

    const named = (name: string) =>
      exporter
        .getFinishedSpans()
        .find((s) => s.name === name && s.spanContext().traceId === '0af7651916cd43dd8448eb211c80319c');
    await expect
      .poll(() => named('products-view process') && named('event-history process'), { timeout: 10_000 })
      .toBeTruthy();
    const http = named('POST /commands/AddProduct')!;
    const handler = named('stock-commands process')!;
    const view = named('products-view process')!;
    const history = named('event-history process')!;
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(parentOf(http)).toBe('b7ad6b7169203331');
    expect(handler.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(handler)).toBe(http.spanContext().spanId);
    expect(handler.attributes['messaging.destination.name']).toBe('stock.commands');
    expect(parentOf(view)).toBe(handler.spanContext().spanId);
    expect(view.attributes['messaging.destination.name']).toBe('stock.events');
    expect(parentOf(history)).toBe(handler.spanContext().spanId);
    // A query is traced too, in a trace of its own.
    const query = exporter.getFinishedSpans().find((s) => s.name === 'GET /views/:view/:key');
    expect(query?.kind).toBe(SpanKind.SERVER);
  });
});
