import { describe, expect, it } from 'vitest';
import { expectedOn } from './differences.js';
import { call, type ErrorCode, expectError, type RegistryTarget } from './registryTarget.js';
import { fresh, schemas } from './schemaText.js';

// Soft and hard deletes of subjects and versions: Confluent's API reference ("DELETE
// /subjects/(string: subject)", "DELETE /subjects/(string: subject)/versions/(versionId: version)")
// and its schema deletion guidelines: a soft delete first, then a permanent one.

/** A subject of the test's own (level NONE) with `count` versions registered. */
async function subjectWith(target: RegistryTarget, count: number) {
  const subject = fresh('deletes');
  await call(target, 'PUT', `/config/${subject}`, { compatibility: 'NONE' });
  const { record } = schemas('deletes');
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await call(target, 'POST', `/subjects/${subject}/versions`, {
      schema: record([{ name: `f${i}`, type: 'string' }]),
    });
    expect(answer.status, answer.text).toBe(200);
    ids.push((answer.body as { id: number }).id);
  }
  return { subject, record, ids };
}

/** 40405, 40406 and 40407, which Apicurio answers with HTTP 409. */
const refusedDelete = (target: RegistryTarget, code: number) =>
  expectedOn<ErrorCode>(target, [code], { apicurio: ['deleteConflictStatus', [code, 409]] });

