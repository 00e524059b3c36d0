import { describe, expect, it } from 'vitest';
import {
  canTransition,
  checkTransition,
  IllegalTransactionTransitionError,
  TransactionState,
} from './transactionState.js';

const { Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort } = TransactionState;

describe('transaction state machine', () => {
  it('allows the lifecycle Kafka allows', () => {
    for (const [from, to] of [
      [Empty, Ongoing],
      [Ongoing, PrepareCommit],
      [Ongoing, PrepareAbort],
      [PrepareCommit, CompleteCommit],
      [PrepareAbort, CompleteAbort],
      [CompleteCommit, Ongoing],
      [CompleteAbort, Empty],
      [Empty, Empty],
    ] as const) {
      expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
    }
  });

  it('names an illegal transition', () => {
    for (const [from, to] of [
      [Empty, PrepareCommit],
      [Ongoing, CompleteCommit],
      [PrepareCommit, Ongoing],
      [PrepareAbort, CompleteCommit],
      [CompleteCommit, PrepareAbort],
      [Ongoing, Empty],
    ] as const) {
      expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
    }
    expect(() => checkTransition('t', Empty, CompleteAbort)).toThrow(IllegalTransactionTransitionError);
    expect(() => checkTransition('t', Empty, CompleteAbort)).toThrow(
      'transaction t cannot move from Empty to CompleteAbort',
    );
  });
});
