import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tracer, tracingEnabled } from '../tracing/tracing.js';

const spans = new WeakMap<FastifyRequest, Span>();

/** The server span of a request (undefined without tracing). */
export function requestSpan(request: FastifyRequest): Span | undefined {
  return spans.get(request);
}

/**
 * A server span per HTTP request, continuing the caller's trace (`traceparent`); a command's span
 * is the parent of everything its record leads to. Health, metrics and docs are not traced.
 */
export function tracingHooks(api: FastifyInstance): void {
  api.addHook('onRequest', async (request) => {
    if (!tracingEnabled()) return;
    // The route pattern, never the raw path (span names stay few).
    const route = request.routeOptions.url ?? 'unmatched';
    if (route.startsWith('/health') || route.startsWith('/metrics') || route.startsWith('/docs')) return;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'url.path': request.url.split('?')[0]!,
        },
      },
      parent,
    );
    spans.set(request, span);
  });
  api.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  });
  api.addHook('onRequestAbort', async (request) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('kes.aborted', true);
    span.end();
    spans.delete(request);
  });
}