export function deletesConformance(target: RegistryTarget): void {
  describe('deleting subjects', () => {
    it('soft-deletes a subject: lookups miss it, its ids still resolve, re-registering continues the versions', async () => {
      const { subject, record, ids } = await subjectWith(target, 2);
      expect((await call(target, 'DELETE', `/subjects/${subject}`)).body).toEqual([1, 2]);
      expect((await call(target, 'GET', '/subjects')).body).not.toContain(subject);
      expect((await call(target, 'GET', '/subjects?deleted=true')).body).toContain(subject);
      expectError(await call(target, 'GET', `/subjects/${subject}/versions`), 40401);
      expect((await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2]);
      expect((await call(target, 'GET', `/subjects/${subject}/versions/1?deleted=true`)).body).toMatchObject(
        expectedOn<object>(
          target,
          { version: 1, id: ids[0] },
          {
            apicurio: ['deletedSubjectVersion', { error_code: 40401 }],
          },
        ),
      );
      const v1 = record([{ name: 'f0', type: 'string' }]);
      expectError(
        await call(target, 'POST', `/subjects/${subject}`, { schema: v1 }),
        ...expectedOn<ErrorCode>(target, [40401], { apicurio: ['lookupDeletedSubject', [40403]] }),
      );
      expect((await call(target, 'GET', `/schemas/ids/${ids[0]}`)).status).toBe(200);
      const again = await call(target, 'POST', `/subjects/${subject}/versions`, { schema: v1 });
      expect(again.body).toEqual({ id: ids[0] });
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([3]);
    });

    it('drops the subject level with the subject', async () => {
      const { subject } = await subjectWith(target, 1);
      await call(target, 'PUT', `/config/${subject}`, { compatibility: 'FULL' });
      await call(target, 'DELETE', `/subjects/${subject}`);
      const level = await call(target, 'GET', `/config/${subject}`);
      expect({ status: level.status, ...(level.body as object) }).toMatchObject(
        expectedOn<object>(
          target,
          { status: 404 },
          {
            apicurio: ['softDeleteKeepsLevel', { status: 200, compatibilityLevel: 'FULL' }],
          },
        ),
      );
    });

    it('40404 for a second soft delete, 40405 for a hard delete without a soft delete first', async () => {
      const { subject } = await subjectWith(target, 1);
      expectError(
        await call(target, 'DELETE', `/subjects/${subject}?permanent=true`),
        ...refusedDelete(target, 40405),
      );
      await call(target, 'DELETE', `/subjects/${subject}`);
      expectError(await call(target, 'DELETE', `/subjects/${subject}`), 40404);
    });

    it('hard-deletes a soft-deleted subject: its versions and unshared ids are gone', async () => {
      const { subject, ids } = await subjectWith(target, 2);
      await subjectWith(target, 1); // its ids are not the highest issued (see the next test)
      await call(target, 'DELETE', `/subjects/${subject}`);
      expect((await call(target, 'DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1, 2]);
      expect((await call(target, 'GET', '/subjects?deleted=true')).body).not.toContain(subject);
      expectError(await call(target, 'GET', `/schemas/ids/${ids[0]}`), 40403);
      expectError(await call(target, 'DELETE', `/subjects/${subject}`), 40401);
    });

    it('hard-deletes the subject holding the highest id issued', async () => {
      const { subject } = await subjectWith(target, 1);
      await call(target, 'DELETE', `/subjects/${subject}`);
      const hard = await call(target, 'DELETE', `/subjects/${subject}?permanent=true`);
      expect({ status: hard.status, body: hard.body }).toMatchObject(
        expectedOn<object>(
          target,
          { status: 200, body: [1] },
          {
            kes: ['highestIdKept', { status: 422, body: { error_code: 42205 } }],
          },
        ),
      );
    });

    it('40401 when deleting a subject that does not exist', async () => {
      expectError(await call(target, 'DELETE', `/subjects/${fresh('none')}`), 40401);
    });
  });

  describe('deleting versions', () => {
    it('soft-deletes versions, latest included: lists and latest skip them', async () => {
      const { subject, ids } = await subjectWith(target, 3);
      expect((await call(target, 'DELETE', `/subjects/${subject}/versions/2`)).body).toBe(2);
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 3]);
      expect((await call(target, 'DELETE', `/subjects/${subject}/versions/latest`)).body).toBe(3);
      expect((await call(target, 'GET', `/subjects/${subject}/versions/latest`)).body).toMatchObject({
        version: 1,
      });
      expect((await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([
        1, 2, 3,
      ]);
      expectError(await call(target, 'GET', `/subjects/${subject}/versions/2`), 40402);
      expect((await call(target, 'GET', `/subjects/${subject}/versions/2?deleted=true`)).body).toMatchObject({
        version: 2,
        id: ids[1],
      });
      expect((await call(target, 'GET', `/schemas/ids/${ids[1]}`)).status).toBe(200);
    });

    it('40406 for a second soft delete, 40407 for a hard delete of a live version', async () => {
      const { subject } = await subjectWith(target, 2);
      const hard = await call(target, 'DELETE', `/subjects/${subject}/versions/1?permanent=true`);
      expectError(hard, ...refusedDelete(target, 40407));
      await call(target, 'DELETE', `/subjects/${subject}/versions/1`);
      const again = await call(target, 'DELETE', `/subjects/${subject}/versions/1`);
      expectError(again, ...refusedDelete(target, 40406));
    });

    it('hard-deletes a soft-deleted version: gone even from the deleted list', async () => {
      const { subject } = await subjectWith(target, 3);
      await call(target, 'DELETE', `/subjects/${subject}/versions/2`);
      expect((await call(target, 'DELETE', `/subjects/${subject}/versions/2?permanent=true`)).body).toBe(2);
      expect((await call(target, 'GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 3]);
      expectError(await call(target, 'DELETE', `/subjects/${subject}/versions/2?permanent=true`), 40402);
    });

    it('40402 and 42202 for versions that are not there or cannot be', async () => {
      const { subject } = await subjectWith(target, 1);
      expectError(await call(target, 'DELETE', `/subjects/${subject}/versions/7`), 40402);
      expectError(
        await call(target, 'DELETE', `/subjects/${subject}/versions/abc`),
        ...expectedOn<ErrorCode>(target, [42202], { apicurio: ['invalidVersion', [40402]] }),
      );
    });
  });
}
