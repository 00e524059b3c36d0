let counter = 0;

/**
 * A name no other test of the run uses: the suite shares one registry per target, so each test
 * works on subjects (and schemas, whose ids are global) of its own.
 */
export function fresh(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}${(++counter).toString(36)}`;
}

export interface Field {
  name: string;
  type: unknown;
  default?: unknown;
}

/**
 * A record schema's compact text with its keys in the order Avro's Java Schema.toString() writes
 * them (type, name, namespace, fields; field name, type, default), so a registry that stores the
 * canonical text and one that stores the text as given answer the same bytes.
 */
export function record(namespace: string, fields: Field[], name = 'Thing'): string {
  return JSON.stringify({ type: 'record', name, namespace, fields });
}

/** A namespace of its own and the record schemas of a test, built on it. */
export function schemas(prefix: string) {
  const namespace = fresh(prefix).replaceAll('-', '_');
  return {
    namespace,
    record: (fields: Field[], name?: string) => record(namespace, fields, name),
  };
}
