/**
 * The baseline of the queries bench: a Fastify server in its own process (as each `kes app` is)
 * with one route, GET /constant/{id}, answering the JSON object given as the first argument.
 * Prints `{"url": ...}` once it listens on a free port; stops on SIGTERM.
 */
import Fastify from 'fastify';

const body = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const api = Fastify({ logger: false });
api.get('/constant/:id', async () => body);
const url = await api.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url }));
