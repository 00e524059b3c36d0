import avsc from 'avsc';
import type { RecordType, SchemaCatalog } from './schemaCatalog.js';
import type { RecordValue, Upcasters } from './upcasters.js';
import { decodeWire } from './wireFormat.js';

export interface DecodedRecord {
  /** Full name of the record type, e.g. `kes.orders.OrderPlaced`. */
  type: string;
  /** Registry id of the schema the value was written with. */
  schemaId: number;
  /** Which catalog version the writer schema is; undefined for a schema the catalog lacks. */
  writerVersion: number | undefined;
  /** The current version, whose shape `value` has. */
  version: number;
  /** The value in the current schema's shape (timestamps as epoch milliseconds). */
  value: RecordValue;
}

/** The writer schema of a registry id, as an avsc type (the registry client caches them). */
export type WriterSchemas = (schemaId: number) => Promise<avsc.Type>;

export class UnknownRecordTypeError extends Error {
  override readonly name = 'UnknownRecordTypeError';
}

interface Reader {
  type: RecordType;
  reader: avsc.Type;
  /** Catalog version by the Parsing Canonical Form fingerprint of its schema. */
  versions: Map<string, number>;
}

/**
 * Decodes Confluent-framed Avro into the current version of its record type: Avro resolution
 * from the writer schema to the catalog's current schema, then the upcasters of the writer's
 * version. The writer's version is found by comparing its schema with the catalog's versions
 * (Parsing Canonical Form, so docs and defaults do not matter), which keeps it independent of
 * the version numbers a given registry happened to assign.
 *
 * Resolvers are cached per (writer id, reader schema): building one compiles code, and the
 * registry client on its own builds one per message.
 */
export class RecordDecoder {
  private readonly readers = new Map<string, Reader>();
  private readonly resolvers = new Map<number, WeakMap<avsc.Type, avsc.Resolver>>();
  /** How many resolvers were built so far. */
  resolversBuilt = 0;

  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly upcasters: Upcasters,
    private readonly writerSchemas: WriterSchemas,
  ) {}

  async decode(buffer: Buffer): Promise<DecodedRecord> {
    const { schemaId, body } = decodeWire(buffer);
    return this.decodeBody(schemaId, await this.writerSchemas(schemaId), body);
  }

  /** Decodes an Avro body written with `writer`, whose registry id is `schemaId`. */
  decodeBody(schemaId: number, writer: avsc.Type, body: Buffer): DecodedRecord {
    const { type, reader, versions } = this.readerOf(writer);
    const value = reader.fromBuffer(body, this.resolver(schemaId, reader, writer)) as RecordValue;
    const writerVersion = versions.get(fingerprint(writer));
    const current = type.versions.at(-1)!.version;
    return {
      type: type.fullName,
      schemaId,
      writerVersion,
      version: current,
      value: this.upcasters.apply(type.fullName, writerVersion, current, value),
    };
  }

  private readerOf(writer: avsc.Type): Reader {
    const name = writer.name;
    const cached = name === undefined ? undefined : this.readers.get(name);
    if (cached) return cached;
    const type = name === undefined ? undefined : this.catalog.get(name);
    if (!type || name === undefined) {
      throw new UnknownRecordTypeError(`no schema for record type ${name ?? '(unnamed)'} in the catalog`);
    }
    const versions = new Map<string, number>();
    for (const v of type.versions) versions.set(fingerprint(parse(v.text)), v.version);
    const reader: Reader = { type, reader: parse(type.versions.at(-1)!.text), versions };
    this.readers.set(name, reader);
    return reader;
  }

  private resolver(schemaId: number, reader: avsc.Type, writer: avsc.Type): avsc.Resolver {
    let byReader = this.resolvers.get(schemaId);
    if (!byReader) this.resolvers.set(schemaId, (byReader = new WeakMap()));
    let resolver = byReader.get(reader);
    if (!resolver) {
      byReader.set(reader, (resolver = reader.createResolver(writer)));
      this.resolversBuilt++;
    }
    return resolver;
  }
}

/** Parses a schema as the decoder reads it: timestamps stay epoch milliseconds. */
export function parse(text: string): avsc.Type {
  return avsc.Type.forSchema(JSON.parse(text) as avsc.Schema, { registry: {} });
}

/** Fingerprints per type object: a writer schema is fingerprinted once, not for every record. */
const fingerprints = new WeakMap<avsc.Type, string>();

function fingerprint(type: avsc.Type): string {
  let value = fingerprints.get(type);
  if (value === undefined) {
    value = type.fingerprint('sha256').toString('hex');
    fingerprints.set(type, value);
  }
  return value;
}
