import { ErrorCode } from '../protocol/errorCodes.js';
import { LeaveGroup } from '../protocol/messages/leaveGroup.js';
import { defineHandler } from './handler.js';

/**
 * LeaveGroup v0-3: members leave at once instead of waiting for their session to expire; the
 * group rebalances without them. v0-2 name one member and carry its error at the top level; v3
 * names a batch of members, each with its own error (KIP-345).
 */
export const leaveGroupHandler = defineHandler(LeaveGroup, (request, ctx) => {
  const leaving =
    ctx.version >= 3 ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
  if (request.groupId === '') {
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
  }
  const results = ctx.broker.groups.leaveGroup(
    request.groupId,
    leaving.map((m) => m.memberId),
  );
  const members = results.map((r, i) => ({
    memberId: r.memberId,
    groupInstanceId: leaving[i]!.groupInstanceId,
    errorCode: r.errorCode,
  }));
  const firstError = members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
  return { throttleTimeMs: 0, errorCode: ctx.version >= 3 ? ErrorCode.NONE : firstError, members };
});
