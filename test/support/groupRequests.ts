import kafkajs from 'kafkajs';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { DeleteGroups } from '../../src/broker/protocol/messages/deleteGroups.js';
import { DescribeGroups } from '../../src/broker/protocol/messages/describeGroups.js';
import { Heartbeat } from '../../src/broker/protocol/messages/heartbeat.js';
import { JoinGroup } from '../../src/broker/protocol/messages/joinGroup.js';
import { LeaveGroup } from '../../src/broker/protocol/messages/leaveGroup.js';
import { ListGroups } from '../../src/broker/protocol/messages/listGroups.js';
import { OffsetCommit } from '../../src/broker/protocol/messages/offsetCommit.js';
import { OffsetFetch } from '../../src/broker/protocol/messages/offsetFetch.js';
import { SyncGroup } from '../../src/broker/protocol/messages/syncGroup.js';
import type { RawClient } from './rawClient.js';
import { findCoordinator, whileLoading } from './transactionRequests.js';

// AssignerProtocol is not a named export Node's ESM loader can see in KafkaJS's CommonJS build.
const { AssignerProtocol } = kafkajs;

/**
 * Raw group requests for the conformance suites, at versions both the embedded broker and
 * Kafka 4 serve (KIP-896 dropped JoinGroup below 2 and OffsetCommit below 2).
 */

let groups = 0;
/** A group id no other test of the run uses. */
export const uniqueGroup = (prefix: string) => `${prefix}-${++groups}-${process.pid}`;

/** A consumer's subscription, encoded as Kafka's consumer protocol (what real members send). */
export const subscription = (...topics: string[]) =>
  AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) });

/** A consumer's assignment, encoded as Kafka's consumer protocol. */
export const assignment = (topic: string, partitions: number[]) =>
  AssignerProtocol.MemberAssignment.encode({
    version: 0,
    assignment: { [topic]: partitions },
    userData: Buffer.alloc(0),
  });

export interface JoinOptions {
  memberId?: string;
  version?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  metadata?: Buffer;
}

/** Kafka's default group.min.session.timeout.ms, which both brokers keep. */
export const MIN_SESSION_TIMEOUT_MS = 6000;

/**
 * Sends a JoinGroup once the group's coordinator (this one node) is ready: Kafka answers
 * NOT_COORDINATOR a moment after FindCoordinator, while it loads the offsets topic's partition.
 */
export async function join(client: RawClient, groupId: string, options: JoinOptions = {}) {
  await findCoordinator(client, groupId, 0);
  return whileLoading(() => joinOnce(client, groupId, options));
}

const joinOnce = (client: RawClient, groupId: string, options: JoinOptions) =>
  client.request(JoinGroup, options.version ?? 5, {
    groupId,
    sessionTimeoutMs: options.sessionTimeoutMs ?? MIN_SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 10_000,
    memberId: options.memberId ?? '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: options.metadata ?? subscription('t') }],
  });

/** A new member's join at v5: the MEMBER_ID_REQUIRED round first (KIP-394), then the join. */
export async function joinNew(client: RawClient, groupId: string, options: JoinOptions = {}) {
  const first = await join(client, groupId, options);
  if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) return first;
  return join(client, groupId, { ...options, memberId: first.memberId });
}

export const sync = (
  client: RawClient,
  groupId: string,
  generationId: number,
  memberId: string,
  assignments: { memberId: string; assignment: Buffer }[] = [],
) => client.request(SyncGroup, 3, { groupId, generationId, memberId, groupInstanceId: null, assignments });

export const heartbeat = (client: RawClient, groupId: string, generationId: number, memberId: string) =>
  client.request(Heartbeat, 3, { groupId, generationId, memberId, groupInstanceId: null });

/** LeaveGroup v3 (a batch of members, each with its error) or v1 (one member, top-level error). */
export const leave = (client: RawClient, groupId: string, memberIds: string[], version = 3) =>
  client.request(LeaveGroup, version, {
    groupId,
    memberId: memberIds[0] ?? '',
    members: memberIds.map((memberId) => ({ memberId, groupInstanceId: null })),
  });

/** A group that one raw member has joined and synced: Stable, generation 1, the member leading. */
export async function stableGroup(client: RawClient, groupId: string, topic = 't') {
  const joined = await joinNew(client, groupId, { metadata: subscription(topic) });
  if (joined.errorCode !== 0) throw new Error(`join of ${groupId} failed with ${joined.errorCode}`);
  const synced = await sync(client, groupId, joined.generationId, joined.memberId, [
    { memberId: joined.memberId, assignment: assignment(topic, [0]) },
  ]);
  if (synced.errorCode !== 0) throw new Error(`sync of ${groupId} failed with ${synced.errorCode}`);
  return { memberId: joined.memberId, generationId: joined.generationId };
}

/**
 * OffsetCommit v7 of partition offsets of one topic; the error of each partition, by partition
 * index (Kafka answers unknown partitions first, the embedded broker in request order).
 */
export async function commit(
  client: RawClient,
  groupId: string,
  generationId: number,
  memberId: string,
  topic: string,
  offsets: Record<number, bigint>,
): Promise<number[]> {
  await findCoordinator(client, groupId, 0);
  const response = await client.request(OffsetCommit, 7, {
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    retentionTimeMs: -1n,
    topics: [
      {
        name: topic,
        partitions: Object.entries(offsets).map(([partition, offset]) => ({
          partitionIndex: Number(partition),
          committedOffset: offset,
          committedLeaderEpoch: -1,
          committedMetadata: '',
        })),
      },
    ],
  });
  return response.topics[0]!.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex).map(
    (p) => p.errorCode,
  );
}

/** OffsetFetch v5; `null` topics asks for every partition the group has committed. */
export async function fetchOffsets(
  client: RawClient,
  groupId: string,
  topics: { name: string; partitionIndexes: number[] }[] | null,
) {
  await findCoordinator(client, groupId, 0);
  return whileLoading(() => client.request(OffsetFetch, 5, { groupId, topics }));
}

export async function describeGroup(client: RawClient, groupId: string) {
  await findCoordinator(client, groupId, 0);
  const response = await client.request(DescribeGroups, 2, { groups: [groupId] });
  return response.groups[0]!;
}

export const listGroups = (client: RawClient) => whileLoading(() => client.request(ListGroups, 2, {}));

export async function deleteGroup(client: RawClient, groupId: string): Promise<number> {
  await findCoordinator(client, groupId, 0);
  const response = await client.request(DeleteGroups, 1, { groupsNames: [groupId] });
  return response.results[0]!.errorCode;
}

/** Waits (at most 15 s) until DescribeGroups reports the state; returns the description. */
export async function untilState(client: RawClient, groupId: string, state: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const group = await describeGroup(client, groupId);
    if (group.groupState === state) return group;
    if (Date.now() > deadline) throw new Error(`group ${groupId} is ${group.groupState}, not ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
