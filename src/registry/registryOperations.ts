import { validateSchema } from './avroSchema.js';
import {
  checkCompatibility,
  type CompatibilityLevel,
  type EarlierSchema,
  isTransitive,
  parseCompatibilityLevel,
} from './compatibility.js';
import { errors } from './errors.js';
import type { RegistryState, VersionEntry } from './registryState.js';
import type { SchemasRecord } from './schemasRecords.js';

/**
 * The registry's decisions, as pure functions of its state: reads answer from the state, writes
 * return the `_schemas` records to append and the answer to give once they are applied. They
 * throw a RegistryError for every refusal. Rules follow Confluent's registry (see docs/registry.md).
 */

/** Records to append, and the answer once they are applied. No records: nothing to write. */
export interface Plan<T> {
  records: SchemasRecord[];
  result: T;
}

/** The body of POST /subjects/{s}/versions, POST /subjects/{s} and POST /compatibility/…. */
export interface SchemaRequest {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
  id?: unknown;
  version?: unknown;
}

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
}

const MAX_INT32 = 0x7fffffff;

/** A version from a path: an integer in [1, 2^31-1], `latest` or -1 (also latest). Throws 42202. */
export function parseVersion(text: string): number | 'latest' {
  if (text === 'latest' || text === '-1') return 'latest';
  if (!/^\d+$/.test(text)) throw errors.invalidVersion(text);
  const version = Number(text);
  if (version < 1 || version > MAX_INT32) throw errors.invalidVersion(text);
  return version;
}

/** The canonical text of the schema in a request. Throws 42201 (invalid) or 42205 (ids given). */
export function readSchemaRequest(subject: string, body: SchemaRequest, { register = false } = {}): string {
  if (body.schemaType !== undefined && body.schemaType !== null && body.schemaType !== 'AVRO') {
    throw errors.invalidSchema(`schema type ${String(body.schemaType)} is not supported, only AVRO`);
  }
  if (Array.isArray(body.references) && body.references.length > 0) {
    throw errors.invalidSchema('schema references are not supported');
  }
  if (register && (isNonNegative(body.id) || (typeof body.version === 'number' && body.version > 0))) {
    throw errors.notImportMode(subject);
  }
  return validateSchema(body.schema);
}

function isNonNegative(value: unknown): boolean {
  return typeof value === 'number' && value >= 0;
}

function toSubjectVersion(entry: VersionEntry): SubjectVersion {
  return { subject: entry.subject, version: entry.version, id: entry.id, schema: entry.schema };
}

/** The versions `level` checks a new schema against: the latest live one, or every live one. */
function versionsToCheck(state: RegistryState, subject: string, level: CompatibilityLevel): EarlierSchema[] {
  const live = state.versions(subject);
  return isTransitive(level) ? live : live.slice(-1);
}

export function register(state: RegistryState, subject: string, body: SchemaRequest): Plan<{ id: number }> {
  const canonical = readSchemaRequest(subject, body, { register: true });
  const existing = state.versions(subject).find((v) => v.canonical === canonical);
  if (existing) return { records: [], result: { id: existing.id } };
  const level = state.effectiveLevel(subject);
  const problems = checkCompatibility(level, canonical, versionsToCheck(state, subject, level));
  if (problems.length > 0) throw errors.incompatible(subject, `[${problems.join(', ')}]`);
  const id = state.idOf(canonical) ?? state.highestIdIssued + 1;
  const version = state.highestVersion(subject) + 1;
  return {
    records: [
      {
        keytype: 'SCHEMA',
        subject,
        version,
        value: { subject, version, id, schema: canonical, deleted: false },
      },
    ],
    result: { id },
  };
}

export function lookup(
  state: RegistryState,
  subject: string,
  body: SchemaRequest,
  { deleted = false } = {},
): SubjectVersion {
  const canonical = readSchemaRequest(subject, body);
  const versions = state.versions(subject, { deleted });
  if (versions.length === 0) throw errors.subjectNotFound(subject);
  const found = versions.filter((v) => v.canonical === canonical).at(-1);
  if (!found) throw errors.schemaNotFound();
  return toSubjectVersion(found);
}

