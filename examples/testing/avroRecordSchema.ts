import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DomainName } from '../../src/index.js';

/** The parts of an Avro schema the type checks read. */
export interface AvroField {
  readonly name: string;
  readonly type: unknown;
}

export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly fields: readonly AvroField[];
}

/** The project's schemas/ directory, found upwards from this file. */
export const SCHEMAS_DIR = findSchemasDir(import.meta.dirname);

function findSchemasDir(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas', 'stock'))) return path.join(dir, 'schemas');
  }
  throw new Error(`no schemas directory above ${from}`);
}

/** The current schema of a domain's record type: schemas/<domain>/<Type>.avsc. */
export function readRecordSchema(domain: DomainName | 'common', type: string): AvroRecordSchema {
  const text = fs.readFileSync(path.join(SCHEMAS_DIR, domain, `${type}.avsc`), 'utf8');
  return JSON.parse(text) as AvroRecordSchema;
}

/** The `.avsc` files of a domain's directory (not its history), as short type names. */
export function schemaTypes(domain: DomainName): readonly string[] {
  return fs
    .readdirSync(path.join(SCHEMAS_DIR, domain))
    .filter((file) => file.endsWith('.avsc'))
    .map((file) => file.slice(0, -'.avsc'.length))
    .sort();
}
