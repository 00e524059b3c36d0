import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';

/** What the registry answers with unless asked for another type, as Confluent's registry does. */
export const RESPONSE_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The types answers can be given in, with the server's preference (the `qs` of Confluent's
 * OpenAPI definitions): its own media types first, plain JSON last.
 */
const RESPONSE_TYPES = [
  { type: RESPONSE_TYPE, qs: 1 },
  { type: 'application/vnd.schemaregistry+json', qs: 0.9 },
  { type: 'application/json', qs: 0.5 },
] as const;

/**
 * The type of an answer, negotiated from the request's Accept header as JAX-RS does for
 * Confluent's registry ("The server also supports content negotiation", its API reference,
 * "Content Types"): the client's q-value first, the server's qs second; the most specific range
 * (`type/subtype`, `type/*`, `*\/*`) gives a type its q. Without Accept, or when nothing offered is
 * acceptable, the preferred type (Confluent would answer 406 to the latter; clients parse JSON anyway).
 */
export function responseType(accept: string | undefined): string {
  if (!accept) return RESPONSE_TYPE;
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { range, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
  const qOf = (type: string) => {
    const [major] = type.split('/');
    const match =
      ranges.find((r) => r.range === type) ??
      ranges.find((r) => r.range === `${major}/*`) ??
      ranges.find((r) => r.range === '*/*');
    return match?.q ?? 0;
  };
  const best = RESPONSE_TYPES.map(({ type, qs }) => ({ type, q: qOf(type), qs }))
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || b.qs - a.qs)[0];
  return best?.type ?? RESPONSE_TYPE;
}

/**
 * Request bodies the registry reads, all as JSON: Confluent's own media types (clients send
 * `application/vnd.schemaregistry.v1+json` on every request), plain JSON, and
 * `application/octet-stream`, Confluent's generic request type. No content type is read as JSON
 * too; anything else is 415.
 */
export const ACCEPTED_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];

export function registerContentTypes(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== '' && !ACCEPTED_TYPES.includes(type)) {
      done(errors.unsupportedMediaType(), undefined);
      return;
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(errors.badRequest((err as Error).message), undefined);
    }
  });
}
