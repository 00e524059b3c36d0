import { describe, expect, it } from 'vitest';
import { RegistryState } from './registryState.js';
import type { SchemasRecord } from './schemasRecords.js';

const schemaRecord = (
  subject: string,
  version: number,
  id: number,
  schema: string,
  deleted = false,
): SchemasRecord => ({
  keytype: 'SCHEMA',
  subject,
  version,
  value: { subject, version, id, schema, deleted },
});
const state = (...records: SchemasRecord[]) => {
  const s = new RegistryState();
  for (const r of records) s.apply(r);
  return s;
};

describe('RegistryState', () => {
  it('holds versions per subject and schemas by global id', () => {
    const s = state(
      schemaRecord('a', 1, 1, '"int"'),
      schemaRecord('a', 2, 2, '"long"'),
      schemaRecord('b', 1, 1, '"int"'),
    );
    expect(s.subjectNames()).toEqual(['a', 'b']);
    expect(s.versions('a').map((v) => [v.version, v.id])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(s.latest('a')?.schema).toBe('"long"');
    expect(s.schemaById(1)).toBe('"int"');
    expect(s.idOf('"long"')).toBe(2);
    expect(s.versionsOfId(1).map((v) => v.subject)).toEqual(['a', 'b']);
    expect(s.highestIdIssued).toBe(2);
  });

  it('identifies schemas by canonical text', () => {
    const s = state(schemaRecord('a', 1, 5, '{ "type" : "string" }'));
    expect(s.idOf('"string"')).toBe(5);
    expect(s.schemaById(5)).toBe('{ "type" : "string" }');
  });

  it('soft deletes: DELETE_SUBJECT marks versions up to its version; a SCHEMA record can mark one', () => {
    const s = state(schemaRecord('a', 1, 1, '"int"'), schemaRecord('a', 2, 2, '"long"'), {
      keytype: 'DELETE_SUBJECT',
      subject: 'a',
      value: { subject: 'a', version: 1 },
    });
    expect(s.versions('a').map((v) => v.version)).toEqual([2]);
    expect(s.versions('a', { deleted: true }).map((v) => v.version)).toEqual([1, 2]);
    s.apply(schemaRecord('a', 2, 2, '"long"', true));
    expect(s.subjectNames()).toEqual([]);
    expect(s.subjectNames({ deleted: true })).toEqual(['a']);
    expect(s.highestVersion('a')).toBe(2);
    expect(s.schemaById(1)).toBe('"int"');
  });

  it('hard deletes: a tombstone removes the version, and the id once no version holds it', () => {
    const s = state(schemaRecord('a', 1, 1, '"int"'), schemaRecord('b', 1, 1, '"int"'));
    s.apply({ keytype: 'SCHEMA', subject: 'a', version: 1, value: null });
    expect(s.schemaById(1)).toBe('"int"');
    s.apply({ keytype: 'SCHEMA', subject: 'b', version: 1, value: null });
    expect(s.schemaById(1)).toBeUndefined();
    expect(s.idOf('"int"')).toBeUndefined();
    expect(s.highestIdIssued).toBe(1);
  });

  it('ignores a record giving an id that stands for another schema (first writer wins)', () => {
    const s = state(schemaRecord('a', 1, 1, '"int"'), schemaRecord('b', 1, 1, '"string"'));
    expect(s.conflictsIgnored).toBe(1);
    expect(s.subjectNames()).toEqual(['a']);
    expect(s.schemaById(1)).toBe('"int"');
  });

  it('keeps compatibility levels per subject and globally', () => {
    const s = state({ keytype: 'CONFIG', subject: 'a', value: { compatibilityLevel: 'FULL' } });
    expect(s.effectiveLevel('a')).toBe('FULL');
    expect(s.effectiveLevel('b')).toBe('BACKWARD');
    s.apply({ keytype: 'CONFIG', subject: null, value: { compatibilityLevel: 'NONE' } });
    expect(s.effectiveLevel('b')).toBe('NONE');
    s.apply({ keytype: 'CONFIG', subject: 'a', value: null });
    s.apply({ keytype: 'CONFIG', subject: null, value: null });
    expect(s.effectiveLevel('a')).toBe('BACKWARD');
    expect(s.hasGlobalLevel()).toBe(false);
  });
});
