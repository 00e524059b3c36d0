import { describe, expect, it } from 'vitest';
import { TRANSFER_DECLINE_REASONS } from '../accounts/accountEvents.js';
import { readRecordSchema } from '../../testing/avroRecordSchema.js';
import {
  enumSymbols,
  expectRecordsMatchSchemas,
  type RecordSamples,
} from '../../testing/recordConformance.js';
import { TRANSFER_COMMAND_TYPES, type TransferCommand } from './transferCommands.js';
import { TRANSFER_EVENT_TYPES, type TransferEvent } from './transferEvents.js';

const transfer = { transferId: 'T-1', fromAccountId: 'A-1', toAccountId: 'A-2', amount: 2500 };
const failure = { transferId: 'T-1', reason: 'ACCOUNT_CLOSED', refunded: true } as const;

const commands: RecordSamples<TransferCommand> = {
  RequestTransfer: transfer,
  CompleteTransfer: { transferId: 'T-1' },
  FailTransfer: failure,
};

const events: RecordSamples<TransferEvent> = {
  TransferRequested: transfer,
  TransferCompleted: { transferId: 'T-1' },
  TransferFailed: failure,
};

describe('transfer records', () => {
  it('have the fields of their schemas', () => {
    expectRecordsMatchSchemas('transfers', commands, events);
  });

  it('list their types in the order the decider does (the order of their topics)', () => {
    expect(Object.keys(commands)).toStrictEqual([...TRANSFER_COMMAND_TYPES]);
    expect(Object.keys(events)).toStrictEqual([...TRANSFER_EVENT_TYPES]);
  });

  it('name the decline reasons as the Avro enum kes.transfers.TransferDeclineReason does, as accounts do', () => {
    for (const type of ['FailTransfer', 'TransferFailed']) {
      const schema = readRecordSchema('transfers', type);
      expect(enumSymbols(schema, 'reason'), type).toStrictEqual([...TRANSFER_DECLINE_REASONS]);
      expect(schema.fields.find((field) => field.name === 'reason')?.type, type).toMatchObject({
        name: 'TransferDeclineReason',
        namespace: 'kes.transfers',
      });
    }
    expect(enumSymbols(readRecordSchema('transfers', 'TransferFailed'), 'reason')).toStrictEqual(
      enumSymbols(readRecordSchema('accounts', 'TransferCreditDeclined'), 'reason'),
    );
  });
});
