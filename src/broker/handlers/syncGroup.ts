import { SyncGroup } from '../protocol/messages/syncGroup.js';
import { defineHandler } from './handler.js';

/**
 * SyncGroup v0-3: the leader sends the assignment it computed; every member (the leader
 * included) waits for it and gets its own part, or empty bytes if the leader left it out. Answers
 * REBALANCE_IN_PROGRESS while a new rebalance is being prepared, ILLEGAL_GENERATION for an old
 * generation and UNKNOWN_MEMBER_ID for a member the group does not know.
 */
export const syncGroupHandler = defineHandler(SyncGroup, async (request, ctx) => {
  const result = await ctx.broker.groups.syncGroup({
    groupId: request.groupId,
    generationId: request.generationId,
    memberId: request.memberId,
    assignments: request.assignments,
    signal: ctx.signal,
  });
  return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
});
