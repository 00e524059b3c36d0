import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';

/** What the registry answers with, as Confluent's registry does. */
export const RESPONSE_TYPE = 'application/vnd.schemaregistry.v1+json';

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
