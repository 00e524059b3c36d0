import { COMPATIBILITY, type SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type avsc from 'avsc';
import { recordName } from '../domain/domainRecord.js';
import { runtimeTopics } from '../topology/runtimeTopics.js';
import { loadSchemaCatalog } from './loadSchemaCatalog.js';
import { type DecodedRecord, RecordDecoder } from './recordDecoder.js';
import { type SchemaCatalog, subjectName } from './schemaCatalog.js';
import { type RecordValue, type UpcasterEntry, Upcasters } from './upcasters.js';

export interface SerdeOptions {
  /** A @kafkajs/confluent-schema-registry client for the registry (embedded or Confluent's). */
  registry: SchemaRegistry;
  /** The application's schemas with the runtime's (loadSchemaCatalog). */
  catalog: SchemaCatalog;
  /** How records written with older schemas are read; default none. */
  upcasters?: Upcasters;
}

/** What a decider says of its record types: its domain, its commands and its events. */
export interface SchemaOwner {
  readonly domain: string;
  readonly commandTypes: readonly string[];
  readonly eventTypes: readonly string[];
}

/** The topics of each domain's record types: commands on `<domain>.commands`, events on `<domain>.events`. */
export function schemaTopics(owners: readonly SchemaOwner[]): Record<string, string[]> {
  return Object.fromEntries(
    owners.flatMap(({ domain, commandTypes, eventTypes }) => [
      [`${domain}.commands`, commandTypes.map((t) => recordName(domain, t))],
      [`${domain}.events`, eventTypes.map((t) => recordName(domain, t))],
    ]),
  );
}

/** What the serde needs of an application: its schemas, their upcasters, its deciders and name. */
export interface SchemaApplication {
  readonly schemas: string;
  readonly upcasters: readonly UpcasterEntry[];
  readonly deciders: readonly SchemaOwner[];
  readonly topology: { readonly applicationId: string };
}

/**
 * An application's schema catalog: the schemas of `dir` (default its own) with the runtime's, each
 * type on the topics its decider gives it, the command result on the application's results topic.
 */
export function applicationCatalog(application: SchemaApplication, dir = application.schemas): SchemaCatalog {
  return loadSchemaCatalog(
    dir,
    schemaTopics(application.deciders),
    runtimeTopics(application.topology.applicationId).commandResults,
  );
}

export interface RegisteredSchema {
  subject: string;
  /** The catalog version registered. */
  version: number;
  /** The registry's id for it. */
  id: number;
}

/**
 * Record values in Confluent's wire format, through @kafkajs/confluent-schema-registry. Each
 * record type has a subject per topic, `<topic>-<full name>`, with compatibility
 * BACKWARD_TRANSITIVE: the newest schema reads every event ever written, which replay needs.
 * Encoding writes with the current schema; decoding reads any registered writer schema into the
 * current one (see RecordDecoder).
 */
export class Serde {
  readonly catalog: SchemaCatalog;
  readonly decoder: RecordDecoder;
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, Promise<number>>();

  /**
   * The serde of an application: its schemas directory (with the runtime's schemas, each type on
   * the topics its deciders give it) and its upcasters.
   */
  static forApplication(application: SchemaApplication, registry: SchemaRegistry): Serde {
    return new Serde({
      registry,
      catalog: applicationCatalog(application),
      upcasters: new Upcasters([...application.upcasters]),
    });
  }

  constructor(options: SerdeOptions) {
    this.registry = options.registry;
    this.catalog = options.catalog;
    this.decoder = new RecordDecoder(
      this.catalog,
      options.upcasters ?? new Upcasters(),
      async (id) => (await this.registry.getSchema(id)) as unknown as avsc.Type,
    );
  }

  /**
   * Registers every version of every schema in the catalog, oldest first, under its subjects
   * with BACKWARD_TRANSITIVE. Registering what is registered already changes nothing.
   */
  async registerAll(): Promise<RegisteredSchema[]> {
    const registered: RegisteredSchema[] = [];
    for (const { subject, type } of this.catalog.subjects()) {
      for (const { version, text } of type.versions) {
        const { id } = await this.registry.register(
          { type: SchemaType.AVRO, schema: text },
          { subject, compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE },
        );
        registered.push({ subject, version, id });
      }
      this.ids.set(subject, Promise.resolve(registered.at(-1)!.id));
    }
    return registered;
  }

  /** The registry id of a type's current schema on a topic (looked up once, then cached). */
  schemaId(topic: string, typeName: string): Promise<number> {
    const subject = subjectName(topic, typeName);
    let id = this.ids.get(subject);
    if (!id) {
      const type = this.catalog.get(typeName);
      if (!type || !type.topics.includes(topic)) {
        return Promise.reject(new Error(`${typeName} is not a record type of ${topic}`));
      }
      id = this.registry.getRegistryIdBySchema(subject, {
        type: SchemaType.AVRO,
        schema: type.versions.at(-1)!.text,
      });
      id.catch(() => this.ids.delete(subject)).catch(() => undefined);
      this.ids.set(subject, id);
    }
    return id;
  }

  /** Encodes a value of a record type for a topic with the type's current schema. */
  async encode(topic: string, typeName: string, value: RecordValue): Promise<Buffer> {
    return this.registry.encode(await this.schemaId(topic, typeName), value);
  }

  /** Decodes a value into its type's current schema, upcasters applied. */
  decode(buffer: Buffer): Promise<DecodedRecord> {
    return this.decoder.decode(buffer);
  }
}
