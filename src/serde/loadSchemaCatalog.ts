import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaCatalog, type SchemaFile } from './schemaCatalog.js';

/**
 * The runtime's own schemas (`common/`: the command result), in `schemas/common` at the package
 * root, found upwards from this file (two levels down in the sources, three in the build).
 */
export const RUNTIME_SCHEMAS_DIR = findRuntimeSchemas(import.meta.dirname);

/** The runtime's own record type, on the application's results topic (`<name>.command-results`). */
const COMMAND_RESULT_TYPE = 'kes.common.CommandResult';

function findRuntimeSchemas(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'common', 'CommandResult.avsc'))) return candidate;
    if (path.dirname(dir) === dir)
      throw new Error(`kes's own schemas (schemas/common) are not above ${from}`);
  }
}

/**
 * An application's schemas (see SchemaCatalog for the layout of `dir`) with the runtime's own.
 * The topics each type travels on are `topics` (derived from the application's deciders) merged
 * with the directory's `topics.json`, which may be left out; the command result travels on the
 * application's results topic (`kes.command-results` for the example application, named `kes`).
 */
export function loadSchemaCatalog(
  dir: string,
  topics: Readonly<Record<string, readonly string[]>> = {},
  resultsTopic = 'kes.command-results',
): SchemaCatalog {
  // `common/` is the runtime's (kes.common.*): an application's copy never replaces it.
  const files = readSchemaFiles(dir).filter((f) => f.path !== 'topics.json' && !f.path.startsWith('common/'));
  for (const file of readSchemaFiles(RUNTIME_SCHEMAS_DIR)) {
    if (file.path.startsWith('common/')) files.push(file);
  }
  const merged = new Map<string, Set<string>>();
  const add = (from: Readonly<Record<string, readonly string[]>>) => {
    for (const [topic, types] of Object.entries(from)) {
      const set = merged.get(topic) ?? new Set<string>();
      for (const type of types) set.add(type);
      merged.set(topic, set);
    }
  };
  const topicsFile = path.join(dir, 'topics.json');
  if (fs.existsSync(topicsFile))
    add(JSON.parse(fs.readFileSync(topicsFile, 'utf8')) as Record<string, string[]>);
  add(topics);
  add({ [resultsTopic]: [COMMAND_RESULT_TYPE] });
  const text = JSON.stringify(Object.fromEntries([...merged].map(([topic, types]) => [topic, [...types]])));
  return SchemaCatalog.fromFiles([...files, { path: 'topics.json', text }]);
}

/** The `.avsc` and `.json` files under `dir`, with paths relative to it. */
export function readSchemaFiles(dir: string): SchemaFile[] {
  if (!fs.existsSync(dir)) throw new Error(`no schemas directory at ${dir}`);
  const files: SchemaFile[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.avsc') || entry.name.endsWith('.json')) {
        files.push({ path: rel, text: fs.readFileSync(path.join(dir, rel), 'utf8') });
      }
    }
  };
  walk('');
  return files;
}
