import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaCatalog, type SchemaFile } from './schemaCatalog.js';

/**
 * The project's schemas directory: `schemas/` at the package root, found upwards from this file
 * (which is two levels down in the sources, three in the build).
 */
export const DEFAULT_SCHEMAS_DIR = findSchemasDir(import.meta.dirname);

function findSchemasDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'schemas');
    if (fs.existsSync(path.join(candidate, 'topics.json'))) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(from, '../../schemas');
  }
}

/** Reads a schemas directory (see SchemaCatalog for its layout). */
export function loadSchemaCatalog(dir: string = DEFAULT_SCHEMAS_DIR): SchemaCatalog {
  return SchemaCatalog.fromFiles(readSchemaFiles(dir));
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
