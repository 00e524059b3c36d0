import { describe, expect, it } from 'vitest';
import { expectedOn } from './differences.js';
import { call, type ErrorCode, expectError, type RegistryTarget } from './registryTarget.js';
import { fresh, schemas } from './schemaText.js';

// Compatibility levels, the /config resource and the /compatibility resource: Confluent's API
// reference, "Compatibility", "Config" and "Compatibility" (the resource). Tests set a level on
// their own subjects; the one that changes the global level puts it back.

type Level = 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FULL' | 'FULL_TRANSITIVE';

/** A subject of the test's own with `level` set on it, and the schemas of a test. */
async function subjectAt(target: RegistryTarget, level: Level) {
  const subject = fresh(level.toLowerCase());
  const set = await call(target, 'PUT', `/config/${subject}`, { compatibility: level });
  expect(set.status, set.text).toBe(200);
  const { record } = schemas(level.toLowerCase());
  const post = (schema: string) => call(target, 'POST', `/subjects/${subject}/versions`, { schema });
  return { subject, record, post };
}

export function compatibilityConformance(target: RegistryTarget): void {
  describe('compatibility levels', () => {
    it('BACKWARD checks the new schema reads data of the latest version only', async () => {
      const { record, post } = await subjectAt(target, 'BACKWARD');
      expect((await post(record([{ name: 'a', type: 'string' }]))).status).toBe(200);
      expect((await post(record([{ name: 'b', type: 'int', default: 0 }]))).status).toBe(200);
      // Would not read version 1's data (b missing); reads version 2's, the latest.
      const needsB = record([
        { name: 'b', type: 'int' },
        { name: 'c', type: 'int', default: 0 },
      ]);
      expect((await post(needsB)).status).toBe(200);
      const needsA = record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int' },
      ]);
      expectError(await post(needsA), 409);
    });

    it('BACKWARD_TRANSITIVE checks every version', async () => {
      const { record, post } = await subjectAt(target, 'BACKWARD_TRANSITIVE');
      await post(record([{ name: 'a', type: 'string' }]));
      await post(
        record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int', default: 0 },
        ]),
      );
      // Reads version 2's data, not version 1's (b missing, no default).
      expectError(
        await post(
          record([
            { name: 'a', type: 'string' },
            { name: 'b', type: 'int' },
          ]),
        ),
        409,
      );
      const v3 = record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int', default: 1 },
      ]);
      expect((await post(v3)).status).toBe(200);
    });

    it('FORWARD checks the latest version reads data of the new schema', async () => {
      const { record, post } = await subjectAt(target, 'FORWARD');
      await post(record([{ name: 'a', type: 'string' }]));
      // The old schema ignores a new field, but cannot do without a removed one that has no default.
      expect(
        (
          await post(
            record([
              { name: 'a', type: 'string' },
              { name: 'b', type: 'int' },
            ]),
          )
        ).status,
      ).toBe(200);
      expectError(await post(record([{ name: 'b', type: 'int' }])), 409);
    });

    it('FULL checks both ways; NONE checks nothing', async () => {
      const full = await subjectAt(target, 'FULL');
      await full.post(full.record([{ name: 'a', type: 'string' }]));
      expectError(
        await full.post(
          full.record([
            { name: 'a', type: 'string' },
            { name: 'b', type: 'int' },
          ]),
        ),
        409,
      );
      const withDefault = full.record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int', default: 0 },
      ]);
      expect((await full.post(withDefault)).status).toBe(200);
      const none = await subjectAt(target, 'NONE');
      await none.post(none.record([{ name: 'a', type: 'string' }]));
      expect((await none.post(none.record([{ name: 'a', type: 'long' }], 'Renamed'))).status).toBe(200);
    });

    it('a re-registration of a live version is not checked again', async () => {
      const { subject, record, post } = await subjectAt(target, 'NONE');
      const v1 = record([{ name: 'a', type: 'string' }]);
      const first = await post(v1);
      await post(record([{ name: 'a', type: 'int' }]));
      await call(target, 'PUT', `/config/${subject}`, { compatibility: 'FULL' });
      expect((await post(v1)).body).toEqual(first.body);
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    });
  });

  describe('testing compatibility without registering', () => {
    it('tests against the named version only, even under a transitive level', async () => {
      const { subject, record, post } = await subjectAt(target, 'BACKWARD_TRANSITIVE');
      await post(record([{ name: 'a', type: 'string' }]));
      await post(
        record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int', default: 0 },
        ]),
      );
      const needsB = record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int' },
      ]);
      const check = async (version: string) =>
        (
          await call(target, 'POST', `/compatibility/subjects/${subject}/versions${version}`, {
            schema: needsB,
          })
        ).body;
      expect(await check('/2')).toEqual({ is_compatible: true });
      expect(await check('/latest')).toEqual({ is_compatible: true });
      expect(await check('/1')).toEqual({ is_compatible: false });
      // Without a version: what registration would check, every version.
      expect(await check('')).toEqual({ is_compatible: false });
      expect((await call(target, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    });

    it('gives the reasons with verbose=true', async () => {
      const { subject, record, post } = await subjectAt(target, 'BACKWARD');
      await post(record([{ name: 'a', type: 'string' }]));
      const answer = await call(
        target,
        'POST',
        `/compatibility/subjects/${subject}/versions/1?verbose=true`,
        {
          schema: record([{ name: 'z', type: 'int' }]),
        },
      );
      expect(answer.body).toEqual(
        expectedOn<unknown>(
          target,
          { is_compatible: false, messages: expect.arrayContaining([expect.any(String)]) },
          { apicurio: ['verboseMessages', { is_compatible: false }] },
        ),
      );
    });

    it('calls latest of a missing subject compatible; a numbered version must exist', async () => {
      const { record } = schemas('check');
      const schema = record([{ name: 'a', type: 'string' }]);
      const missing = fresh('check-missing');
      const latest = await call(target, 'POST', `/compatibility/subjects/${missing}/versions/latest`, {
        schema,
      });
      expect(latest.body).toEqual({ is_compatible: true });
      expectError(
        await call(target, 'POST', `/compatibility/subjects/${missing}/versions/1`, { schema }),
        ...expectedOn<ErrorCode>(target, [40401], { apicurio: ['compatibilityMissingSubject', [40402]] }),
      );
      const { subject, post } = await subjectAt(target, 'BACKWARD');
      await post(schema);
      expectError(
        await call(target, 'POST', `/compatibility/subjects/${subject}/versions/2`, { schema }),
        40402,
      );
    });
  });

  describe('config', () => {
    it('has BACKWARD as the global level by default', async () => {
      expect((await call(target, 'GET', '/config')).body).toEqual({
        compatibilityLevel: expectedOn(target, 'BACKWARD', { apicurio: ['defaultGlobalLevel', 'NONE'] }),
      });
    });

    it('sets the global level, which subjects without a level of their own follow', async () => {
      const before = ((await call(target, 'GET', '/config')).body as { compatibilityLevel: string })
        .compatibilityLevel;
      try {
        const set = await call(target, 'PUT', '/config', { compatibility: 'FORWARD' });
        expect(set.body).toMatchObject({ compatibility: 'FORWARD' });
        expect((await call(target, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'FORWARD' });
        const subject = fresh('global');
        const { record } = schemas('global');
        await call(target, 'POST', `/subjects/${subject}/versions`, {
          schema: record([{ name: 'a', type: 'string' }]),
        });
        const removesA = await call(target, 'POST', `/subjects/${subject}/versions`, {
          schema: record([{ name: 'b', type: 'int', default: 0 }]),
        });
        expectError(removesA, 409);
        const fallback = await call(target, 'GET', `/config/${subject}?defaultToGlobal=true`);
        expect(fallback.body).toEqual({ compatibilityLevel: 'FORWARD' });
        // Apicurio answers NONE here, not the global FORWARD it applied above.
        const own = await call(target, 'GET', `/config/${subject}`);
        expect({ status: own.status, ...(own.body as object) }).toMatchObject(
          expectedOn<object>(
            target,
            { status: 404, error_code: 40408 },
            {
              apicurio: ['subjectLevelFallsBack', { status: 200, compatibilityLevel: 'NONE' }],
            },
          ),
        );
      } finally {
        await call(target, 'PUT', '/config', { compatibility: before });
      }
    });

    it('keeps a level per subject: 404 for a subject without one, unless defaultToGlobal', async () => {
      const { subject, record, post } = await subjectAt(target, 'FULL');
      await post(record([{ name: 'a', type: 'string' }]));
      expect((await call(target, 'GET', `/config/${subject}`)).body).toEqual({ compatibilityLevel: 'FULL' });
      const plain = fresh('no-level');
      await call(target, 'POST', `/subjects/${plain}/versions`, {
        schema: record([{ name: 'a', type: 'string' }]),
      });
      const global = (await call(target, 'GET', '/config')).body as { compatibilityLevel: string };
      const own = await call(target, 'GET', `/config/${plain}`);
      const expected = expectedOn(target, { status: 404, error_code: 40408 } as object, {
        apicurio: ['subjectLevelFallsBack', { status: 200, compatibilityLevel: 'NONE' }],
      });
      expect({ status: own.status, ...(own.body as object) }).toMatchObject(expected);
      expect((await call(target, 'GET', `/config/${plain}?defaultToGlobal=true`)).body).toEqual(
        expectedOn<object>(target, global, {
          apicurio: ['subjectLevelFallsBack', { compatibilityLevel: 'NONE' }],
        }),
      );
    });

    it('deletes a subject level, answering the old one', async () => {
      const { subject, record, post } = await subjectAt(target, 'FULL_TRANSITIVE');
      await post(record([{ name: 'a', type: 'string' }]));
      expect((await call(target, 'DELETE', `/config/${subject}`)).body).toMatchObject({
        compatibilityLevel: 'FULL_TRANSITIVE',
      });
      const after = await call(target, 'GET', `/config/${subject}`);
      expect(after.status).toBe(expectedOn(target, 404, { apicurio: ['subjectLevelFallsBack', 200] }));
    });

    it('answers 404 for the level of a subject that does not exist, the global one with defaultToGlobal', async () => {
      const missing = fresh('config-missing');
      expect((await call(target, 'GET', `/config/${missing}`)).status).toBe(404);
      const global = (await call(target, 'GET', '/config')).body;
      const fallback = await call(target, 'GET', `/config/${missing}?defaultToGlobal=true`);
      expect({ status: fallback.status, body: fallback.body }).toMatchObject(
        expectedOn<object>(
          target,
          { status: 200, body: global as object },
          {
            apicurio: ['configOfMissingSubject', { status: 404, body: { error_code: 40401 } }],
          },
        ),
      );
    });

    it("reads a level in any case, as Confluent's registry does", async () => {
      const subject = fresh('lower-case');
      const set = await call(target, 'PUT', `/config/${subject}`, { compatibility: 'full' });
      expect({ status: set.status, body: set.body }).toMatchObject(
        expectedOn<object>(
          target,
          { status: 200, body: { compatibility: 'FULL' } },
          {
            apicurio: ['levelCase', { status: 422, body: { error_code: 42203 } }],
          },
        ),
      );
    });

    it('refuses an unknown level with 42203', async () => {
      expectError(await call(target, 'PUT', '/config', { compatibility: 'SIDEWAYS' }), 42203);
      expectError(
        await call(target, 'PUT', `/config/${fresh('sideways')}`, { compatibility: 'SIDEWAYS' }),
        42203,
      );
    });
  });
}
