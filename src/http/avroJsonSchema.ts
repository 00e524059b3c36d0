/** A JSON Schema (the subset OpenAPI 3 uses). */
export type JsonSchema = Record<string, unknown>;

type Avro = string | Avro[] | { type: string; [k: string]: unknown };

const PRIMITIVES: Record<string, JsonSchema> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  int: { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  long: { type: 'integer' },
  float: { type: 'number' },
  double: { type: 'number' },
  bytes: { type: 'string' },
  null: { type: 'null' },
};

/**
 * The JSON Schema of the JSON form of an Avro schema, as the HTTP API takes commands: records are
 * objects with every field without a default required and no other fields, a union with null is
 * nullable. For documentation (OpenAPI); the Avro schema itself validates.
 */
export function avroJsonSchema(avro: Avro, named = new Map<string, JsonSchema>()): JsonSchema {
  if (typeof avro === 'string') {
    const primitive = PRIMITIVES[avro];
    if (primitive) return { ...primitive };
    const known = named.get(avro) ?? named.get(avro.slice(avro.lastIndexOf('.') + 1));
    if (!known) throw new Error(`unknown Avro type ${avro}`);
    return known;
  }
  if (Array.isArray(avro)) {
    const branches = avro.filter((b) => b !== 'null');
    const nullable = branches.length < avro.length;
    const schema =
      branches.length === 1
        ? avroJsonSchema(branches[0]!, named)
        : { oneOf: branches.map((b) => avroJsonSchema(b, named)) };
    return nullable ? { ...schema, nullable: true } : schema;
  }
  const doc = typeof avro.doc === 'string' ? { description: avro.doc } : {};
  switch (avro.type) {
    case 'record': {
      const fields = avro.fields as { name: string; type: Avro; doc?: string; default?: unknown }[];
      const schema: JsonSchema = {
        type: 'object',
        ...doc,
        properties: Object.fromEntries(
          fields.map((f) => [
            f.name,
            { ...avroJsonSchema(f.type, named), ...(f.doc ? { description: f.doc } : {}) },
          ]),
        ),
        required: fields.filter((f) => !('default' in f)).map((f) => f.name),
        additionalProperties: false,
      };
      named.set(avro.name as string, schema);
      return schema;
    }
    case 'array':
      return { type: 'array', ...doc, items: avroJsonSchema(avro.items as Avro, named) };
    case 'map':
      return { type: 'object', ...doc, additionalProperties: avroJsonSchema(avro.values as Avro, named) };
    case 'enum':
      return { type: 'string', ...doc, enum: avro.symbols };
    case 'fixed':
      return { type: 'string', ...doc };
    default:
      return { ...avroJsonSchema(avro.type as Avro, named), ...doc };
  }
}
