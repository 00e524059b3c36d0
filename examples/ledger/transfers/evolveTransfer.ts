import type { TransferEvent } from './transferEvents.js';
import type { TransferState } from './transferState.js';

/** Folds a transfer event into the state. */
export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  if (event.type === 'TransferRequested') return { status: 'REQUESTED', ...event.data, failure: null };
  if (state.status === 'NONE') return state;
  if (event.type === 'TransferCompleted') return { ...state, status: 'COMPLETED' };
  const { reason, refunded } = event.data;
  return { ...state, status: 'FAILED', failure: { reason, refunded } };
}
