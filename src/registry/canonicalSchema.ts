/**
 * The text a schema is stored, compared and returned as: Java Avro's `Schema.toString()` form,
 * which is what Confluent's registry keeps. Compact JSON with every key in Java's order, names
 * written relative to the enclosing namespace, and a type defined once then referred to by name.
 * Unlike Avro's Parsing Canonical Form it keeps doc, defaults, aliases, order, logical types and
 * custom properties: two schemas with the same text here are the same registered schema.
 *
 * Expects a schema that already parsed (see avroSchema.ts); it does not validate.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const SCHEMA_RESERVED = new Set([
  'doc',
  'fields',
  'items',
  'name',
  'namespace',
  'size',
  'symbols',
  'values',
  'type',
  'aliases',
]);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);

/** The canonical text of a schema given as JSON text. */
export function canonicalSchema(text: string): string {
  return JSON.stringify(canonicalSchemaJson(JSON.parse(text) as Json));
}

/** The canonical form of a parsed schema, as JSON (stringify it for the text). */
export function canonicalSchemaJson(schema: Json): Json {
  return new Writer().write(schema, null);
}

interface Name {
  space: string | null;
  simple: string;
  full: string;
}

function nameOf(name: string, space: string | null): Name {
  const dot = name.lastIndexOf('.');
  if (dot >= 0) {
    const own = name.slice(0, dot);
    return { space: own === '' ? null : own, simple: name.slice(dot + 1), full: name };
  }
  const ns = space === '' ? null : space;
  return { space: ns, simple: name, full: ns === null ? name : `${ns}.${name}` };
}

/** A name as Java writes it where `space` is the enclosing namespace. */
function qualified(name: Name, space: string | null): string {
  return name.space === null || name.space === space ? name.simple : name.full;
}

class Writer {
  /** Full names of the named types written so far; later uses are references. */
  private readonly defined = new Map<string, Name>();

  write(schema: Json, space: string | null): Json {
    if (typeof schema === 'string') return this.reference(schema, space);
    if (Array.isArray(schema)) return schema.map((branch) => this.write(branch, space));
    if (schema === null || typeof schema !== 'object') return schema;
    const type = schema.type;
    if (typeof type !== 'string') return this.write(type ?? null, space);
    switch (type) {
      case 'record':
      case 'error':
        return this.record(schema, type, space);
      case 'enum':
        return this.named(schema, space, (out, own) => {
          if (typeof schema.doc === 'string') out.doc = schema.doc;
          out.symbols = schema.symbols ?? [];
          if (schema.default !== undefined) out.default = schema.default;
          copyProps(schema, out, ENUM_RESERVED);
          addAliases(schema, out, own);
        });
      case 'fixed':
        return this.named(schema, space, (out, own) => {
          if (typeof schema.doc === 'string') out.doc = schema.doc;
          out.size = schema.size ?? null;
          copyProps(schema, out, SCHEMA_RESERVED);
          addAliases(schema, out, own);
        });
      case 'array': {
        const out: JsonObject = { type, items: this.write(schema.items ?? null, space) };
        return copyProps(schema, out, SCHEMA_RESERVED);
      }
      case 'map': {
        const out: JsonObject = { type, values: this.write(schema.values ?? null, space) };
        return copyProps(schema, out, SCHEMA_RESERVED);
      }
      default: {
        if (!PRIMITIVES.has(type)) return this.reference(type, space);
        const out = copyProps(schema, { type }, SCHEMA_RESERVED);
        return Object.keys(out).length === 1 ? type : out;
      }
    }
  }

  private reference(name: string, space: string | null): Json {
    if (PRIMITIVES.has(name)) return name;
    // Java looks a bare name up in the enclosing namespace first, then in the null namespace.
    const inSpace = this.defined.get(nameOf(name, space).full);
    const found = inSpace ?? this.defined.get(nameOf(name, null).full);
    return found ? qualified(found, space) : name;
  }

  private record(schema: JsonObject, type: string, space: string | null): Json {
    return this.named(
      schema,
      space,
      (out, own) => {
        if (typeof schema.doc === 'string') out.doc = schema.doc;
        const fields = Array.isArray(schema.fields) ? schema.fields : [];
        out.fields = fields.map((field) => this.field(field as JsonObject, own.space));
        copyProps(schema, out, SCHEMA_RESERVED);
        addAliases(schema, out, own);
      },
      type,
    );
  }

  private field(field: JsonObject, space: string | null): Json {
    const out: JsonObject = { name: field.name ?? null, type: this.write(field.type ?? null, space) };
    if (typeof field.doc === 'string') out.doc = field.doc;
    if (field.default !== undefined) out.default = field.default;
    if (typeof field.order === 'string' && field.order !== 'ascending') out.order = field.order;
    if (Array.isArray(field.aliases) && field.aliases.length > 0) out.aliases = field.aliases;
    return copyProps(field, out, FIELD_RESERVED);
  }

  /** A named type: its definition the first time, a reference afterwards. */
  private named(
    schema: JsonObject,
    space: string | null,
    body: (out: JsonObject, own: Name) => void,
    type = schema.type as string,
  ): Json {
    const declared = typeof schema.namespace === 'string' ? schema.namespace : space;
    const own = nameOf(String(schema.name), declared);
    if (this.defined.has(own.full)) return qualified(own, space);
    this.defined.set(own.full, own);
    const out: JsonObject = { type, name: own.simple };
    if (own.space !== null) {
      if (own.space !== space) out.namespace = own.space;
    } else if (space !== null) {
      out.namespace = '';
    }
    body(out, own);
    return out;
  }
}

function copyProps(from: JsonObject, to: JsonObject, reserved: Set<string>): JsonObject {
  for (const [key, value] of Object.entries(from)) {
    if (!reserved.has(key)) to[key] = value;
  }
  return to;
}

function addAliases(schema: JsonObject, out: JsonObject, own: Name): void {
  if (!Array.isArray(schema.aliases) || schema.aliases.length === 0) return;
  out.aliases = schema.aliases.map((alias) => qualified(nameOf(String(alias), own.space), own.space));
}
