import { defineErrorCatalog } from '../errors/errorCatalog.js';

/**
 * The outcome of one command (schemas/common/CommandResult.avsc), written to kes.command-results
 * keyed by command id in the same transaction as the command's events.
 */
export type CommandStatus = 'ACCEPTED' | 'REJECTED' | 'CONFLICT' | 'FAILED';

export interface EventPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface CommandResult {
  readonly commandId: string;
  readonly commandType: string;
  readonly aggregateId: string;
  readonly status: CommandStatus;
  /** The aggregate's version after the command; null when nothing was decided (FAILED). */
  readonly version: number | null;
  readonly eventCount: number;
  readonly events: readonly { readonly type: string; readonly id: string; readonly sequence: number }[];
  readonly position: EventPosition | null;
  readonly rejection: { readonly code: string; readonly message: string } | null;
  readonly processedAt: number;
}

export const COMMAND_RESULT_TYPE = 'kes.common.CommandResult';

/**
 * Codes of results that are not business rejections: VERSION_CONFLICT for CONFLICT, and for FAILED
 * why the command could not be processed.
 */
export const RESULT_CODES = defineErrorCatalog('command result codes', {
  VERSION_CONFLICT: 'the aggregate is not at the version the command expects',
  UNDECODABLE_COMMAND: 'the command record does not decode with its schema',
  /** A command record without a key (the aggregate id). */
  KEYLESS_COMMAND: 'the command record has no key',
  /** A command record whose key breaks the id rules, or is not the command's aggregate id. */
  INVALID_AGGREGATE_ID: "the command record's key is not a valid aggregate id, or not the command's",
  /** A command record whose ce_id breaks the id rules. */
  INVALID_COMMAND_ID: "the command record's ce_id breaks the command id rules",
  /**
   * The command handler threw on a decoded command: its decider threw, an event did not encode or
   * was too large, or the record's type is not a command of the domain.
   */
  HANDLER_EXCEPTION: 'the command handler threw',
});

export type ResultCode = keyof typeof RESULT_CODES;
