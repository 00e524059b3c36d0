import { ErrorCode } from '../protocol/errorCodes.js';
import { FindCoordinator } from '../protocol/messages/findCoordinator.js';
import { defineHandler } from './handler.js';

const GROUP = 0;
const TRANSACTION = 1;

/** FindCoordinator: this broker coordinates every group and every transactional id. */
export const findCoordinatorHandler = defineHandler(FindCoordinator, (request, ctx) => {
  const { broker } = ctx;
  const fail = (errorCode: number, errorMessage: string) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    nodeId: -1,
    host: '',
    port: -1,
  });
  if (request.keyType !== GROUP && request.keyType !== TRANSACTION) {
    return fail(ErrorCode.INVALID_REQUEST, `Unknown coordinator key type ${request.keyType}`);
  }
  if (request.keyType === GROUP && request.key === '') {
    return fail(ErrorCode.INVALID_GROUP_ID, 'The group id must not be empty');
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    nodeId: broker.nodeId,
    host: broker.advertisedHost,
    port: broker.advertisedPort,
  };
});
