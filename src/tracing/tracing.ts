import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

let enabled = false;

/** Whether spans are recorded (tracing started); when not, kes adds no work and no headers. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** kes's tracer (a no-op until tracing is started). */
export function tracer(): Tracer {
  return trace.getTracer('kes');
}

export interface TracingHandle {
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
  /** Exports what is pending. */
  flush(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process: W3C trace context (`traceparent`) carried in
 * HTTP and Kafka record headers, spans exported to `exporter` (each as it ends; tests pass an
 * in-memory one) or else over OTLP/HTTP in batches, to OTEL_EXPORTER_OTLP_ENDPOINT.
 */
export function startTracing(options: { serviceName: string; exporter?: SpanExporter }): TracingHandle {
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter() });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      enabled = false;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Tracing as the environment asks: over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces one) is set. */
export function startTracingFromEnv(serviceName: string): TracingHandle | undefined {
  const env = process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  return startTracing({ serviceName: env.OTEL_SERVICE_NAME ?? serviceName });
}
