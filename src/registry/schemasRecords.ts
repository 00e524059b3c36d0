import { type CompatibilityLevel, parseCompatibilityLevel } from './compatibility.js';

/**
 * Records of the `_schemas` topic, in the format Confluent's registry reads and writes, so that
 * either registry can take over the other's topic. Keys are UTF-8 JSON built with a fixed key
 * order, byte for byte what Confluent writes: compaction keeps the latest record per key only if
 * equal keys are equal bytes.
 *
 * - SCHEMA `{"keytype":"SCHEMA","subject":s,"version":v,"magic":1}` →
 *   `{"subject":s,"version":v,"id":n,"schema":text,"deleted":bool}`; a null value removes the
 *   version (hard delete).
 * - CONFIG `{"keytype":"CONFIG","subject":s,"magic":0}` (global: no subject) →
 *   `{"compatibilityLevel":level}`; null removes the level.
 * - DELETE_SUBJECT `{"keytype":"DELETE_SUBJECT","subject":s,"magic":0}` → `{"subject":s,"version":v}`:
 *   versions up to v are soft-deleted.
 * - NOOP `{"keytype":"NOOP","magic":0}` with a null value: a marker written to learn where the
 *   end of the topic is.
 *
 * Other key types (MODE, CONTEXT, CLEAR_SUBJECT, ...) and unknown fields are ignored.
 */
export type SchemasRecord = SchemaRecord | ConfigRecord | DeleteSubjectRecord | NoopRecord;

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schema: string;
  deleted: boolean;
}

export interface SchemaRecord {
  keytype: 'SCHEMA';
  subject: string;
  version: number;
  value: SchemaValue | null;
}

export interface ConfigRecord {
  keytype: 'CONFIG';
  /** null: the global level. */
  subject: string | null;
  value: { compatibilityLevel: CompatibilityLevel } | null;
}

export interface DeleteSubjectRecord {
  keytype: 'DELETE_SUBJECT';
  subject: string;
  value: { subject: string; version: number } | null;
}

export interface NoopRecord {
  keytype: 'NOOP';
}

export interface EncodedRecord {
  key: Buffer;
  value: Buffer | null;
}

export function encodeSchemasRecord(record: SchemasRecord): EncodedRecord {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
  switch (record.keytype) {
    case 'SCHEMA': {
      const key = { keytype: 'SCHEMA', subject: record.subject, version: record.version, magic: 1 };
      const v = record.value;
      const value = v && {
        subject: v.subject,
        version: v.version,
        id: v.id,
        schema: v.schema,
        deleted: v.deleted,
      };
      return { key: json(key), value: value ? json(value) : null };
    }
    case 'CONFIG': {
      const key =
        record.subject === null
          ? { keytype: 'CONFIG', magic: 0 }
          : { keytype: 'CONFIG', subject: record.subject, magic: 0 };
      const value = record.value && { compatibilityLevel: record.value.compatibilityLevel };
      return { key: json(key), value: value ? json(value) : null };
    }
    case 'DELETE_SUBJECT': {
      const key = { keytype: 'DELETE_SUBJECT', subject: record.subject, magic: 0 };
      const value = record.value && { subject: record.value.subject, version: record.value.version };
      return { key: json(key), value: value ? json(value) : null };
    }
    case 'NOOP':
      return { key: json({ keytype: 'NOOP', magic: 0 }), value: null };
  }
}

/**
 * Decodes a `_schemas` record; undefined for key types the registry ignores and for records it
 * cannot read (which it skips rather than stop reading the topic).
 */
export function decodeSchemasRecord(key: Buffer | null, value: Buffer | null): SchemasRecord | undefined {
  const k = parseObject(key);
  if (!k) return undefined;
  let v: Record<string, unknown> | null = null;
  if (value !== null) {
    const parsed = parseObject(value);
    if (!parsed) return undefined;
    v = parsed;
  }
  switch (k.keytype) {
    case 'SCHEMA': {
      if (typeof k.subject !== 'string' || !isVersion(k.version)) return undefined;
      if (v === null) return { keytype: 'SCHEMA', subject: k.subject, version: k.version, value: null };
      if (typeof v.schema !== 'string' || !isId(v.id)) return undefined;
      return {
        keytype: 'SCHEMA',
        subject: k.subject,
        version: k.version,
        value: {
          subject: k.subject,
          version: k.version,
          id: v.id,
          schema: v.schema,
          deleted: v.deleted === true,
        },
      };
    }
    case 'CONFIG': {
      const subject = typeof k.subject === 'string' ? k.subject : null;
      if (v === null) return { keytype: 'CONFIG', subject, value: null };
      const level = parseCompatibilityLevel(v.compatibilityLevel);
      // A config without a level (Confluent also stores other settings there) changes nothing here.
      if (!level) return undefined;
      return { keytype: 'CONFIG', subject, value: { compatibilityLevel: level } };
    }
    case 'DELETE_SUBJECT': {
      if (typeof k.subject !== 'string') return undefined;
      if (v === null) return { keytype: 'DELETE_SUBJECT', subject: k.subject, value: null };
      if (!isVersion(v.version)) return undefined;
      return {
        keytype: 'DELETE_SUBJECT',
        subject: k.subject,
        value: { subject: k.subject, version: v.version },
      };
    }
    case 'NOOP':
      return { keytype: 'NOOP' };
    default:
      return undefined;
  }
}

function parseObject(bytes: Buffer | null): Record<string, unknown> | undefined {
  if (bytes === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isVersion(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

function isId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0x7fffffff;
}
