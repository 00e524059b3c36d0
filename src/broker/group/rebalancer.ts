import type { Logger } from 'pino';
import { ErrorCode } from '../protocol/errorCodes.js';
import type { Group } from './group.js';
import { type GroupMember, joinError, syncResult } from './groupMember.js';
import { canTransition, GroupState } from './groupState.js';

export interface RebalancerOptions {
  readonly logger: Logger;
  readonly initialRebalanceDelayMs: number;
  /** Called when a group starts a new generation, to make it durable. */
  readonly onNewGeneration: (group: Group) => void;
}

/**
 * The phases of a rebalance (prepare: members rejoin; complete the join: a new generation and
 * its leader; complete the sync: the leader's assignment handed out) and the clocks that drive
 * them, as Kafka's delayed operations:
 * - the join phase ends when every member has rejoined, or when the largest rebalance timeout
 *   passes (DelayedJoin); a group that was Empty first waits group.initial.rebalance.delay.ms,
 *   extended by that delay while new members keep arriving, never beyond the rebalance timeout
 *   (InitialDelayedJoin, KIP-134);
 * - a member that sends nothing for its session timeout is removed; one waiting for a JoinGroup
 *   or SyncGroup answer is alive by definition, and its clock restarts with the answer;
 * - a member id handed out with MEMBER_ID_REQUIRED lapses after the session timeout;
 * - members that have not sent SyncGroup a rebalance timeout after the join are removed.
 * Timers are unref'd: they never keep the process alive.
 */
export class Rebalancer {
  /** Groups whose join phase is still within the initial delay. */
  private readonly initialDelay = new WeakSet<Group>();

  constructor(
    private readonly groups: ReadonlyMap<string, Group>,
    private readonly options: RebalancerOptions,
  ) {}

  private get logger(): Logger {
    return this.options.logger;
  }

  /** Whether the group is still the one registered under its id (not deleted meanwhile). */
  isCurrent(group: Group): boolean {
    return this.groups.get(group.groupId) === group;
  }

  removeMemberAndUpdateGroup(group: Group, member: GroupMember, reason: string): void {
    member.completeJoin(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync(syncResult(ErrorCode.UNKNOWN_MEMBER_ID));
    this.forgetMember(member);
    group.remove(member.memberId);
    if (group.is(GroupState.Stable) || group.is(GroupState.CompletingRebalance)) {
      this.maybePrepareRebalance(group, reason);
    } else if (group.is(GroupState.PreparingRebalance)) {
      this.tryCompleteJoin(group);
    }
  }

  maybePrepareRebalance(group: Group, reason: string): void {
    if (canTransition(group.state, GroupState.PreparingRebalance)) this.prepareRebalance(group, reason);
  }

  prepareRebalance(group: Group, reason: string): void {
    // Members waiting for an assignment of the old generation must rejoin instead.
    if (group.is(GroupState.CompletingRebalance)) {
      for (const member of group.members.values()) {
        member.assignment = Buffer.alloc(0);
        if (member.completeSync(syncResult(ErrorCode.REBALANCE_IN_PROGRESS))) {
          this.scheduleSessionExpiry(group, member);
        }
      }
    }
    const wasEmpty = group.is(GroupState.Empty);
    group.transitionTo(GroupState.PreparingRebalance);
    this.logger.info(
      { group: group.groupId, generation: group.generationId, members: group.members.size, reason },
      'preparing to rebalance',
    );
    this.startJoinPhase(group, wasEmpty);
  }

  /** Ends the join phase: members that did not rejoin are dropped and a new generation begins. */
  completeJoin(group: Group): void {
    if (!group.is(GroupState.PreparingRebalance)) return;
    this.endJoinPhase(group);
    for (const member of group.notYetRejoinedMembers()) {
      this.logger.info(
        { group: group.groupId, memberId: member.memberId },
        'removing a member that did not rejoin in time',
      );
      this.forgetMember(member);
      group.remove(member.memberId);
    }
    if (!group.electJoinedLeader() && group.members.size > 0) {
      this.startJoinPhase(group, false);
      return;
    }
    group.initNextGeneration();
    this.options.onNewGeneration(group);
    if (group.is(GroupState.Empty)) {
      this.logger.info({ group: group.groupId, generation: group.generationId }, 'group is now empty');
      return;
    }
    this.logger.info(
      {
        group: group.groupId,
        generation: group.generationId,
        protocol: group.protocolName,
        leader: group.leaderId,
        members: [...group.members.keys()],
      },
      'rebalance complete',
    );
    for (const member of group.members.values()) {
      member.completeJoin({
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolName: group.protocolName ?? '',
        leader: group.leaderId ?? '',
        memberId: member.memberId,
        members: group.isLeader(member.memberId) ? group.currentMemberMetadata() : [],
      });
      this.scheduleSessionExpiry(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** Hands the leader's assignment to every member; members it left out get empty bytes. */
  completeSync(group: Group, assignments: readonly { memberId: string; assignment: Buffer }[]): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, Buffer.from(a.assignment)]));
    for (const member of group.members.values())
      member.assignment = byMember.get(member.memberId) ?? Buffer.alloc(0);
    group.transitionTo(GroupState.Stable);
    this.logger.info(
      { group: group.groupId, generation: group.generationId, members: group.members.size },
      'group is stable',
    );
    for (const member of group.members.values()) {
      if (member.completeSync(syncResult(ErrorCode.NONE, member.assignment))) {
        this.scheduleSessionExpiry(group, member);
      }
    }
  }