export function listVersions(state: RegistryState, subject: string, { deleted = false } = {}): number[] {
  const versions = state.versions(subject, { deleted });
  if (versions.length === 0) throw errors.subjectNotFound(subject);
  return versions.map((v) => v.version);
}

export function getVersion(
  state: RegistryState,
  subject: string,
  versionText: string,
  { deleted = false } = {},
): SubjectVersion {
  const version = parseVersion(versionText);
  const entry =
    version === 'latest' ? state.latest(subject, { deleted }) : state.version(subject, version, { deleted });
  if (entry) return toSubjectVersion(entry);
  if (state.versions(subject, { deleted }).length === 0) throw errors.subjectNotFound(subject);
  throw errors.versionNotFound(version === 'latest' ? -1 : version);
}

/** An id from a path; anything but a non-negative int32 is no schema. */
export function parseId(text: string): number {
  const id = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(id <= MAX_INT32)) throw errors.schemaIdNotFound(text);
  return id;
}

export function schemaById(state: RegistryState, idText: string): { schema: string } {
  const schema = state.schemaById(parseId(idText));
  if (schema === undefined) throw errors.schemaIdNotFound(idText);
  return { schema };
}

export function versionsOfId(
  state: RegistryState,
  idText: string,
  { deleted = false } = {},
): { subject: string; version: number }[] {
  const id = parseId(idText);
  if (state.schemaById(id) === undefined) throw errors.schemaIdNotFound(idText);
  return state.versionsOfId(id, { deleted }).map((v) => ({ subject: v.subject, version: v.version }));
}

/**
 * Ids are never issued twice, and the next id is one above the highest id in `_schemas`. Removing
 * the last record holding the highest id would let compaction forget it, and a restarted registry
 * issue it again to another schema (clients cache an id's schema forever), so that is refused.
 */
function keepHighestId(state: RegistryState, removing: VersionEntry[]): void {
  const highest = state.highestIdIssued;
  const holders = state.versionsOfId(highest, { deleted: true });
  if (holders.length > 0 && holders.every((h) => removing.includes(h))) throw errors.highestIdKept(highest);
}

export function deleteSubject(state: RegistryState, subject: string, permanent: boolean): Plan<number[]> {
  const all = state.versions(subject, { deleted: true });
  if (all.length === 0) throw errors.subjectNotFound(subject);
  const live = all.filter((v) => !v.deleted);
  const configTombstone: SchemasRecord[] =
    state.subjectLevel(subject) === undefined ? [] : [{ keytype: 'CONFIG', subject, value: null }];
  if (!permanent) {
    if (live.length === 0) throw errors.subjectSoftDeleted(subject);
    const version = state.highestVersion(subject);
    return {
      records: [{ keytype: 'DELETE_SUBJECT', subject, value: { subject, version } }, ...configTombstone],
      result: live.map((v) => v.version),
    };
  }
  if (live.length > 0) throw errors.subjectNotSoftDeleted(subject);
  keepHighestId(state, all);
  return {
    records: [
      ...all.map((v): SchemasRecord => ({ keytype: 'SCHEMA', subject, version: v.version, value: null })),
      ...configTombstone,
    ],
    result: all.map((v) => v.version),
  };
}

