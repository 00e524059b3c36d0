import type { Logger } from 'pino';
import type { Group } from './group.js';
import type { GroupMember } from './groupMember.js';
import type { GroupMembership } from './groupMembership.js';
import { GroupState } from './groupState.js';

export interface RebalanceTimerOptions {
  readonly logger: Logger;
  readonly initialRebalanceDelayMs: number;
}

/**
 * The clocks of the group protocol, as Kafka's delayed operations:
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
export class RebalanceTimers {
  /** Groups whose join phase is still within the initial delay. */
  private readonly initialDelay = new WeakSet<Group>();

  constructor(
    private readonly membership: GroupMembership,
    private readonly options: RebalanceTimerOptions,
  ) {}

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

  startJoinPhase(group: Group, wasEmpty: boolean): void {
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
      if (this.membership.isCurrent(group)) this.membership.completeJoin(group);
    });
    this.tryCompleteJoin(group);
  }

  private delayInitialJoin(group: Group, delayMs: number, remainingMs: number): void {
    this.initialDelay.add(group);
    group.newMemberAdded = false;
    group.joinTimer = this.schedule(delayMs, 'initial rebalance delay', () => {
      group.joinTimer = undefined;
      if (!this.membership.isCurrent(group)) return;
      if (group.newMemberAdded && remainingMs > 0) {
        const next = Math.min(this.options.initialRebalanceDelayMs, remainingMs);
        this.delayInitialJoin(group, next, Math.max(remainingMs - delayMs, 0));
        return;
      }
      this.initialDelay.delete(group);
      this.membership.completeJoin(group);
    });
  }

  inInitialDelay(group: Group): boolean {
    return this.initialDelay.has(group);
  }

  /** Completes the join phase now if nobody is left to wait for (never during the initial delay). */
  tryCompleteJoin(group: Group): void {
    if (this.initialDelay.has(group) || !group.is(GroupState.PreparingRebalance)) return;
    if (group.hasAllMembersJoined()) this.membership.completeJoin(group);
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
      this.options.logger.debug({ group: group.groupId, memberId }, 'pending member id lapsed');
      if (this.membership.isCurrent(group)) this.tryCompleteJoin(group);
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
      if (!this.membership.isCurrent(group) || group.get(member.memberId) !== member) return;
      if (member.isAwaitingJoin || member.isAwaitingSync) {
        this.scheduleSessionExpiry(group, member);
        return;
      }
      this.options.logger.info(
        { group: group.groupId, memberId: member.memberId, sessionTimeoutMs: member.sessionTimeoutMs },
        'member session expired; removing it',
      );
      this.membership.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} session expired`);
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
      if (!this.membership.isCurrent(group) || group.generationId !== generationId) return;
      if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return;
      if (group.pendingSyncMembers.size === 0) return;
      for (const memberId of [...group.pendingSyncMembers]) {
        const member = group.get(memberId);
        this.options.logger.info(
          { group: group.groupId, memberId },
          'removing a member that did not sync in time',
        );
        if (member) this.forgetMember(member);
        group.remove(memberId);
      }
      this.membership.prepareRebalance(group, 'members did not sync in time');
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
