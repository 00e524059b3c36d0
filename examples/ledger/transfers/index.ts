export type { CompleteTransfer, FailTransfer, RequestTransfer, TransferCommand } from './transferCommands.js';
export { TRANSFER_COMMAND_TYPES } from './transferCommands.js';
export type {
  TransferCompleted,
  TransferEvent,
  TransferFailed,
  TransferRequested,
} from './transferEvents.js';
export { TRANSFER_EVENT_TYPES } from './transferEvents.js';
export { initialTransferState, type Transfer, type TransferState } from './transferState.js';
export { TRANSFER_REJECTIONS, type TransferRejectionCode } from './transferRejections.js';
export { decideTransfer } from './decideTransfer.js';
export { evolveTransfer } from './evolveTransfer.js';
export { transferDecider } from './transferDecider.js';
