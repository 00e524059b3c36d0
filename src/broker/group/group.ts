import type { GroupMember } from './groupMember.js';
import { canTransition, GroupState, IllegalGroupTransitionError } from './groupState.js';

/** What DescribeGroups reports about a group. */
export interface GroupSummary {
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly members: readonly {
    memberId: string;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }[];
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A classic group (Kafka's GroupMetadata): its state, generation, chosen protocol, leader and
 * members, plus the timers of the rebalance in progress. It holds the bookkeeping; the rules of
 * the protocol live in the coordinator.
 */
export class Group {
  private currentState: GroupState = GroupState.Empty;
  /** The protocol type of the group's members ("consumer"); unset for a group that only commits. */
  protocolType: string | undefined;
  /** The protocol chosen for the current generation. */
  protocolName: string | undefined;
  leaderId: string | undefined;
  readonly members = new Map<string, GroupMember>();
  /** Ids handed out with MEMBER_ID_REQUIRED (KIP-394) and not yet used to join, with their expiry. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Members that got their JoinGroup answer for this generation but have not sent SyncGroup. */
  readonly pendingSyncMembers = new Set<string>();
  /** A member joined during the initial delay, which extends it (Kafka's InitialDelayedJoin). */
  newMemberAdded = false;
  /** Completes the join phase when the rebalance timeout (or the initial delay) passes. */
  joinTimer: NodeJS.Timeout | undefined;
  /** Removes members that have not sent SyncGroup within the rebalance timeout. */
  syncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly groupId: string,
    public generationId = 0,
    protocolType?: string,
  ) {
    this.protocolType = protocolType || undefined;
  }

  get state(): GroupState {
    return this.currentState;
  }

  is(state: GroupState): boolean {
    return this.currentState === state;
  }

  transitionTo(state: GroupState): void {
    if (!canTransition(this.currentState, state)) {
      throw new IllegalGroupTransitionError(this.groupId, this.currentState, state);
    }
    this.currentState = state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember | undefined {
    return this.members.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value;
  }

  /** The largest rebalance timeout of the members: how long a rebalance may wait for rejoins. */
  get rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    return timeout;
  }

  /** Every member has rejoined and no member id handed out is still unused. */
  hasAllMembersJoined(): boolean {
    for (const member of this.members.values()) if (!member.isAwaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /**
   * Keeps the leader if it rejoined, otherwise picks a member that did; false when nobody rejoined.
   */
  electJoinedLeader(): boolean {
    const leader = this.leaderId === undefined ? undefined : this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    const joined = [...this.members.values()].find((m) => m.isAwaitingJoin);
    if (!joined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  /**
   * Whether a member with these protocols may join: an empty group takes any non-empty protocol
   * list; otherwise the protocol type must match and one protocol must be supported by everyone.
   */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is(GroupState.Empty)) return protocolType !== '' && protocolNames.length > 0;
    if (this.protocolType !== undefined && this.protocolType !== protocolType) return false;
    const members = [...this.members.values()];
    return protocolNames.some((name) => members.every((m) => m.supports(name)));
  }

  /** The protocols every member supports. */
  candidateProtocols(): Set<string> {
    const [first, ...rest] = [...this.members.values()];
    if (!first) return new Set();
    return new Set(first.protocols.map((p) => p.name).filter((name) => rest.every((m) => m.supports(name))));
  }

  /** Each member votes for its preferred candidate; the most votes wins (ties: the first named). */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) [best, bestVotes] = [name, count];
    }
    if (best === undefined) throw new Error(`group ${this.groupId} has no protocol every member supports`);
    return best;
  }

  /** Starts the next generation: CompletingRebalance with members, Empty without. */
  initNextGeneration(): void {
    this.generationId++;
    this.pendingSyncMembers.clear();
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo(GroupState.CompletingRebalance);
    } else {
      this.protocolName = undefined;
      this.transitionTo(GroupState.Empty);
    }
  }

  /** What the leader is given to compute the assignment: each member's metadata for the chosen protocol. */
  currentMemberMetadata(): { memberId: string; metadata: Buffer }[] {
    const protocol = this.protocolName ?? '';
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      metadata: m.metadataFor(protocol),
    }));
  }

  /**
   * As Kafka 4's coordinator describes a classic group: members' metadata only while Stable (the
   * chosen protocol's); their assignments always, so during a rebalance the last one handed out
   * (empty for members that joined since, and once a CompletingRebalance is cut short).
   */
  summary(): GroupSummary {
    const stable = this.is(GroupState.Stable);
    const protocol = stable ? (this.protocolName ?? '') : '';
    return {
      state: this.currentState,
      protocolType: this.protocolType ?? '',
      protocolName: protocol,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(protocol) : NO_BYTES,
        assignment: m.assignment,
      })),
    };
  }

  clearTimers(): void {
    clearTimeout(this.joinTimer);
    clearTimeout(this.syncTimer);
    this.joinTimer = this.syncTimer = undefined;
    for (const timer of this.pendingMembers.values()) clearTimeout(timer);
    for (const member of this.members.values()) {
      clearTimeout(member.sessionTimer);
      member.sessionTimer = undefined;
    }
  }
}
