import * as path from 'node:path';
import type { Logger } from 'pino';
import { ErrorCode } from '../protocol/errorCodes.js';
import { Group, type GroupSummary } from './group.js';
import type { GroupJournal } from './groupJournal.js';
import type { JoinGroupResult, SyncGroupResult } from './groupMember.js';
import { GroupMembership, type JoinGroupRequest, type SyncGroupRequest } from './groupMembership.js';
import { GroupState } from './groupState.js';
import { GroupStore } from './groupStore.js';
import { FileGroupJournal } from './fileGroupJournal.js';
import type { CommittedOffset } from './journalRecord.js';

export interface GroupCoordinatorOptions {
  dataDir: string;
  logger: Logger;
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** Where offsets and generations are kept; default a journal file under `<dataDir>/groups`. */
  journal?: GroupJournal;
  /** The journal is compacted beyond this many entries (and twice the live ones). Default 10000. */
  journalCompactMinEntries?: number;
}

/** Kafka's offset.metadata.max.bytes default. */
export const MAX_OFFSET_METADATA_BYTES = 4096;

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 with an empty member id: a commit from outside group management ("simple" consumer, admin). */
  readonly generationId: number;
  readonly memberId: string;
  readonly offsets: readonly OffsetToCommit[];
}

export interface FetchedOffsets {
  readonly topic: string;
  readonly partitions: { partition: number; offset: bigint; leaderEpoch: number; metadata: string }[];
}

export type GroupDescription = GroupSummary & { readonly groupId: string; readonly errorCode: ErrorCode };

/**
 * The group coordinator of this single-node broker: every classic consumer group, their
 * membership (GroupMembership) and their committed offsets (GroupStore, journaled under
 * `<dataDir>/groups`). Membership is not persisted: after a restart members are unknown and
 * rejoin; offsets and generation numbers are.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly store: GroupStore;
  private readonly membership: GroupMembership;
  private readonly logger: Logger;

  constructor(readonly options: GroupCoordinatorOptions) {
    this.logger = options.logger;
    const journal =
      options.journal ?? new FileGroupJournal(path.join(options.dataDir, 'groups'), options.logger);
    this.store = new GroupStore(journal, {
      logger: options.logger,
      compactMinEntries: options.journalCompactMinEntries ?? 10_000,
    });
    this.membership = new GroupMembership(this.groups, {
      logger: options.logger,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs,
      minSessionTimeoutMs: options.minSessionTimeoutMs,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs,
      onNewGeneration: (group) => this.persistGeneration(group),
    });
  }

  /** Reads the journal: groups with offsets or a generation come back Empty. */
  load(): void {
    for (const [groupId, stored] of this.store.load()) {
      this.groups.set(groupId, new Group(groupId, stored.generationId, stored.protocolType));
    }
  }

  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResult> | JoinGroupResult {
    return this.membership.joinGroup(request);
  }

  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> | SyncGroupResult {
    return this.membership.syncGroup(request);
  }

  heartbeat(groupId: string, generationId: number, memberId: string): ErrorCode {
    return this.membership.heartbeat(groupId, generationId, memberId);
  }

  leaveGroup(groupId: string, memberIds: readonly string[]): { memberId: string; errorCode: ErrorCode }[] {
    return this.membership.leaveGroup(groupId, memberIds);
  }

  /**
   * Stores offsets (written to the journal before this returns); an error code per offset, in
   * order. Partitions of unknown topics are the caller's to reject.
   */
  commitOffsets(request: OffsetCommitRequest): ErrorCode[] {
    const { groupId, generationId, memberId, offsets } = request;
    const existing = this.groups.get(groupId);
    const error = commitError(existing, generationId, memberId);
    if (error !== ErrorCode.NONE) return offsets.map(() => error);
    const { accepted, errors } = checkOffsets(offsets);
    this.store.commit(groupId, accepted);
    if (existing) this.membership.touch(existing, memberId);
    else this.groups.set(groupId, new Group(groupId));
    return errors;
  }

  /**
   * Offsets sent in a transaction (TxnOffsetCommit): written to the journal as pending, visible
   * to OffsetFetch only once the transaction commits (`completeTransaction`). No generation check
   * at the versions served (below v3). Creates the group (Empty) if it does not exist.
   */
  commitTransactionalOffsets(
    groupId: string,
    producerId: bigint,
    offsets: readonly OffsetToCommit[],
  ): ErrorCode[] {
    const { accepted, errors } = checkOffsets(offsets);
    this.store.commitPending(groupId, producerId, accepted);
    if (!this.groups.has(groupId)) this.groups.set(groupId, new Group(groupId));
    return errors;
  }

  /** A transaction ended: the producer's pending offsets in these groups are committed or dropped. */
  completeTransaction(producerId: bigint, groupIds: Iterable<string>, commit: boolean): void {
    for (const groupId of groupIds) this.store.endTransaction(groupId, producerId, commit);
  }

  /** Groups holding offsets of this producer's open transaction (for recovery after a restart). */
  groupsWithPendingOffsets(producerId: bigint): string[] {
    return this.store.groupsWithPending(producerId);
  }

  /** Committed offsets; `null` topics means every partition the group has committed. */
  fetchOffsets(
    groupId: string,
    topics: readonly { topic: string; partitions: readonly number[] }[] | null,
  ): FetchedOffsets[] {
    const answer = (o: CommittedOffset | undefined, partition: number) => ({
      partition,
      offset: o?.offset ?? -1n,
      leaderEpoch: o?.leaderEpoch ?? -1,
      metadata: o?.metadata ?? '',
    });
    if (topics) {
      return topics.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions.map((p) => answer(this.store.offset(groupId, topic, p), p)),
      }));
    }
    const byTopic = new Map<string, FetchedOffsets>();
    for (const o of this.store.allOffsets(groupId)) {
      let entry = byTopic.get(o.topic);
      if (!entry) byTopic.set(o.topic, (entry = { topic: o.topic, partitions: [] }));
      entry.partitions.push(answer(o, o.partition));
    }
    return [...byTopic.values()];
  }

  /** An unknown group is reported Dead with no error, as Kafka answers the versions served here. */
  describeGroup(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        groupId,
        errorCode: ErrorCode.NONE,
        state: GroupState.Dead,
        protocolType: '',
        protocolName: '',
        members: [],
      };
    }
    return { groupId, errorCode: ErrorCode.NONE, ...group.summary() };
  }

  listGroups(): { groupId: string; protocolType: string; state: GroupState }[] {
    return [...this.groups.values()].map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType ?? '',
      state: g.state,
    }));
  }

  /** Deletes Empty groups and their offsets, durably; groups with members are refused. */
  deleteGroups(groupIds: readonly string[]): { groupId: string; errorCode: ErrorCode }[] {
    return groupIds.map((groupId) => {
      const group = this.groups.get(groupId);
      if (!group) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
      if (!group.is(GroupState.Empty)) return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
      this.store.deleteGroup(groupId);
      group.transitionTo(GroupState.Dead);
      group.clearTimers();
      this.groups.delete(groupId);
      this.logger.info({ group: groupId }, 'deleted group');
      return { groupId, errorCode: ErrorCode.NONE };
    });
  }

  /** A deleted topic takes every group's offsets for it along. */
  onTopicDeleted(topic: string): void {
    this.store.deleteTopic(topic);
  }

  /**
   * Drops offsets of topics that no longer exist: a crash between a topic's deletion and the
   * removal of its offsets must not hand them to a new topic of the same name.
   */
  retainTopics(existing: ReadonlySet<string>): void {
    for (const topic of this.store.topics()) {
      if (!existing.has(topic)) this.store.deleteTopic(topic);
    }
  }

  /** Answers parked requests, stops every timer, closes the journal. */
  close(): void {
    this.membership.close();
    this.groups.clear();
    this.store.close();
  }

  private persistGeneration(group: Group): void {
    try {
      this.store.recordGeneration(group.groupId, group.generationId, group.protocolType ?? '');
    } catch (err) {
      // Only the numbering across restarts depends on it; the group carries on.
      this.logger.error({ err, group: group.groupId }, 'could not record the group generation');
    }
  }
}

