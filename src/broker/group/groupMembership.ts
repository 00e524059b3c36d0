import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCode } from '../protocol/errorCodes.js';
import { Group } from './group.js';
import {
  copyProtocols,
  GroupMember,
  joinError,
  type JoinGroupResult,
  type MemberProtocol,
  syncResult,
  type SyncGroupResult,
} from './groupMember.js';
import { GroupState } from './groupState.js';
import { parkedResponse } from './parkedResponse.js';
import { Rebalancer, type RebalancerOptions } from './rebalancer.js';

export interface JoinGroupRequest {
  readonly groupId: string;
  /** "" for a member joining for the first time. */
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  /** JoinGroup v4+ (KIP-394): a member without an id is given one and must join again with it. */
  readonly requireKnownMemberId: boolean;
  /** Aborts when the client's connection closes. */
  readonly signal?: AbortSignal;
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** The leader's assignment; empty from followers. */
  readonly assignments: readonly { memberId: string; assignment: Buffer }[];
  readonly signal?: AbortSignal;
}

export interface MembershipOptions extends RebalancerOptions {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
}

/**
 * The membership half of the group coordinator: JoinGroup, SyncGroup, Heartbeat and LeaveGroup,
 * following Kafka's GroupCoordinator (core/src/main/scala/kafka/coordinator/group). The phases of
 * a rebalance and their clocks are in Rebalancer.
 */
export class GroupMembership {
  private readonly rebalance: Rebalancer;

  constructor(
    private readonly groups: Map<string, Group>,
    private readonly options: MembershipOptions,
  ) {
    this.rebalance = new Rebalancer(groups, options);
  }

