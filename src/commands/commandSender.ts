import { randomUUID } from 'node:crypto';
import avsc from 'avsc';
import type { Producer } from 'kafkajs';
import type { Decider, RelatedId } from '../domain/decider.js';
import { type DomainName, recordName } from '../domain/domainRecord.js';
import type { OutputRecord } from '../processor/kesRecord.js';
import { parse } from '../serde/recordDecoder.js';
import type { Serde } from '../serde/serde.js';
import type { RecordValue } from '../serde/upcasters.js';
import { cloudEventHeaders } from './cloudEvents.js';
import { aggregateIdProblem, commandIdProblem } from './idRules.js';

/** A command as a client sends it: its short type name and its fields. */
export interface CommandInput {
  readonly type: string;
  readonly data: unknown;
  /** Default: a new UUID. Sending the same id again is answered with the first result. */
  readonly commandId?: string;
  readonly expectedVersion?: number;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** The CloudEvents source: who sends it (default /kes). */
  readonly source?: string;
}

export type CommandInputErrorCode = 'UNKNOWN_COMMAND' | 'INVALID_PAYLOAD' | 'INVALID_ID';

/**
 * A command that cannot be sent: an unknown type, data its schema refuses, or an id the id rules
 * refuse (idRules.ts) — naming the field.
 */
export class CommandInputError extends Error {
  override readonly name = 'CommandInputError';

  constructor(
    readonly code: CommandInputErrorCode,
    message: string,
    /** The first offending field, as a dotted path (items.0.quantity). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PreparedCommand {
  readonly commandId: string;
  readonly domain: DomainName;
  readonly aggregateId: string;
  readonly record: OutputRecord & { readonly key: string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, any, any>;

/**
 * Turns commands into records of `<domain>.commands`: finds the domain whose decider handles the
 * type, checks the data against the type's current Avro schema (an invalid field is named), and
 * encodes it in the Confluent wire format with CloudEvents headers; the key is the aggregate id.
 */
export class CommandSender {
  private readonly schemas = new Map<string, avsc.Type>();

  constructor(
    private readonly serde: Serde,
    private readonly deciders: readonly AnyDecider[],
  ) {}

  /** The domains commands can be sent to. */
  get domains(): string[] {
    return this.deciders.map((d) => d.domain);
  }

  /** The domain of a command type, or undefined. */
  domainOf(type: string): DomainName | undefined {
    return this.deciders.find((d) => d.commandTypes.includes(type))?.domain;
  }

  async prepare(input: CommandInput): Promise<PreparedCommand> {
    const decider = this.deciders.find((d) => d.commandTypes.includes(input.type));
    if (!decider) throw new CommandInputError('UNKNOWN_COMMAND', `unknown command type ${input.type}`);
    const fullName = recordName(decider.domain, input.type);
    const problem = this.check(fullName, input.data);
    if (problem) throw new CommandInputError('INVALID_PAYLOAD', problem.message, problem.field);
    const data = input.data as RecordValue;
    const aggregateId = decider.aggregateIdOf({ type: input.type, data }) as string;
    const commandId = input.commandId ?? randomUUID();
    checkIds(decider, { type: input.type, data }, aggregateId, commandId);
    const topic = `${decider.domain}.commands`;
    return {
      commandId,
      domain: decider.domain,
      aggregateId,
      record: {
        topic,
        key: aggregateId,
        value: await this.serde.encode(topic, fullName, data),
        headers: cloudEventHeaders({
          id: commandId,
          type: fullName,
          source: input.source ?? '/kes',
          subject: aggregateId,
          time: Date.now(),
          correlationId: input.correlationId ?? commandId,
          ...(input.causationId !== undefined ? { causationId: input.causationId } : {}),
          ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
        }),
      },
    };
  }

  /** Prepares and produces a command; resolves with where it was written. */
  async send(producer: Producer, input: CommandInput) {
    const prepared = await this.prepare(input);
    const { record } = prepared;
    const [written] = await producer.send({
      topic: record.topic,
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: { ...record.headers } }],
    });
    return { ...prepared, partition: written!.partition, offset: written!.baseOffset! };
  }

