import { describe, expect, it } from 'vitest';
import { expectedOn } from './differences.js';
import { call, REGISTRY_TYPE, type RegistryTarget } from './registryTarget.js';
import { fresh, schemas } from './schemaText.js';

// Content types: Confluent's API reference, "Content Types". Requests may carry any of four media
// types; answers are negotiated from Accept, the preferred type first.

export function httpConformance(target: RegistryTarget): void {
  describe('content types', () => {
    it.each([
      'application/vnd.schemaregistry.v1+json',
      'application/vnd.schemaregistry+json',
      'application/json',
      'application/octet-stream',
    ])('reads a body sent as %s', async (type) => {
      const { record } = schemas('types');
      const answer = await call(
        target,
        'POST',
        `/subjects/${fresh('types')}/versions`,
        { schema: record([{ name: 'a', type: 'string' }]) },
        { 'content-type': type, accept: REGISTRY_TYPE },
      );
      const octetStream = type === 'application/octet-stream';
      expect(answer.status, answer.text).toBe(
        expectedOn<number>(target, 200, octetStream ? { apicurio: ['octetStreamBody', 415] } : {}),
      );
    });

    it.each([
      [REGISTRY_TYPE, REGISTRY_TYPE],
      ['application/vnd.schemaregistry+json', 'application/vnd.schemaregistry+json'],
      ['application/json', 'application/json'],
      [`${REGISTRY_TYPE}; q=0.9, application/json; q=0.5`, REGISTRY_TYPE],
      ['application/json, application/vnd.schemaregistry+json; q=0.1', 'application/json'],
    ])('answers Accept: %s with %s', async (accept, type) => {
      const answer = await call(target, 'GET', '/subjects', undefined, { accept });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe(type);
    });

    it('answers the preferred type to a request without Accept (as the registry client sends them)', async () => {
      const answer = await call(target, 'GET', '/subjects', undefined, { 'content-type': REGISTRY_TYPE });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe(
        expectedOn(target, REGISTRY_TYPE, { apicurio: ['responseTypeWithoutAccept', 'application/json'] }),
      );
    });

    it('answers errors as JSON of the negotiated type', async () => {
      const answer = await call(target, 'GET', `/subjects/${fresh('none')}/versions`);
      expect(answer.status).toBe(404);
      expect(answer.contentType).toBe(
        expectedOn(target, REGISTRY_TYPE, { apicurio: ['errorType', 'application/json'] }),
      );
      expect(answer.body).toMatchObject({ error_code: 40401 });
    });
  });
}
