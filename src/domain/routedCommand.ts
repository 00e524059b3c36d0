import type { DomainName } from './domainRecord.js';

/**
 * A command a policy or saga sends to a domain, with its destination and its deterministic id.
 * `Command` is the domain's command union (`{ type, data }`).
 */
export interface RoutedCommand<Command extends { type: string } = { type: string; data: unknown }> {
  /** Where the command goes: `<domain>.commands`. */
  readonly domain: DomainName;
  /** Its key there: the aggregate the command addresses. */
  readonly aggregateId: string;
  /**
   * Derived from the input only, so a policy that processes the same input again (after a crash)
   * emits the same id, and the command handler's idempotency by command id drops the repeat.
   */
  readonly commandId: string;
  readonly command: Command;
}
