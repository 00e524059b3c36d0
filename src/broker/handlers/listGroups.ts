import { ErrorCode } from '../protocol/errorCodes.js';
import { ListGroups } from '../protocol/messages/listGroups.js';
import { defineHandler } from './handler.js';

/** ListGroups v0-2: every group this broker coordinates, with its protocol type ("" for commit-only groups). */
export const listGroupsHandler = defineHandler(ListGroups, (_request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: ErrorCode.NONE,
  groups: ctx.broker.groups.listGroups().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
}));