  get logger(): Logger {
    return this.options.logger;
  }

  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> | JoinGroupResult {
    const { groupId, memberId, sessionTimeoutMs } = request;
    if (groupId === '') return joinError(memberId, ErrorCode.INVALID_GROUP_ID);
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.options;
    if (sessionTimeoutMs < minSessionTimeoutMs || sessionTimeoutMs > maxSessionTimeoutMs) {
      return joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT);
    }
    const isNewMember = memberId === '';
    const existing = this.groups.get(groupId);
    if (!existing && !isNewMember) return joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID);
    const group = existing ?? new Group(groupId);
    const protocolNames = request.protocols.map((p) => p.name);
    if (!group.supportsProtocols(request.protocolType, protocolNames)) {
      return joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (request.signal?.aborted) return joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID);
    if (!existing) this.groups.set(groupId, group);
    this.logger.debug({ group: groupId, memberId, clientId: request.clientId, state: group.state }, 'join');

    return new Promise<JoinGroupResult>((resolve) => {
      const deliver = parkedResponse(resolve, request.signal, (d) => this.onJoinAbandoned(group, d));
      if (isNewMember) this.joinNewMember(group, request, deliver);
      else this.joinKnownMember(group, request, deliver);
      if (group.is(GroupState.PreparingRebalance)) this.rebalance.tryCompleteJoin(group);
    });
  }

  private joinNewMember(group: Group, request: JoinGroupRequest, deliver: (r: JoinGroupResult) => void) {
    const memberId = `${request.clientId}-${randomUUID()}`;
    if (request.requireKnownMemberId) {
      // The id must come back in a second JoinGroup before the member counts (KIP-394): a client
      // that times out and retries does not leave a trail of members that never heartbeat.
      this.rebalance.addPendingMember(group, memberId, request.sessionTimeoutMs);
      deliver(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
      return;
    }
    this.addMemberAndRebalance(group, memberId, request, deliver);
  }

  private joinKnownMember(group: Group, request: JoinGroupRequest, deliver: (r: JoinGroupResult) => void) {
    const { memberId } = request;
    if (group.pendingMembers.has(memberId)) {
      this.rebalance.removePendingMember(group, memberId);
      this.addMemberAndRebalance(group, memberId, request, deliver);
      return;
    }
    const member = group.get(memberId);
    if (!member) {
      deliver(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      return;
    }
    switch (group.state) {
      case GroupState.PreparingRebalance:
        this.updateMemberAndRebalance(group, member, request, deliver);
        return;
      case GroupState.CompletingRebalance:
        // The member missed its JoinGroup answer (a retry): the current generation is still good.
        if (member.matches(request.protocols)) this.answerCurrentGeneration(group, member, deliver);
        else this.updateMemberAndRebalance(group, member, request, deliver);
        return;
      case GroupState.Stable:
        // A rejoining leader may have seen the metadata change (e.g. new partitions): rebalance.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) {
          this.updateMemberAndRebalance(group, member, request, deliver);
        } else {
          this.answerCurrentGeneration(group, member, deliver);
        }
        return;
      case GroupState.Empty:
      case GroupState.Dead:
        deliver(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private answerCurrentGeneration(group: Group, member: GroupMember, deliver: (r: JoinGroupResult) => void) {
    deliver({
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName ?? '',
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId) ? group.currentMemberMetadata() : [],
    });
    this.rebalance.scheduleSessionExpiry(group, member);
  }

  private addMemberAndRebalance(
    group: Group,
    memberId: string,
    request: JoinGroupRequest,
    deliver: (r: JoinGroupResult) => void,
  ) {
    const member = new GroupMember({ ...request, memberId });
    member.awaitingJoin = deliver;
    // A member arriving during the initial delay extends it (Kafka's InitialDelayedJoin).
    if (group.is(GroupState.PreparingRebalance) && this.rebalance.inInitialDelay(group)) {
      group.newMemberAdded = true;
    }
    group.add(member);
    // No session timer while it waits: it starts when the JoinGroup is answered.
    this.rebalance.maybePrepareRebalance(group, `member ${memberId} joined`);
  }

  private updateMemberAndRebalance(
    group: Group,
    member: GroupMember,
    request: JoinGroupRequest,
    deliver: (r: JoinGroupResult) => void,
  ) {
    // A second JoinGroup from the same member replaces the first, which is answered so that the
    // request does not hang.
    member.completeJoin(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    member.protocols = copyProtocols(request.protocols);
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.awaitingJoin = deliver;
    this.rebalance.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
  }

  /**
   * The connection of a member waiting for its JoinGroup answer closed: it could never receive
   * its assignment, so it leaves now rather than being counted in the next generation.
   */
  private onJoinAbandoned(group: Group, deliver: (r: JoinGroupResult) => void) {
    const member = [...group.members.values()].find((m) => m.awaitingJoin === deliver);
    if (!member || !this.rebalance.isCurrent(group)) return;
    this.logger.info(
      { group: group.groupId, memberId: member.memberId },
      'member disconnected while joining; removing it',
    );
    this.rebalance.removeMemberAndUpdateGroup(group, member, 'member disconnected while joining');
  }

  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> | SyncGroupResult {
    const { groupId, memberId } = request;
    if (groupId === '') return syncResult(ErrorCode.INVALID_GROUP_ID);
    const group = this.groups.get(groupId);
    const member = group?.get(memberId);
    if (!group || !member) return syncResult(ErrorCode.UNKNOWN_MEMBER_ID);
    if (request.generationId !== group.generationId) return syncResult(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case GroupState.Empty:
      case GroupState.Dead:
        return syncResult(ErrorCode.UNKNOWN_MEMBER_ID);
      case GroupState.PreparingRebalance:
        return syncResult(ErrorCode.REBALANCE_IN_PROGRESS);
      case GroupState.Stable:
        this.rebalance.syncReceived(group, memberId);
        this.rebalance.scheduleSessionExpiry(group, member);
        return syncResult(ErrorCode.NONE, member.assignment);
      case GroupState.CompletingRebalance:
        return new Promise<SyncGroupResult>((resolve) => {
          const deliver = parkedResponse(resolve, request.signal, (d) => {
            // Nothing to send it to; the session timeout decides whether the member is gone.
            if (member.awaitingSync === d) member.completeSync(syncResult(ErrorCode.REBALANCE_IN_PROGRESS));
          });
          member.completeSync(syncResult(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = deliver;
          this.rebalance.syncReceived(group, memberId);
          if (group.isLeader(memberId)) this.rebalance.completeSync(group, request.assignments);
        });
    }
  }

  heartbeat(groupId: string, generationId: number, memberId: string): ErrorCode {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    const member = group?.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case GroupState.Empty:
      case GroupState.Dead:
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case GroupState.PreparingRebalance:
        this.rebalance.scheduleSessionExpiry(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        this.rebalance.scheduleSessionExpiry(group, member);
        this.logger.debug({ group: groupId, memberId, generation: generationId }, 'heartbeat');
        return ErrorCode.NONE;
    }
  }

  /** Removes members; an error for each that is not in the group. */
  leaveGroup(groupId: string, memberIds: readonly string[]): { memberId: string; errorCode: ErrorCode }[] {
    const group = this.groups.get(groupId);
    return memberIds.map((memberId) => {
      if (!group) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      if (group.pendingMembers.has(memberId)) {
        this.rebalance.removePendingMember(group, memberId);
        if (group.is(GroupState.PreparingRebalance)) this.rebalance.tryCompleteJoin(group);
        return { memberId, errorCode: ErrorCode.NONE };
      }
      const member = group.get(memberId);
      if (!member) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.logger.info({ group: groupId, memberId }, 'member left the group');
      this.rebalance.removeMemberAndUpdateGroup(group, member, `member ${memberId} left`);
      return { memberId, errorCode: ErrorCode.NONE };
    });
  }

  /** Commits need the member to be current; they count as a sign of life, as heartbeats do. */
  touch(group: Group, memberId: string): void {
    const member = group.get(memberId);
    if (member) this.rebalance.scheduleSessionExpiry(group, member);
  }

  /** Answers every parked request and stops every timer (broker shutdown). */
  close(): void {
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) {
        member.completeJoin(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        member.completeSync(syncResult(ErrorCode.UNKNOWN_MEMBER_ID));
      }
      group.clearTimers();
    }
  }
}
