import type { CommandSender } from '../commands/commandSender.js';
import type { Processor } from '../processor/processor.js';
import type { Serde } from '../serde/serde.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { ReadView } from '../views/readSide.js';

/** What an application's processors are built with. */
export interface ApplicationContext {
  readonly serde: Serde;
  /** Validates and addresses the commands sagas and policies send. */
  readonly sender: CommandSender;
  /** Where invoices are published (the invoicing policy's setting). */
  readonly invoiceBaseUrl: string;
  /** How long, and how many, command results the command handlers remember (idempotency). */
  readonly idempotency: IdempotencyWindow;
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
 * An application kes runs: its topology (topics and processors, declared), the code of each
 * processor, its views and the commands clients may send. The runtime knows nothing else of the
 * domain: adding a domain changes the application (topology/application.ts), not the runtime.
 */
export interface KesApplication {
  readonly topology: TopologySpec;
  /** The commands of POST /commands/{type}; the others are sent by sagas and policies only. */
  readonly publicCommands: readonly string[];
  /** The views by name: queried over HTTP, rebuilt blue/green (their processors are built per generation). */
  readonly views: ReadonlyMap<string, ReadView>;
  /** Every processor of the topology that is not part of a view, by its topology name. */
  processors(context: ApplicationContext): Processor[];
}