export function deleteVersion(
  state: RegistryState,
  subject: string,
  versionText: string,
  permanent: boolean,
): Plan<number> {
  const version = parseVersion(versionText);
  const entry =
    version === 'latest'
      ? state.latest(subject, { deleted: permanent })
      : state.version(subject, version, { deleted: true });
  if (!entry) {
    if (state.versions(subject, { deleted: true }).length === 0) throw errors.subjectNotFound(subject);
    throw errors.versionNotFound(version === 'latest' ? -1 : version);
  }
  if (!permanent) {
    if (entry.deleted) throw errors.versionSoftDeleted(subject, versionText);
    const lastLive = state.versions(subject).length === 1;
    const records: SchemasRecord[] = [
      {
        keytype: 'SCHEMA',
        subject,
        version: entry.version,
        value: { ...toSubjectVersion(entry), deleted: true },
      },
    ];
    // Like Confluent's registry, a subject left without live versions loses its level.
    if (lastLive && state.subjectLevel(subject) !== undefined) {
      records.push({ keytype: 'CONFIG', subject, value: null });
    }
    return { records, result: entry.version };
  }
  if (!entry.deleted) throw errors.versionNotSoftDeleted(subject, versionText);
  keepHighestId(state, [entry]);
  return {
    records: [{ keytype: 'SCHEMA', subject, version: entry.version, value: null }],
    result: entry.version,
  };
}

export function getConfig(
  state: RegistryState,
  subject: string | null,
  { defaultToGlobal = false } = {},
): { compatibilityLevel: CompatibilityLevel } {
  if (subject === null) return { compatibilityLevel: state.globalLevel() };
  const own = state.subjectLevel(subject);
  if (own) return { compatibilityLevel: own };
  if (defaultToGlobal) return { compatibilityLevel: state.globalLevel() };
  throw errors.noSubjectCompatibility(subject);
}

export function setConfig(
  state: RegistryState,
  subject: string | null,
  body: { compatibility?: unknown },
): Plan<{ compatibility: CompatibilityLevel }> {
  const level = parseCompatibilityLevel(body.compatibility);
  if (!level) throw errors.invalidCompatibility();
  const current =
    subject === null
      ? state.hasGlobalLevel()
        ? state.globalLevel()
        : undefined
      : state.subjectLevel(subject);
  const records: SchemasRecord[] =
    current === level ? [] : [{ keytype: 'CONFIG', subject, value: { compatibilityLevel: level } }];
  return { records, result: { compatibility: level } };
}

export function deleteConfig(
  state: RegistryState,
  subject: string | null,
): Plan<{ compatibilityLevel: CompatibilityLevel }> {
  if (subject === null) {
    const records: SchemasRecord[] = state.hasGlobalLevel()
      ? [{ keytype: 'CONFIG', subject, value: null }]
      : [];
    return { records, result: { compatibilityLevel: state.globalLevel() } };
  }
  const own = state.subjectLevel(subject);
  if (!own) throw errors.subjectNotFound(subject);
  return { records: [{ keytype: 'CONFIG', subject, value: null }], result: { compatibilityLevel: own } };
}

/**
 * POST /compatibility/subjects/{s}/versions[/{v}]: with a version, the schema is checked against
 * that version alone whatever the level (transitive or not); without one, against what the
 * level checks on registration. `latest` of a subject without live versions is compatible.
 */
export function testCompatibility(
  state: RegistryState,
  subject: string,
  versionText: string | undefined,
  body: SchemaRequest,
  { verbose = false } = {},
): { is_compatible: boolean; messages?: string[] } {
  const version = versionText === undefined ? undefined : parseVersion(versionText);
  const canonical = readSchemaRequest(subject, body);
  const level = state.effectiveLevel(subject);
  let against: EarlierSchema[];
  if (version === undefined) {
    against = versionsToCheck(state, subject, level);
  } else if (version === 'latest') {
    against = state.versions(subject).slice(-1);
  } else {
    const entry = state.version(subject, version);
    if (!entry) {
      if (state.versions(subject).length === 0) throw errors.subjectNotFound(subject);
      throw errors.versionNotFound(version);
    }
    against = [entry];
  }
  const messages = checkCompatibility(level, canonical, against);
  const answer: { is_compatible: boolean; messages?: string[] } = { is_compatible: messages.length === 0 };
  if (verbose) answer.messages = messages;
  return answer;
}
