import { DescribeGroups } from '../protocol/messages/describeGroups.js';
import { defineHandler } from './handler.js';

/**
 * DescribeGroups v0-2: each group's state ("Empty", "PreparingRebalance", "CompletingRebalance",
 * "Stable", "Dead"), protocol type, chosen protocol and members (client id and host; metadata
 * only while Stable, the last assignment handed out at any time, as Kafka 4 shows them). An
 * unknown group is "Dead" without an error, as Kafka answers these versions.
 */
export const describeGroupsHandler = defineHandler(DescribeGroups, (request, ctx) => ({
  throttleTimeMs: 0,
  groups: request.groups.map((groupId) => {
    const group = ctx.broker.groups.describeGroup(groupId);
    return {
      errorCode: group.errorCode,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType,
      protocolData: group.protocolName,
      members: group.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.metadata,
        memberAssignment: m.assignment,
      })),
    };
  }),
}));
