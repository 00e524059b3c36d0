import type avsc from 'avsc';
import { avroType } from './avroSchema.js';

/** Compatibility levels, as Confluent names them. */
export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** The level a registry starts with (Confluent's `schema.compatibility.level` default). */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

/** A level from a request, case-insensitive; undefined when it is not one. */
export function parseCompatibilityLevel(value: unknown): CompatibilityLevel | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return (COMPATIBILITY_LEVELS as readonly string[]).includes(upper)
    ? (upper as CompatibilityLevel)
    : undefined;
}

/** Whether a level checks every earlier version rather than only the latest. */
export function isTransitive(level: CompatibilityLevel): boolean {
  return level.endsWith('_TRANSITIVE');
}

export interface EarlierSchema {
  version: number;
  schema: string;
}

/**
 * Checks a new schema against earlier ones under `level`, newest first, and returns the
 * messages of the first incompatibility (empty when compatible). BACKWARD means the new schema
 * reads data written with the earlier one, FORWARD the earlier one reads the new, FULL both.
 * `earlier` is what the level checks against: the caller passes only the latest version for a
 * non-transitive level. Names are compared without namespaces, as Java Avro does.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: string,
  earlier: EarlierSchema[],
): string[] {
  if (level === 'NONE') return [];
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  for (const old of [...earlier].sort((a, b) => b.version - a.version)) {
    const problems: string[] = [];
    if (backward) {
      const problem = resolveProblem(avroType(candidate), avroType(old.schema));
      if (problem) {
        problems.push(
          `{errorType:'READER_INCOMPATIBLE', description:'The new schema cannot read data written with ` +
            `version ${old.version}: ${problem}'}`,
        );
      }
    }
    if (forward) {
      const problem = resolveProblem(avroType(old.schema), avroType(candidate));
      if (problem) {
        problems.push(
          `{errorType:'WRITER_INCOMPATIBLE', description:'Version ${old.version} cannot read data written ` +
            `with the new schema: ${problem}'}`,
        );
      }
    }
    if (problems.length > 0) {
      return [
        ...problems,
        `{oldSchemaVersion: ${old.version}}`,
        `{oldSchema: '${old.schema}'}`,
        `{compatibility: '${level}'}`,
      ];
    }
  }
  return [];
}

/** Why `reader` cannot read what `writer` wrote, or undefined when it can. */
function resolveProblem(reader: avsc.Type, writer: avsc.Type): string | undefined {
  try {
    reader.createResolver(writer, { ignoreNamespaces: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
