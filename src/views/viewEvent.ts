import type { DomainName } from '../domain/domainRecord.js';

/** An event as a view sees it: decoded, with the metadata of its record. */
export interface ViewEvent {
  readonly domain: DomainName;
  /** The short type name, e.g. `OrderPlaced`. */
  readonly type: string;
  readonly aggregateId: string;
  /** The aggregate's version after this event (ce_sequence). */
  readonly sequence: number;
  /** When the event happened (ce_time), epoch ms. */
  readonly time: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * A view of the domain (a read model): which events it reads, which row each one changes, and how
 * — `evolve` is pure, like a decider's. A row is plain JSON. Returning undefined deletes the row.
 */
export interface ViewDefinition<Row> {
  /** The view's name in the API (`/views/<name>`). */
  readonly name: string;
  /** Full names of the event types it reads (kes.<domain>.<Type>). */
  readonly eventTypes: readonly string[];
  /** The key of the row an event changes (default: the event's aggregate id); undefined to skip it. */
  keyOf?(event: ViewEvent): string | undefined;
  evolve(row: Row | undefined, event: ViewEvent): Row | undefined;
  /** Whether queries show the row (default: always) — e.g. not before the event that creates it. */
  isVisible?(row: Row): boolean;
}
