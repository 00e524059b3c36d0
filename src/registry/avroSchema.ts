import avsc from 'avsc';
import { canonicalSchema } from './canonicalSchema.js';
import { errors } from './errors.js';

/**
 * Parses a schema the way the registry checks it: fresh (no names shared with other schemas),
 * without logical type implementations (so a logical type is checked as its underlying type, as
 * Java's compatibility checker does), names required. Throws 42201 when it does not parse.
 */
export function avroType(text: string): avsc.Type {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw errors.invalidSchema(`not JSON: ${(err as Error).message}`);
  }
  try {
    return avsc.Type.forSchema(json as avsc.Schema, { registry: {}, noAnonymousTypes: true });
  } catch (err) {
    throw errors.invalidSchema((err as Error).message);
  }
}

/** Validates a schema and returns its canonical text (see canonicalSchema.ts). Throws 42201. */
export function validateSchema(text: unknown): string {
  if (text === undefined || text === null || text === '') throw errors.invalidSchema('empty schema');
  if (typeof text !== 'string') throw errors.invalidSchema('the schema must be given as a JSON string');
  avroType(text);
  return canonicalSchema(text);
}