  /** The first field the schema refuses, or undefined when the data fits it. */
  private check(fullName: string, data: unknown): { field: string; message: string } | undefined {
    const type = this.schema(fullName);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return { field: '(the command)', message: 'the command data must be a JSON object' };
    }
    let found: { field: string; message: string } | undefined;
    type.isValid(data, {
      errorHook: (path: string[], value: unknown, fieldType: avsc.Type) => {
        if (found) return;
        const field = path.join('.') || '(the command)';
        const expected = fieldType.typeName ?? String(fieldType);
        found = {
          field,
          message: `${field}: expected ${expected}, got ${JSON.stringify(value) ?? 'nothing'}`,
        };
      },
    });
    return found ?? undeclaredField(type, data, []);
  }

  /** The current schema of a command type (its fields, for documentation). */
  schemaText(type: string): string | undefined {
    const decider = this.deciders.find((d) => d.commandTypes.includes(type));
    return decider && this.serde.catalog.get(recordName(decider.domain, type))?.versions.at(-1)?.text;
  }

  private schema(fullName: string): avsc.Type {
    let type = this.schemas.get(fullName);
    if (!type) {
      const entry = this.serde.catalog.get(fullName);
      if (!entry) throw new CommandInputError('UNKNOWN_COMMAND', `no schema for ${fullName}`);
      type = parse(entry.versions.at(-1)!.text);
      this.schemas.set(fullName, type);
    }
    return type;
  }
}

/**
 * Throws INVALID_ID unless the command's ids keep the id rules (idRules.ts): its aggregate id,
 * the ids it leads to (`relatedIdsOf`), its command id. Each becomes a key, on a topic or in a
 * store: none is written unless all are valid.
 */
function checkIds(
  decider: AnyDecider,
  command: { type: string; data: RecordValue },
  aggregateId: string,
  commandId: string,
): void {
  const problem = aggregateIdProblem(aggregateId);
  if (problem) {
    const field = aggregateIdField(decider, command, aggregateId);
    throw new CommandInputError('INVALID_ID', `${field}: ${problem}`, field);
  }
  for (const related of (decider.relatedIdsOf?.(command) ?? []) as readonly RelatedId[]) {
    const problem = aggregateIdProblem(related.id);
    if (problem) {
      const what = related.as ? ` (${related.as}, ${JSON.stringify(related.id)})` : '';
      throw new CommandInputError('INVALID_ID', `${related.field}${what}: ${problem}`, related.field);
    }
  }
  const commandProblem = commandIdProblem(commandId);
  if (commandProblem) throw new CommandInputError('INVALID_ID', `commandId: ${commandProblem}`, 'commandId');
}

/**
 * The field a command's aggregate id is read from, to name it in an error: the top-level field
 * holding the id whose change changes the id (another field may hold the same value).
 */
function aggregateIdField(decider: AnyDecider, command: { type: string; data: RecordValue }, id: string) {
  for (const [field, value] of Object.entries(command.data as Record<string, unknown>)) {
    if (value !== id) continue;
    const changed = { ...command, data: { ...(command.data as object), [field]: `${id}.` } };
    if (decider.aggregateIdOf(changed) !== id) return field;
  }
  return '(the aggregate id)';
}

/** The first field of `value` its record schema does not declare (avsc ignores them otherwise). */
function undeclaredField(
  type: avsc.Type,
  value: unknown,
  path: string[],
): { field: string; message: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (type instanceof avsc.types.RecordType) {
    const fields = new Map(type.fields.map((f) => [f.name, f.type]));
    for (const [name, inner] of Object.entries(value)) {
      const fieldType = fields.get(name);
      const field = [...path, name].join('.');
      if (!fieldType) return { field, message: `${field}: not a field of ${type.name ?? 'the record'}` };
      const found = undeclaredField(fieldType, inner, [...path, name]);
      if (found) return found;
    }
  } else if (type instanceof avsc.types.ArrayType && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = undeclaredField(type.itemsType, item, [...path, String(i)]);
      if (found) return found;
    }
  }
  return undefined;
}
