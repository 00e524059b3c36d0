import { ErrorCode } from '../protocol/errorCodes.js';
import { ApiVersions } from '../protocol/messages/apiVersions.js';
import { defineHandler } from './handler.js';

/**
 * ApiVersions: the ranges every registered handler serves, never a list kept by hand. (A version
 * above ours is answered by the connection with UNSUPPORTED_VERSION and the v0 body.)
 */
export const apiVersionsHandler = defineHandler(ApiVersions, (_request, ctx) => ({
  errorCode: ErrorCode.NONE,
  apiKeys: [...ctx.broker.apis],
  throttleTimeMs: 0,
}));
