import avsc from 'avsc';

/**
 * The project's Avro schemas, as laid out under `schemas/`:
 *
 * - `<dir>/<Name>.avsc`: the current schema of record type `kes.<dir>.<Name>`, one file per type;
 * - `<dir>/history/<Name>.v<N>.avsc`: earlier versions, 1 to N, kept for as long as events
 *   written with them exist (forever): the current schema is version N+1;
 * - `topics.json`: `{ "<topic>": ["<full name>", ...] }`, the topics each type travels on.
 *
 * A type's subject on a topic is `<topic>-<full name>` (TopicRecordNameStrategy). Pure: the files
 * are passed in (loadSchemaCatalog reads them from disk).
 */
export interface SchemaFile {
  /** Path relative to the schemas directory, with `/` separators. */
  path: string;
  text: string;
}

export interface SchemaVersion {
  /** 1 for the oldest; the current schema has the highest. */
  version: number;
  /** The schema text as written in the file. */
  text: string;
  path: string;
}

export interface RecordType {
  /** Full name, e.g. `kes.orders.OrderPlaced`. */
  fullName: string;
  /** Every version, oldest first; the last one is the current schema. */
  versions: SchemaVersion[];
  /** Topics the type travels on. */
  topics: string[];
}

export interface CatalogSubject {
  subject: string;
  topic: string;
  type: RecordType;
}

/** The subject of a record type on a topic (TopicRecordNameStrategy). */
export function subjectName(topic: string, fullName: string): string {
  return `${topic}-${fullName}`;
}

export class SchemaCatalogError extends Error {
  override readonly name = 'SchemaCatalogError';
}

export class SchemaCatalog {
  private constructor(private readonly types: Map<string, RecordType>) {}

  /** Builds the catalog from the files of a schemas directory; throws on any inconsistency. */
  static fromFiles(files: SchemaFile[]): SchemaCatalog {
    const problems: string[] = [];
    const topicsFile = files.find((f) => f.path === 'topics.json');
    const topicsOf = new Map<string, string[]>();
    if (!topicsFile) problems.push('topics.json is missing');
    else readTopics(topicsFile.text, topicsOf, problems);

    const types = new Map<string, RecordType>();
    const history = new Map<string, SchemaVersion[]>();
    for (const file of files
      .filter((f) => f.path.endsWith('.avsc'))
      .sort((a, b) => a.path.localeCompare(b.path))) {
      const match = /^([a-z][a-z0-9_]*)\/(?:history\/([A-Za-z_]\w*)\.v(\d+)|([A-Za-z_]\w*))\.avsc$/.exec(
        file.path,
      );
      if (!match) {
        problems.push(`${file.path}: expected <dir>/<Name>.avsc or <dir>/history/<Name>.v<N>.avsc`);
        continue;
      }
      const [, dir, historyName, historyVersion, currentName] = match;
      const fullName = `kes.${dir}.${historyName ?? currentName}`;
      const problem = checkSchema(file, fullName);
      if (problem) {
        problems.push(`${file.path}: ${problem}`);
        continue;
      }
      if (historyName) {
        const list = history.get(fullName) ?? [];
        list.push({ version: Number(historyVersion), text: file.text, path: file.path });
        history.set(fullName, list);
      } else {
        types.set(fullName, {
          fullName,
          versions: [{ version: 1, text: file.text, path: file.path }],
          topics: topicsOf.get(fullName) ?? [],
        });
      }
    }
    for (const [fullName, earlier] of history) {
      const type = types.get(fullName);
      if (!type) {
        problems.push(`${earlier[0]!.path}: no current schema for ${fullName}`);
        continue;
      }
      earlier.sort((a, b) => a.version - b.version);
      earlier.forEach((v, i) => {
        if (v.version !== i + 1)
          problems.push(`${v.path}: history of ${fullName} must be v1 to v${earlier.length}`);
      });
      const current = type.versions[0]!;
      type.versions = [...earlier, { ...current, version: earlier.length + 1 }];
    }
    for (const [fullName, type] of types) {
      if (type.topics.length === 0)
        problems.push(
          `${fullName} is on no topic: no decider lists it among its command or event types (nor a topics.json)`,
        );
    }
    for (const fullName of topicsOf.keys()) {
      if (!types.has(fullName)) problems.push(`topics.json names ${fullName}, which has no schema file`);
    }
    if (problems.length > 0) throw new SchemaCatalogError(`invalid schemas:\n  ${problems.join('\n  ')}`);
    return new SchemaCatalog(types);
  }

  /** Every record type, by full name. */
  recordTypes(): RecordType[] {
    return [...this.types.values()].sort((a, b) => a.fullName.localeCompare(b.fullName));
  }

  get(fullName: string): RecordType | undefined {
    return this.types.get(fullName);
  }

  /** Every subject, sorted. */
  subjects(): CatalogSubject[] {
    return this.recordTypes()
      .flatMap((type) =>
        type.topics.map((topic) => ({ subject: subjectName(topic, type.fullName), topic, type })),
      )
      .sort((a, b) => a.subject.localeCompare(b.subject));
  }
}

function readTopics(text: string, topicsOf: Map<string, string[]>, problems: string[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.push(`topics.json: ${(err as Error).message}`);
    return;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.push('topics.json: expected an object of topic → full names');
    return;
  }
  for (const [topic, names] of Object.entries(parsed)) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      problems.push(`topics.json: ${topic} must list full names`);
      continue;
    }
    for (const name of names as string[]) topicsOf.set(name, [...(topicsOf.get(name) ?? []), topic]);
  }
}

/** Why a schema file is unusable, or undefined. */
function checkSchema(file: SchemaFile, fullName: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (err) {
    return (err as Error).message;
  }
  try {
    const type = avsc.Type.forSchema(json as avsc.Schema, { registry: {}, noAnonymousTypes: true });
    if (type.name !== fullName) return `defines ${type.name ?? 'an unnamed type'}, expected ${fullName}`;
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}
