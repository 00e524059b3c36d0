import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import type { KesRecord, OutputRecord } from '../processor/kesRecord.js';
import { tracer, tracingEnabled } from './tracing.js';

/**
 * Runs the processing of one record in a span whose parent is the trace context the record
 * carries (its `traceparent` header), so a command's trace continues through every processor its
 * records reach. Without tracing it only runs `work`.
 */
export function withRecordSpan<T>(processor: string, record: KesRecord, work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  const parent = propagation.extract(ROOT_CONTEXT, record.headers);
  return tracer().startActiveSpan(
    `${processor} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': record.topic,
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': Number(record.offset),
        ...(record.key !== null ? { 'messaging.kafka.message.key': record.key } : {}),
        ...(record.headers.ce_type ? { 'cloudevents.event_type': record.headers.ce_type } : {}),
        'kes.processor': processor,
      },
    },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (err) {
        failed(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** The record with the current trace context in its headers (unchanged without tracing). */
export function withTraceHeaders(record: OutputRecord): OutputRecord {
  if (!tracingEnabled() || !trace.getSpan(context.active())) return record;
  const headers: Record<string, string> = { ...record.headers };
  propagation.inject(context.active(), headers);
  return { ...record, headers };
}

/** Headers carrying a span's context (e.g. of an HTTP request) into a record. */
export function traceHeadersOf(span: Span | undefined): Record<string, string> {
  if (!tracingEnabled() || !span) return {};
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
  return headers;
}

export function failed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR });
}
