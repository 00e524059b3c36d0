import type { KesRecord } from '../processor/kesRecord.js';
import { CloudEventHeaders } from './cloudEvents.js';
import type { ResultCode } from './commandResult.js';
import { aggregateIdProblem, commandIdProblem } from './idRules.js';

/**
 * A command record the command handler refuses for what addresses it, not for what it asks: no
 * key, a key or a command id that breaks the id rules (idRules.ts), a key that is not the
 * aggregate id the command names. Records sent through CommandSender never are; these come from
 * producers that write `<domain>.commands` directly. Permanent: sent again, the record fails
 * again, so it goes to the dead-letter topic with a FAILED result carrying `resultCode`, and
 * changes no state.
 */
export abstract class InvalidCommandRecordError extends Error {
  abstract readonly resultCode: ResultCode;
}

/**
 * A command record without a key. The key is the aggregate id: it decides the partition, and so
 * the task holding the aggregate; a record without one lands anywhere, and deciding it there
 * would split the aggregate's state across partitions.
 */
export class KeylessCommandError extends InvalidCommandRecordError {
  override readonly name = 'KeylessCommandError';
  readonly resultCode = 'KEYLESS_COMMAND';
}

/** A command record whose key breaks the aggregate id rules, or is not the command's aggregate id. */
export class InvalidAggregateIdError extends InvalidCommandRecordError {
  override readonly name = 'InvalidAggregateIdError';
  readonly resultCode = 'INVALID_AGGREGATE_ID';
}

/** A command record whose id (its `ce_id` header) breaks the command id rules. */
export class InvalidCommandIdError extends InvalidCommandRecordError {
  override readonly name = 'InvalidCommandIdError';
  readonly resultCode = 'INVALID_COMMAND_ID';
}

/** The aggregate id of a command record (its key), or the InvalidCommandRecordError it is refused with. */
export function checkCommandRecord(record: KesRecord): string {
  const key = record.key;
  if (key === null) {
    throw new KeylessCommandError('a command record without a key: the key is the aggregate id');
  }
  const keyProblem = aggregateIdProblem(key);
  if (keyProblem) throw new InvalidAggregateIdError(`the record's key: ${keyProblem}`);
  // Without an id, the record's position stands for one (commandMeta).
  const commandId = record.headers[CloudEventHeaders.id];
  const idProblem = commandId === undefined ? undefined : commandIdProblem(commandId);
  if (idProblem) throw new InvalidCommandIdError(`the record's ${CloudEventHeaders.id}: ${idProblem}`);
  return key;
}
