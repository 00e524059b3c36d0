import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';

/**
 * Liveness, readiness and Prometheus metrics. Live: the process answers. Ready: start-up is over
 * (broker and registry reached, topics and schemas in place), every task restored and the result
 * reader running; until then 503 with what it is doing or waiting for. Tasks that wait for a
 * failure to pass (a registry or broker out of reach) are listed under `waiting`, with the reason,
 * but keep the instance ready: the dependency they wait for is shared by every instance, and
 * taking them all out of a load balancer would turn a blip into an outage of the queries too.
 */
export function healthRoutes(api: FastifyInstance, context: ApiContext): void {
  api.get('/health/live', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({
    status: 'UP',
  }));
  api.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Ready: started, every store of this instance restored (else 503, with the reason)',
      },
    },
    async (_request, reply) => {
      const streams = context.running?.streams;
      const runners = streams?.runners ?? [];
      const ready = !context.draining && (streams?.isReady() ?? false);
      const waiting = runners.flatMap((r) =>
        r.waiting().map((w) => ({
          processor: r.name,
          partition: w.partition,
          waitingFor: w.waitingFor,
          sinceMs: Date.now() - w.since,
          attempts: w.attempts,
          error: w.error,
        })),
      );
      const starting = context.starting;
      return reply.code(ready ? 200 : 503).send({
        status: context.draining ? 'DRAINING' : ready ? 'READY' : 'STARTING',
        ...(!ready && !context.draining && starting
          ? {
              step: starting.step,
              ...(starting.waitingFor !== undefined ? { waitingFor: starting.waitingFor } : {}),
              ...(starting.error !== undefined ? { error: starting.error } : {}),
            }
          : {}),
        processors: Object.fromEntries(
          runners.map((r) => [r.name, { ready: r.ready, partitions: r.assignedPartitions }]),
        ),
        ...(waiting.length > 0 ? { waiting } : {}),
      });
    },
  );
  api.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Prometheus metrics' } },
    async (_request, reply) =>
      reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics()),
  );
}
