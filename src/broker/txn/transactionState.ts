/**
 * The life of a transactional id at its coordinator (TransactionState.scala):
 *
 *   Empty ──AddPartitions/AddOffsets──▶ Ongoing ──EndTxn(commit)──▶ PrepareCommit ──markers──▶ CompleteCommit
 *                                         │ ──EndTxn(abort), timeout, fencing──▶ PrepareAbort ──markers──▶ CompleteAbort
 *   CompleteCommit / CompleteAbort ──AddPartitions──▶ Ongoing;  ──InitProducerId──▶ Empty
 *
 * Prepare* states are written to the journal before any marker, so a crash in between is
 * finished on the next start.
 */
export const TransactionState = {
  Empty: 'Empty',
  Ongoing: 'Ongoing',
  PrepareCommit: 'PrepareCommit',
  PrepareAbort: 'PrepareAbort',
  CompleteCommit: 'CompleteCommit',
  CompleteAbort: 'CompleteAbort',
} as const;

export type TransactionState = (typeof TransactionState)[keyof typeof TransactionState];

const { Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort } = TransactionState;

/** Allowed transitions: to → the states it may be entered from. */
const VALID_PREVIOUS: Readonly<Record<TransactionState, readonly TransactionState[]>> = {
  [Empty]: [Empty, CompleteCommit, CompleteAbort],
  [Ongoing]: [Ongoing, Empty, CompleteCommit, CompleteAbort],
  [PrepareCommit]: [Ongoing],
  [PrepareAbort]: [Ongoing],
  [CompleteCommit]: [PrepareCommit],
  [CompleteAbort]: [PrepareAbort],
};

export class IllegalTransactionTransitionError extends Error {
  override readonly name = 'IllegalTransactionTransitionError';

  constructor(
    readonly transactionalId: string,
    readonly from: TransactionState,
    readonly to: TransactionState,
  ) {
    super(`transaction ${transactionalId} cannot move from ${from} to ${to}`);
  }
}

export function canTransition(from: TransactionState, to: TransactionState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

export function checkTransition(transactionalId: string, from: TransactionState, to: TransactionState): void {
  if (!canTransition(from, to)) throw new IllegalTransactionTransitionError(transactionalId, from, to);
}
