import { ErrorCode } from '../protocol/errorCodes.js';
import { ListPartitionReassignments } from '../protocol/messages/listPartitionReassignments.js';
import { defineHandler } from './handler.js';

/**
 * ListPartitionReassignments v0: a reassignment on a single node completes when it is accepted
 * (see AlterPartitionReassignments), so none is ever in progress and the list is always empty,
 * as Kafka answers for topics without one, unknown topics included.
 */
export const listPartitionReassignmentsHandler = defineHandler(ListPartitionReassignments, () => ({
  throttleTimeMs: 0,
  errorCode: ErrorCode.NONE,
  errorMessage: null,
  topics: [],
}));
