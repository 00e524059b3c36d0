import type { CommandSender } from '../commands/commandSender.js';
import type { Decider } from '../domain/decider.js';
import type { RejectionCatalog } from '../domain/rejectionCatalog.js';
import type { AccessRules } from '../http/accessPolicy.js';
import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import type { UpcasterEntry } from '../serde/upcasters.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { ReadView } from '../views/readSide.js';

export type { AccessRules } from '../http/accessPolicy.js';

/** What an application's processors are built with. */
export interface ApplicationContext {
  readonly serde: Serde;
  /** Validates and addresses the commands sagas and policies send. */
  readonly sender: CommandSender;
  /** How long, and how many, command results the command handlers remember (idempotency). */
  readonly idempotency: IdempotencyWindow;
  /** The application's settings from the environment (e.g. a policy's base URL). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The idempotency window: a command sent again within it is answered with its first result; one
 * sent again after it is processed again. Per task (one partition of a domain's commands).
 */
export interface IdempotencyWindow {
  /** How long a result is remembered after its command; default 24 hours. */
  readonly retentionMs?: number;
  /** How many results a task remembers at most (the oldest are forgotten first); default no limit. */
  readonly maxResults?: number;
}

/**
 * An application kes runs, handed in by its author (ApplicationBuilder builds one): its topology,
 * derived from its definitions, the code of each processor, its deciders, schemas, upcasters,
 * views, access rules and the commands clients may send. The runtime knows nothing else of the
 * domain.
 */
export interface KesApplication {
  readonly topology: TopologySpec;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly deciders: readonly Decider<any, any, any>[];
  /** Each domain's rejection codes with their descriptions. */
  readonly rejections: Readonly<Record<string, RejectionCatalog>>;
  /** The commands of POST /commands/{type}; the others are sent by sagas and policies only. */
  readonly publicCommands: readonly string[];
  /** The views by name: queried over HTTP, rebuilt blue/green (their processors are built per generation). */
  readonly views: ReadonlyMap<string, ReadView>;
  /** The directory of its Avro schemas. */
  readonly schemas: string;
  readonly upcasters: readonly UpcasterEntry[];
  /** What customers may call when the API requires tokens. */
  readonly access: AccessRules;
  /** Every processor of the topology that is not part of a view, by its topology name. */
  processors(context: ApplicationContext): Processor[];
}