/**
 * Kafka's rules for who may commit: a commit with a generation or member id must come from a
 * current member of the current generation; a commit without either ("simple" commit) only
 * to a group without members. A group between its join and its assignment answers 27: the
 * member will have a new assignment soon. While a rebalance is being prepared members may still
 * commit what they processed.
 */
function commitError(group: Group | undefined, generationId: number, memberId: string): ErrorCode {
  const simple = generationId < 0 && memberId === '';
  if (!group) {
    if (simple) return ErrorCode.NONE;
    return generationId < 0 ? ErrorCode.UNKNOWN_MEMBER_ID : ErrorCode.ILLEGAL_GENERATION;
  }
  if (!simple) {
    if (!group.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!group.is(GroupState.Empty)) {
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  if (group.is(GroupState.CompletingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS;
  return ErrorCode.NONE;
}

/** Offsets ready to store, and an error per offset (metadata over the limit is refused). */
function checkOffsets(offsets: readonly OffsetToCommit[]): {
  accepted: CommittedOffset[];
  errors: ErrorCode[];
} {
  const commitTimestamp = Date.now();
  const accepted: CommittedOffset[] = [];
  const errors = offsets.map(({ topic, partition, offset, leaderEpoch, metadata }) => {
    if (metadata !== null && Buffer.byteLength(metadata, 'utf8') > MAX_OFFSET_METADATA_BYTES) {
      return ErrorCode.OFFSET_METADATA_TOO_LARGE;
    }
    accepted.push({ topic, partition, offset, leaderEpoch, metadata: metadata ?? '', commitTimestamp });
    return ErrorCode.NONE;
  });
  return { accepted, errors };
}
