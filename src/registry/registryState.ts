import { canonicalSchema } from './canonicalSchema.js';
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY } from './compatibility.js';
import type { SchemasRecord, SchemaValue } from './schemasRecords.js';

/** One version of a subject. */
export interface VersionEntry {
  subject: string;
  version: number;
  id: number;
  /** The schema text as stored in `_schemas`. */
  schema: string;
  /** Its canonical text, the schema's identity (see canonicalSchema.ts). */
  canonical: string;
  deleted: boolean;
}

/** Whether soft-deleted versions count. */
export interface DeletedFilter {
  deleted?: boolean;
}

/**
 * Everything the registry knows, as the `_schemas` records applied in order built it: subjects
 * and their versions, schemas by global id, compatibility levels. Pure: no I/O, no clock. Every
 * instance that applies the same records holds the same state, which is how registries sharing
 * a topic agree on ids.
 */
export class RegistryState {
  private readonly subjects = new Map<string, Map<number, VersionEntry>>();
  private readonly schemas = new Map<number, { schema: string; canonical: string; refs: number }>();
  private readonly idsByCanonical = new Map<string, number>();
  private readonly levels = new Map<string, CompatibilityLevel>();
  private global: CompatibilityLevel | undefined;
  /** Highest id ever seen: new ids are above it, so none is issued twice. */
  private highestId = 0;
  /** SCHEMA records skipped because their id already stood for another schema. */
  conflictsIgnored = 0;

  constructor(readonly defaultLevel: CompatibilityLevel = DEFAULT_COMPATIBILITY) {}

  apply(record: SchemasRecord): void {
    switch (record.keytype) {
      case 'SCHEMA':
        if (record.value) this.putVersion(record.value);
        else this.removeVersion(record.subject, record.version);
        return;
      case 'CONFIG':
        if (record.subject === null) this.global = record.value?.compatibilityLevel;
        else if (record.value) this.levels.set(record.subject, record.value.compatibilityLevel);
        else this.levels.delete(record.subject);
        return;
      case 'DELETE_SUBJECT':
        if (record.value) {
          for (const entry of this.subjects.get(record.subject)?.values() ?? []) {
            if (entry.version <= record.value.version) entry.deleted = true;
          }
        }
        return;
      case 'NOOP':
        return;
    }
  }

  private putVersion(value: SchemaValue): void {
    const canonical = canonicalOrRaw(value.schema);
    if (this.schemas.has(value.id) && this.schemas.get(value.id)!.canonical !== canonical) {
      // Two writers gave one id to different schemas: the first one in the log keeps it.
      this.conflictsIgnored++;
      return;
    }
    this.removeVersion(value.subject, value.version);
    const known = this.schemas.get(value.id);
    let versions = this.subjects.get(value.subject);
    if (!versions) this.subjects.set(value.subject, (versions = new Map()));
    versions.set(value.version, {
      subject: value.subject,
      version: value.version,
      id: value.id,
      schema: value.schema,
      canonical,
      deleted: value.deleted,
    });
    if (known) known.refs++;
    else this.schemas.set(value.id, { schema: value.schema, canonical, refs: 1 });
    if (!this.idsByCanonical.has(canonical)) this.idsByCanonical.set(canonical, value.id);
    this.highestId = Math.max(this.highestId, value.id);
  }

  private removeVersion(subject: string, version: number): void {
    const versions = this.subjects.get(subject);
    const entry = versions?.get(version);
    if (!versions || !entry) return;
    versions.delete(version);
    if (versions.size === 0) this.subjects.delete(subject);
    const schema = this.schemas.get(entry.id);
    if (schema && --schema.refs === 0) {
      // No version holds the id any more: like Confluent's registry, it is no longer served.
      this.schemas.delete(entry.id);
      if (this.idsByCanonical.get(schema.canonical) === entry.id)
        this.idsByCanonical.delete(schema.canonical);
    }
  }

  /** Subject names with at least one live version (or any version, with `deleted`), sorted. */
  subjectNames({ deleted = false }: DeletedFilter = {}): string[] {
    return [...this.subjects.keys()].filter((s) => this.versions(s, { deleted }).length > 0).sort();
  }

  /** A subject's versions in order; soft-deleted ones only with `deleted`. */
  versions(subject: string, { deleted = false }: DeletedFilter = {}): VersionEntry[] {
    const versions = [...(this.subjects.get(subject)?.values() ?? [])];
    return versions.filter((v) => deleted || !v.deleted).sort((a, b) => a.version - b.version);
  }

  version(
    subject: string,
    version: number,
    { deleted = false }: DeletedFilter = {},
  ): VersionEntry | undefined {
    const entry = this.subjects.get(subject)?.get(version);
    return entry && (deleted || !entry.deleted) ? entry : undefined;
  }

  latest(subject: string, filter: DeletedFilter = {}): VersionEntry | undefined {
    return this.versions(subject, filter).at(-1);
  }

  /** The highest version number of a subject, soft-deleted versions included; 0 if none. */
  highestVersion(subject: string): number {
    return this.latest(subject, { deleted: true })?.version ?? 0;
  }

  /** The stored text of the schema with this id. */
  schemaById(id: number): string | undefined {
    return this.schemas.get(id)?.schema;
  }

  /** The id a schema with this canonical text has, under any subject. */
  idOf(canonical: string): number | undefined {
    return this.idsByCanonical.get(canonical);
  }

  /** The versions (of every subject) holding an id. */
  versionsOfId(id: number, { deleted = false }: DeletedFilter = {}): VersionEntry[] {
    const out: VersionEntry[] = [];
    for (const subject of [...this.subjects.keys()].sort()) {
      for (const entry of this.versions(subject, { deleted })) if (entry.id === id) out.push(entry);
    }
    return out;
  }

  get highestIdIssued(): number {
    return this.highestId;
  }

  /** The subject's own level, if it has one. */
  subjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.levels.get(subject);
  }

  /** The global level (the default until one is set). */
  globalLevel(): CompatibilityLevel {
    return this.global ?? this.defaultLevel;
  }

  /** Whether a global level was set (rather than the default). */
  hasGlobalLevel(): boolean {
    return this.global !== undefined;
  }

  /** The level that applies to a subject. */
  effectiveLevel(subject: string): CompatibilityLevel {
    return this.levels.get(subject) ?? this.globalLevel();
  }
}

/** Records written by another registry may hold text this one cannot parse; it still serves them. */
function canonicalOrRaw(schema: string): string {
  try {
    return canonicalSchema(schema);
  } catch {
    return schema;
  }
}
