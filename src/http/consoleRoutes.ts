import * as fs from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Where the console's built assets are: `dist/console` beside the sources (`src/http` run by tsx)
 * or beside the compiled runtime (`dist/src/http` in the package).
 */
export function consoleDirectory(): string | undefined {
  const candidates = [
    path.resolve(import.meta.dirname, '../../dist/console'),
    path.resolve(import.meta.dirname, '../../console'),
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}

/**
 * The console (a single-page application, src/console/web) at `/`, its assets under `/console/`.
 * They are open routes: the page holds no data; everything it shows comes from the API, which
 * asks it for a token where auth is on (admins only: the console reads /admin/*). Without built
 * assets (a checkout before `npm run build:console`), `/` says how to build them.
 */
export async function consoleRoutes(api: FastifyInstance, directory = consoleDirectory()): Promise<void> {
  const schema = { tags: ['console'], summary: 'The kes console (a web page)', hide: true };
  if (directory === undefined) {
    api.get('/', { schema }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build:console` (the package ships it built).\n'),
    );
    return;
  }
  await api.register(fastifyStatic, {
    root: path.join(directory, 'console'),
    prefix: '/console/',
    index: false,
    wildcard: true,
    cacheControl: true,
    maxAge: 0,
    schemaHide: true,
  });
  const index = fs.readFileSync(path.join(directory, 'index.html'));
  api.get('/', { schema }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index),
  );
}
