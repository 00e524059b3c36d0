import { Heartbeat } from '../protocol/messages/heartbeat.js';
import { defineHandler } from './handler.js';

/**
 * Heartbeat v0-3: keeps a member's session alive. 0 while the group is CompletingRebalance or
 * Stable, REBALANCE_IN_PROGRESS while it prepares a rebalance (the member must rejoin),
 * ILLEGAL_GENERATION for an old generation, UNKNOWN_MEMBER_ID for a member the group does not know.
 */
export const heartbeatHandler = defineHandler(Heartbeat, (request, ctx) => ({
  throttleTimeMs: 0,
  errorCode: ctx.broker.groups.heartbeat(request.groupId, request.generationId, request.memberId),
}));
