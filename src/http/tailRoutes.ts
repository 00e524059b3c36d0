import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';
import { tailGroupId, tailJson, tailRecord } from '../serde/tailRecord.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';
import { errorResponses } from './errorSchema.js';

/** How often an idle stream sends a comment, so that proxies and the browser keep it open. */
export const TAIL_KEEPALIVE_MS = 15_000;

/** How many tails an instance streams at once (each is a consumer of its own); more are 503. */
export const MAX_TAILS = 16;

/** How long a tail that ends while its consumer joins waits for the join before it leaves. */
const JOIN_WAIT_MS = 10_000;

type From = 'end' | 'beginning';

/**
 * The console's live tail: a topic's records as server-sent events (`event: record`, `data:` one
 * JSON line decoded as `kes tail` decodes it, tailRecord.ts), read by a consumer of its own per
 * client in a group of its own, which commits nothing and is left and deleted when the client goes.
 * `from=end` starts at the ends the topic had when the request came (measured, not left to the
 * consumer's reset, so a record produced once the stream has begun is always shown).
 */
export function tailRoutes(
  api: FastifyInstance,
  context: ApiContext,
  options: { keepaliveMs?: number } = {},
): void {
  const { kafka, serde, topics } = context.operations;
  const keepaliveMs = options.keepaliveMs ?? TAIL_KEEPALIVE_MS;
  // Streams never end by themselves: the server would wait for them on close. They end first.
  const open = new Set<() => Promise<void>>();
  api.addHook('preClose', async () => {
    await Promise.all([...open].map((end) => end()));
  });
  api.get(
    '/admin/topics/:topic/tail',
    {
      schema: {
        tags: ['admin'],
        summary:
          "A topic's records as they arrive, decoded, as server-sent events (text/event-stream; `event: record`, a `: keepalive` comment every 15 s)",
        params: { type: 'object', properties: { topic: { type: 'string' } } },
        querystring: {
          type: 'object',
          properties: { from: { type: 'string', enum: ['end', 'beginning'], description: 'Default end' } },
        },
        response: errorResponses(400, 404, 503),
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const { topic } = request.params as { topic: string };
      if (!topics.includes(topic)) throw new ApiError('UNKNOWN_TOPIC', `no topic named ${topic}`, { topic });
      const from = ((request.query as { from?: string }).from ?? 'end') as From;
      if (from !== 'end' && from !== 'beginning') {
        throw new ApiError('INVALID_REQUEST', 'from must be end or beginning', { field: 'from' });
      }
      if (open.size >= MAX_TAILS) {
        throw new ApiError('UNAVAILABLE', `${MAX_TAILS} tails are open on this instance; close one`);
      }
      const groupId = tailGroupId();
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
      // A consumer disconnected while run() starts it is restarted by KafkaJS and stays a member
      // until its session times out: a tail is left once its start is over, within JOIN_WAIT_MS.
      const start: { over?: Promise<void> } = {};
      // The client may go at any moment, before the stream has begun too: whatever was opened is
      // closed then. The tail counts against MAX_TAILS from here.
      let gone = false;
      const timers: { keepalive?: NodeJS.Timeout } = {};
      let stopping: Promise<void> | undefined;
      const stop = () =>
        (stopping ??= (async () => {
          gone = true;
          open.delete(end);
          clearInterval(timers.keepalive);
          if (start.over) {
            const waited = new AbortController();
            await Promise.race([
              start.over.catch(() => undefined),
              sleep(JOIN_WAIT_MS, undefined, { signal: waited.signal }).catch(() => undefined),
            ]);
            waited.abort();
          }
          await consumer.disconnect().catch(() => undefined);
          // It committed nothing; without members it would linger as an empty group.
          const admin = kafka.admin();
          await admin
            .connect()
            .then(() => admin.deleteGroups([groupId]))
            .catch((err: unknown) => request.log.debug({ err, groupId }, 'tail group not deleted'))
            .finally(() => admin.disconnect());
        })());
      const end = async () => {
        await stop();
        reply.raw.end();
      };
      open.add(end);
      reply.raw.on('close', () => void stop());

      let ends: Map<number, string> | undefined;
      try {
        ends = from === 'end' ? await endOffsets(kafka, topic) : undefined;
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: from === 'beginning' });
      } catch (err) {
        await stop();
        throw err;
      }
      if (gone || reply.raw.destroyed) {
        await stop();
        return reply.hijack();
      }
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write(`: tail of ${topic} from its ${from}\n\n`);
      timers.keepalive = setInterval(() => out.write(': keepalive\n\n'), keepaliveMs);
      // A consumer that gives up (KafkaJS does not restart it) ends the stream: the client reconnects.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        request.log.warn({ err: payload.error, topic }, 'tail consumer crashed');
        void stop().then(() => out.end());
      });
      start.over = (async () => {
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (gone) return;
            const record = await tailRecord(serde, topic, partition, message);
            // A client reading slower than the topic fills holds the consumer back, not the memory.
            if (!out.write(`event: record\ndata: ${tailJson(record)}\n\n`) && !gone) {
              const waited = new AbortController();
              await Promise.race([
                once(out, 'drain', { signal: waited.signal }),
                once(out, 'close', { signal: waited.signal }),
              ]).catch(() => undefined);
              waited.abort();
            }
          },
        });
        for (const [partition, offset] of ends ?? []) consumer.seek({ topic, partition, offset });
      })();
      try {
        await start.over;
      } catch (err) {
        request.log.warn({ err, topic }, 'tail failed');
        await stop();
        out.end();
      }
    },
  );
}

async function endOffsets(
  kafka: ApiContext['operations']['kafka'],
  topic: string,
): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await fetchTopicOffsets(admin, topic)).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}
