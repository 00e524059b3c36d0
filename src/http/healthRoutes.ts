import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './apiContext.js';

/** Liveness, readiness (every task restored, the result reader running) and Prometheus metrics. */
export function healthRoutes(api: FastifyInstance, context: ApiContext): void {
  api.get('/health/live', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({
    status: 'UP',
  }));
  api.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'Ready: every store of this instance is restored (else 503)' } },
    async (_request, reply) => {
      const streams = context.running?.streams;
      const runners = streams?.runners ?? [];
      const ready = !context.draining && (streams?.isReady() ?? false);
      return reply.code(ready ? 200 : 503).send({
        status: context.draining ? 'DRAINING' : ready ? 'READY' : 'STARTING',
        processors: Object.fromEntries(
          runners.map((r) => [r.name, { ready: r.ready, partitions: r.assignedPartitions }]),
        ),
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
