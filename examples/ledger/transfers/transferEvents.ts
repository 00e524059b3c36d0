import type { DomainRecord, ListsEvery } from '../../../src/index.js';
import type { TransferDeclineReason } from '../accounts/accountEvents.js';

// Fields as in schemas/transfers/<Type>.avsc (the schema test checks them).

export type TransferRequested = DomainRecord<
  'TransferRequested',
  {
    readonly transferId: string;
    readonly fromAccountId: string;
    readonly toAccountId: string;
    readonly amount: number;
  }
>;

export type TransferCompleted = DomainRecord<'TransferCompleted', { readonly transferId: string }>;

export type TransferFailed = DomainRecord<
  'TransferFailed',
  { readonly transferId: string; readonly reason: TransferDeclineReason; readonly refunded: boolean }
>;

export type TransferEvent = TransferRequested | TransferCompleted | TransferFailed;

export const TRANSFER_EVENT_TYPES = [
  'TransferRequested',
  'TransferCompleted',
  'TransferFailed',
] as const satisfies readonly TransferEvent['type'][];

const _every: ListsEvery<TransferEvent['type'], typeof TRANSFER_EVENT_TYPES> = true;
