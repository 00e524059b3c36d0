import { describe, expect, it } from 'vitest';
import { TRANSFER_DECLINE_REASONS, type TransferDeclineReason } from '../accounts/accountEvents.js';
import { MAX_AMOUNT } from '../accounts/decideAccount.js';
import { deciderSpecification } from '../../../src/testing/index.js';
import type { RequestTransfer, TransferCommand } from './transferCommands.js';
import { transferDecider } from './transferDecider.js';
import type { TransferEvent } from './transferEvents.js';
import { TRANSFER_REJECTIONS } from './transferRejections.js';

const spec = deciderSpecification(transferDecider, { rejections: TRANSFER_REJECTIONS });
const { given } = spec;

const transferId = 'T-1';
const MAX = MAX_AMOUNT;
const details = { transferId, fromAccountId: 'A-1', toAccountId: 'A-2', amount: 2_500 };

const request = (data: Partial<RequestTransfer['data']> = {}): TransferCommand => ({
  type: 'RequestTransfer',
  data: { ...details, ...data },
});
const complete: TransferCommand = { type: 'CompleteTransfer', data: { transferId } };
const fail = (reason: TransferDeclineReason, refunded: boolean): TransferCommand => ({
  type: 'FailTransfer',
  data: { transferId, reason, refunded },
});

const requested: TransferEvent = { type: 'TransferRequested', data: details };
const completed: TransferEvent = { type: 'TransferCompleted', data: { transferId } };
const failed = (reason: TransferDeclineReason, refunded: boolean): TransferEvent => ({
  type: 'TransferFailed',
  data: { transferId, reason, refunded },
});

describe('transfer decider', () => {
  it('addresses the transfer', () => {
    expect(transferDecider.aggregateIdOf(request())).toBe(transferId);
    expect(transferDecider.aggregateIdOf(fail('UNKNOWN_ACCOUNT', false))).toBe(transferId);
  });

  describe('RequestTransfer', () => {
    it('requests the transfer', () => {
      const state = given([]).when(request()).then([requested]);
      expect(state).toStrictEqual({ status: 'REQUESTED', ...details, failure: null });
    });

    it('accepts any amount from 1 cent up to the largest exact amount', () => {
      for (const amount of [1, MAX]) {
        given([])
          .when(request({ amount }))
          .then([{ type: 'TransferRequested', data: { ...details, amount } }]);
      }
    });

    it('answers the same request again with nothing, whatever became of the transfer', () => {
      for (const history of [
        [requested],
        [requested, completed],
        [requested, failed('ACCOUNT_CLOSED', true)],
      ]) {
        given(history).when(request()).thenNothing();
      }
    });

    it('rejects a request of the same id with other details', () => {
      for (const other of [{ fromAccountId: 'A-3' }, { toAccountId: 'A-3' }, { amount: 2_501 }]) {
        given([requested]).when(request(other)).thenRejects('TRANSFER_ID_TAKEN', /T-1/);
      }
      given([requested, completed])
        .when(request({ amount: 1 }))
        .thenRejects('TRANSFER_ID_TAKEN');
    });

    it('rejects a transfer without an id, a source or a target', () => {
      for (const bad of [
        { transferId: '' },
        { transferId: '  ' },
        { fromAccountId: '' },
        { toAccountId: '' },
      ]) {
        given([]).when(request(bad)).thenRejects('INVALID_TRANSFER');
      }
    });

    it('rejects a transfer from an account to itself', () => {
      given([])
        .when(request({ toAccountId: 'A-1' }))
        .thenRejects('INVALID_TRANSFER', /A-1 to itself/);
    });

    it('rejects an amount below 1 cent, fractional or not exact', () => {
      for (const amount of [0, -1, 0.5, MAX + 1, Number.NaN]) {
        given([]).when(request({ amount })).thenRejects('INVALID_AMOUNT');
      }
    });
  });

  describe('CompleteTransfer', () => {
    it('completes a requested transfer', () => {
      const state = given([requested]).when(complete).then([completed]);
      expect(state).toStrictEqual({ status: 'COMPLETED', ...details, failure: null });
    });

    it('answers a second completion with nothing', () => {
      given([requested, completed]).when(complete).thenNothing();
    });

    it('rejects the completion of a failed transfer', () => {
      given([requested, failed('INSUFFICIENT_FUNDS', false)])
        .when(complete)
        .thenRejects('TRANSFER_SETTLED', /T-1 is failed/);
    });

    it('rejects a transfer never requested', () => {
      given([]).when(complete).thenRejects('UNKNOWN_TRANSFER', /T-1/);
    });
  });

  describe('FailTransfer', () => {
    it('fails a requested transfer for every reason, refunded or not', () => {
      for (const reason of TRANSFER_DECLINE_REASONS) {
        for (const refunded of [false, true]) {
          const state = given([requested])
            .when(fail(reason, refunded))
            .then([failed(reason, refunded)]);
          expect(state).toStrictEqual({ status: 'FAILED', ...details, failure: { reason, refunded } });
        }
      }
    });

    it('answers a second failure with nothing, and keeps the first one’s reason', () => {
      given([requested, failed('UNKNOWN_ACCOUNT', true)])
        .when(fail('UNKNOWN_ACCOUNT', true))
        .thenNothing();
      const state = given([requested, failed('UNKNOWN_ACCOUNT', true)])
        .when(fail('INSUFFICIENT_FUNDS', false))
        .thenNothing();
      expect(state).toMatchObject({ failure: { reason: 'UNKNOWN_ACCOUNT', refunded: true } });
    });

    it('rejects the failure of a completed transfer', () => {
      given([requested, completed])
        .when(fail('ACCOUNT_CLOSED', true))
        .thenRejects('TRANSFER_SETTLED', /T-1 is completed/);
    });

    it('rejects a transfer never requested', () => {
      given([]).when(fail('INSUFFICIENT_FUNDS', false)).thenRejects('UNKNOWN_TRANSFER');
    });
  });

  it('has specs for every rejection code of its catalog', () => {
    expect([...spec.rejectionsSeen].sort()).toStrictEqual(Object.keys(TRANSFER_REJECTIONS).sort());
  });
});
