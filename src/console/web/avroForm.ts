/**
 * The fields of a form for an Avro schema, and the JSON the HTTP API takes for it: records are
 * objects, a union with null is the value or null, enums their symbol, longs and ints numbers.
 * Pure: the command form (commandForm.tsx) renders what this describes.
 */

export type Avro = string | Avro[] | { readonly type: Avro; readonly [key: string]: unknown };

export interface AvroField {
  readonly name: string;
  readonly type: Avro;
  readonly doc?: string;
  readonly default?: unknown;
}

/** A schema resolved for the form: named types looked up, a nullable union unwrapped. */
export type FormType =
  | { readonly kind: 'string' | 'boolean' | 'bytes' }
  | { readonly kind: 'number'; readonly integer: boolean }
  | { readonly kind: 'enum'; readonly symbols: readonly string[] }
  | { readonly kind: 'record'; readonly name: string; readonly fields: readonly AvroField[] }
  | { readonly kind: 'array'; readonly items: Avro }
  | { readonly kind: 'map'; readonly values: Avro }
  | { readonly kind: 'nullable'; readonly inner: Avro }
  | { readonly kind: 'union'; readonly branches: readonly Avro[] };

/** The named types (records, enums, fixed) of a schema, by full and short name. */
export type NamedTypes = Map<string, Avro>;

export function namedTypes(schema: Avro, named: NamedTypes = new Map(), namespace = ''): NamedTypes {
  if (typeof schema === 'string') return named;
  if (Array.isArray(schema)) {
    schema.forEach((branch) => namedTypes(branch, named, namespace));
    return named;
  }
  const type = schema.type;
  if ((type === 'record' || type === 'enum' || type === 'fixed') && typeof schema.name === 'string') {
    const space = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    const full = schema.name.includes('.') ? schema.name : space ? `${space}.${schema.name}` : schema.name;
    named.set(full, schema);
    named.set(full.slice(full.lastIndexOf('.') + 1), schema);
    if (type === 'record') {
      for (const field of schema.fields as AvroField[])
        namedTypes(field.type, named, full.slice(0, full.lastIndexOf('.')));
    }
    return named;
  }
  if (type === 'array') namedTypes(schema.items as Avro, named, namespace);
  else if (type === 'map') namedTypes(schema.values as Avro, named, namespace);
  else if (typeof type !== 'string' || !PRIMITIVE.has(type)) namedTypes(type, named, namespace);
  return named;
}

const PRIMITIVE = new Set(['null', 'string', 'boolean', 'int', 'long', 'float', 'double', 'bytes']);

export function formType(schema: Avro, named: NamedTypes): FormType {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'string':
        return { kind: 'string' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'bytes':
        return { kind: 'bytes' };
      case 'int':
      case 'long':
        return { kind: 'number', integer: true };
      case 'float':
      case 'double':
        return { kind: 'number', integer: false };
      default: {
        const known = named.get(schema);
        if (!known) throw new Error(`unknown Avro type ${schema}`);
        return formType(known, named);
      }
    }
  }
  if (Array.isArray(schema)) {
    const branches = schema.filter((branch) => branch !== 'null');
    if (branches.length === 1 && branches.length < schema.length)
      return { kind: 'nullable', inner: branches[0]! };
    if (branches.length === 1) return formType(branches[0]!, named);
    return { kind: 'union', branches: schema };
  }
  switch (schema.type) {
    case 'record':
      return { kind: 'record', name: String(schema.name), fields: schema.fields as AvroField[] };
    case 'enum':
      return { kind: 'enum', symbols: schema.symbols as string[] };
    case 'array':
      return { kind: 'array', items: schema.items as Avro };
    case 'map':
      return { kind: 'map', values: schema.values as Avro };
    case 'fixed':
      return { kind: 'bytes' };
    default:
      // A logical type or a nested type name: the form follows its underlying type.
      return formType(schema.type, named);
  }
}

/** The value a new form starts with: defaults where the schema has them, else an empty value of the type. */
export function initialValue(schema: Avro, named: NamedTypes, fallback?: { default?: unknown }): unknown {
  if (fallback && 'default' in fallback) return structuredClone(fallback.default);
  const type = formType(schema, named);
  switch (type.kind) {
    case 'string':
    case 'bytes':
      return '';
    case 'boolean':
      return false;
    case 'number':
      return 0;
    case 'enum':
      return type.symbols[0] ?? '';
    case 'record':
      return Object.fromEntries(
        type.fields.map((field) => [field.name, initialValue(field.type, named, field)]),
      );
    case 'array':
      return [];
    case 'map':
      return {};
    case 'nullable':
      return null;
    case 'union':
      return null;
  }
}