  private schedule(ms: number, what: string, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      try {
        action();
      } catch (err) {
        this.options.logger.error({ err }, `group coordinator: ${what} failed`);
      }
    }, ms);
    timer.unref();
    return timer;
  }

  private startJoinPhase(group: Group, wasEmpty: boolean): void {
    this.endJoinPhase(group);
    clearTimeout(group.syncTimer);
    group.syncTimer = undefined;
    const delay = this.options.initialRebalanceDelayMs;
    if (wasEmpty && delay > 0) {
      this.delayInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
      return;
    }
    group.joinTimer = this.schedule(group.rebalanceTimeoutMs, 'rebalance timeout', () => {
      group.joinTimer = undefined;
      if (this.isCurrent(group)) this.completeJoin(group);
    });
    this.tryCompleteJoin(group);
  }

  private delayInitialJoin(group: Group, delayMs: number, remainingMs: number): void {
    this.initialDelay.add(group);
    group.newMemberAdded = false;
    group.joinTimer = this.schedule(delayMs, 'initial rebalance delay', () => {
      group.joinTimer = undefined;
      if (!this.isCurrent(group)) return;
      if (group.newMemberAdded && remainingMs > 0) {
        const next = Math.min(this.options.initialRebalanceDelayMs, remainingMs);
        this.delayInitialJoin(group, next, Math.max(remainingMs - delayMs, 0));
        return;
      }
      this.initialDelay.delete(group);
      this.completeJoin(group);
    });
  }

  inInitialDelay(group: Group): boolean {
    return this.initialDelay.has(group);
  }

  /** Completes the join phase now if nobody is left to wait for (never during the initial delay). */
  tryCompleteJoin(group: Group): void {
    if (this.initialDelay.has(group) || !group.is(GroupState.PreparingRebalance)) return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
  }

  endJoinPhase(group: Group): void {
    clearTimeout(group.joinTimer);
    group.joinTimer = undefined;
    this.initialDelay.delete(group);
    group.newMemberAdded = false;
  }

  addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = this.schedule(sessionTimeoutMs, 'pending member expiry', () => {
      if (!group.pendingMembers.has(memberId)) return;
      group.pendingMembers.delete(memberId);
      this.logger.debug({ group: group.groupId, memberId }, 'pending member id lapsed');
      if (this.isCurrent(group)) this.tryCompleteJoin(group);
    });
    group.pendingMembers.set(memberId, timer);
  }

  removePendingMember(group: Group, memberId: string): void {
    clearTimeout(group.pendingMembers.get(memberId));
    group.pendingMembers.delete(memberId);
  }

  /** (Re)starts a member's session clock: called on every sign of life and every answer sent. */
  scheduleSessionExpiry(group: Group, member: GroupMember): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = this.schedule(member.sessionTimeoutMs, 'session expiry', () => {
      member.sessionTimer = undefined;
      if (!this.isCurrent(group) || group.get(member.memberId) !== member) return;
      if (member.isAwaitingJoin || member.isAwaitingSync) {
        this.scheduleSessionExpiry(group, member);
        return;
      }
      this.logger.info(
        { group: group.groupId, memberId: member.memberId, sessionTimeoutMs: member.sessionTimeoutMs },
        'member session expired; removing it',
      );
      this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} session expired`);
    });
  }

  forgetMember(member: GroupMember): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = undefined;
  }

  schedulePendingSync(group: Group): void {
    clearTimeout(group.syncTimer);
    const generationId = group.generationId;
    group.syncTimer = this.schedule(group.rebalanceTimeoutMs, 'sync expiry', () => {
      group.syncTimer = undefined;
      if (!this.isCurrent(group) || group.generationId !== generationId) return;
      if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return;
      if (group.pendingSyncMembers.size === 0) return;
      for (const memberId of [...group.pendingSyncMembers]) {
        const member = group.get(memberId);
        this.logger.info({ group: group.groupId, memberId }, 'removing a member that did not sync in time');
        if (member) this.forgetMember(member);
        group.remove(memberId);
      }
      this.prepareRebalance(group, 'members did not sync in time');
    });
  }

  syncReceived(group: Group, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) {
      clearTimeout(group.syncTimer);
      group.syncTimer = undefined;
    }
  }
}
