import { JoinGroup } from '../protocol/messages/joinGroup.js';
import { defineHandler } from './handler.js';

/**
 * JoinGroup v0-5: a member joins (or rejoins) a group; the answer is held until the rebalance
 * completes (every known member has rejoined, or the largest rebalance timeout has passed). From
 * v4 a member without an id first gets MEMBER_ID_REQUIRED with an id to join with (KIP-394);
 * below v4 it is given one directly. v0 has no rebalance timeout: the session timeout serves as
 * both, as in Kafka. The leader gets every member's metadata; followers an empty list. Static
 * membership (v5 group_instance_id, KIP-345) is not implemented: such members join as dynamic ones.
 * The client host is reported as Kafka does, "/" and the address.
 */
export const joinGroupHandler = defineHandler(JoinGroup, async (request, ctx) => {
  const result = await ctx.broker.groups.joinGroup({
    groupId: request.groupId,
    memberId: request.memberId,
    clientId: ctx.header.clientId ?? '',
    clientHost: `/${ctx.connection.remoteAddress}`,
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
    protocolType: request.protocolType,
    protocols: request.protocols,
    requireKnownMemberId: ctx.version >= 4,
    signal: ctx.signal,
  });
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolName: result.protocolName,
    leader: result.leader,
    memberId: result.memberId,
    members: result.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: null,
      metadata: m.metadata,
    })),
  };
});
