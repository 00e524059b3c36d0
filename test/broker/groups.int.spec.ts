import { afterEach, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { JoinGroup } from '../../src/broker/protocol/messages/joinGroup.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import {
  assignment,
  commit,
  describeGroup,
  fetchOffsets,
  heartbeat,
  join,
  joinNew,
  leave,
  stableGroup,
  subscription,
  sync,
  uniqueGroup,
  untilState,
} from '../support/groupRequests.js';
import { RawClient } from '../support/rawClient.js';
import { createTopic, uniqueTopic } from '../support/wireRequests.js';

/**
 * Classic consumer group membership on the wire, with the same assertions on the embedded broker
 * and on Kafka: joins (KIP-394, unknown members, protocols, session timeouts), the errors a
 * coordinator answers to members it does not know or of an old generation, the states
 * DescribeGroups reports through a rebalance, the rebalance and sync timeouts, and LeaveGroup.
 * Raw requests, each member on its own connection (a broker answers one connection's requests
 * in order, and JoinGroup waits). Offsets and the admin requests are in groupOffsets.int.spec.ts.
 */

forEachBroker('consumer group membership on the wire', {}, (target: BrokerTarget) => {
  const clients: RawClient[] = [];
  const connect = async () => {
    const client = await RawClient.connect(target.port);
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('KIP-394: a first JoinGroup at v4+ gets MEMBER_ID_REQUIRED and an id; below v4 it is a member at once', async () => {
    const client = await connect();
    const groupId = uniqueGroup('kip394');
    const first = await join(client, groupId);
    expect(first).toMatchObject({
      errorCode: ErrorCode.MEMBER_ID_REQUIRED,
      generationId: -1,
      protocolName: '',
      leader: '',
      members: [],
    });
    expect(first.memberId).toMatch(/^raw-client-/);
    const joined = await join(client, groupId, { memberId: first.memberId });
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolName: 'range',
      leader: first.memberId,
      memberId: first.memberId,
    });
    expect(joined.members.map((m) => m.memberId)).toEqual([first.memberId]);

    const old = await join(client, uniqueGroup('v3'), { version: 3 });
    expect(old).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(old.leader).toBe(old.memberId);
  });

  it('refuses a JoinGroup naming a member id the group does not know', async () => {
    const client = await connect();
    const unknownGroup = await join(client, uniqueGroup('nobody'), { memberId: 'made-up' });
    expect(unknownGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const groupId = uniqueGroup('unknown-member');
    await stableGroup(client, groupId);
    const stranger = await join(client, groupId, { memberId: 'made-up' });
    expect(stranger).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1 });
  });

  it('refuses a member whose protocols the group cannot agree on', async () => {
    const client = await connect();
    const groupId = uniqueGroup('protocols');
    await stableGroup(client, groupId);
    const other = await connect();
    const first = await join(other, groupId);
    const refuse = (protocolType: string, name: string) =>
      other.request(JoinGroup, 5, {
        groupId,
        sessionTimeoutMs: 6000,
        rebalanceTimeoutMs: 10_000,
        memberId: first.memberId,
        groupInstanceId: null,
        protocolType,
        protocols: [{ name, metadata: subscription('t') }],
      });
    expect((await refuse('connect', 'range')).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await refuse('consumer', 'roundrobin')).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await describeGroup(client, groupId)).groupState).toBe('Stable');
  });

  it('refuses session timeouts outside group.min/max.session.timeout.ms', async () => {
    const client = await connect();
    const groupId = uniqueGroup('session');
    for (const sessionTimeoutMs of [5999, 1_800_001]) {
      const answer = await join(client, groupId, { sessionTimeoutMs });
      expect(answer.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    }
  });

  it('answers Heartbeat, SyncGroup and OffsetCommit of an unknown member or an old generation', async () => {
    const client = await connect();
    const topic = uniqueTopic('group-errors');
    expect(await createTopic(client, topic)).toBe(0);
    const groupId = uniqueGroup('errors');
    const { memberId, generationId } = await stableGroup(client, groupId, topic);

    expect((await heartbeat(client, groupId, generationId, memberId)).errorCode).toBe(0);
    expect((await heartbeat(client, groupId, generationId + 1, memberId)).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect((await heartbeat(client, groupId, generationId, 'made-up')).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await heartbeat(client, uniqueGroup('nobody'), 1, 'made-up')).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );

    expect((await sync(client, groupId, generationId + 1, memberId)).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect((await sync(client, groupId, generationId, 'made-up')).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    // A Stable group hands a member its assignment again.
    const again = await sync(client, groupId, generationId, memberId);
    expect(again).toMatchObject({ errorCode: 0, assignment: assignment(topic, [0]) });

    expect(await commit(client, groupId, generationId, memberId, topic, { 0: 5n })).toEqual([0]);
    expect(await commit(client, groupId, generationId + 1, memberId, topic, { 0: 6n })).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    expect(await commit(client, groupId, generationId, 'made-up', topic, { 0: 6n })).toEqual([
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    // Without a generation, only a group without members takes commits.
    expect(await commit(client, groupId, -1, '', topic, { 0: 6n })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(await commit(client, uniqueGroup('nobody'), 1, 'made-up', topic, { 0: 6n })).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    const fetched = await fetchOffsets(client, groupId, [{ name: topic, partitionIndexes: [0] }]);
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(5n);
  });

  it('walks DescribeGroups through a rebalance: Stable, PreparingRebalance, CompletingRebalance, Stable', async () => {
    const [a, b, observer] = [await connect(), await connect(), await connect()];
    const topic = uniqueTopic('group-states');
    expect(await createTopic(observer, topic, {}, 2)).toBe(0);
    const groupId = uniqueGroup('states');
    const first = await stableGroup(a, groupId, topic);
    const stable = await describeGroup(observer, groupId);
    expect(stable).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(stable.members).toEqual([
      {
        memberId: first.memberId,
        clientId: 'raw-client',
        clientHost: '/127.0.0.1',
        memberMetadata: subscription(topic),
        memberAssignment: assignment(topic, [0]),
      },
    ]);

    // A second member's join parks until the first rejoins: the group prepares a rebalance.
    const second = await join(b, groupId, { metadata: subscription(topic) });
    expect(second.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const secondJoin = join(b, groupId, { memberId: second.memberId, metadata: subscription(topic) });
    const preparing = await untilState(observer, groupId, 'PreparingRebalance');
    expect(preparing.protocolData).toBe('');
    expect(preparing.members.map((m) => m.memberId).sort()).toEqual([first.memberId, second.memberId].sort());
    // Metadata is shown only while Stable; assignments always: the first member's gen-1 one.
    const described = (group: typeof preparing) =>
      new Map(group.members.map((m) => [m.memberId, [m.memberMetadata.length, m.memberAssignment]]));
    const lastHandedOut = new Map([
      [first.memberId, [0, assignment(topic, [0])]],
      [second.memberId, [0, Buffer.alloc(0)]],
    ]);
    expect(described(preparing)).toEqual(lastHandedOut);
    expect((await heartbeat(a, groupId, first.generationId, first.memberId)).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    expect((await sync(a, groupId, first.generationId, first.memberId)).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    // A member may still commit what it processed while the rebalance is prepared.
    expect(await commit(a, groupId, first.generationId, first.memberId, topic, { 0: 1n })).toEqual([0]);

    const rejoined = await join(a, groupId, { memberId: first.memberId, metadata: subscription(topic) });
    const joinedB = await secondJoin;
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 2, leader: first.memberId });
    expect(rejoined.members).toHaveLength(2);
    expect(joinedB).toMatchObject({ errorCode: 0, generationId: 2, leader: first.memberId, members: [] });

    // Joined, not yet assigned: heartbeats are fine, commits wait for the assignment.
    const completing = await describeGroup(observer, groupId);
    expect(completing.groupState).toBe('CompletingRebalance');
    expect(described(completing)).toEqual(lastHandedOut);
    expect((await heartbeat(b, groupId, 2, second.memberId)).errorCode).toBe(0);
    expect((await heartbeat(a, groupId, first.generationId, first.memberId)).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    expect(await commit(a, groupId, 2, first.memberId, topic, { 0: 2n })).toEqual([
      ErrorCode.REBALANCE_IN_PROGRESS,
    ]);

    const followerSync = sync(b, groupId, 2, second.memberId);
    const leaderSync = await sync(a, groupId, 2, first.memberId, [
      { memberId: first.memberId, assignment: assignment(topic, [0]) },
      { memberId: second.memberId, assignment: assignment(topic, [1]) },
    ]);
    expect(leaderSync).toMatchObject({ errorCode: 0, assignment: assignment(topic, [0]) });
    expect(await followerSync).toMatchObject({ errorCode: 0, assignment: assignment(topic, [1]) });
    const restabilised = await describeGroup(observer, groupId);
    expect(restabilised.groupState).toBe('Stable');
    expect(restabilised.members).toHaveLength(2);
    expect(await commit(b, groupId, 2, second.memberId, topic, { 1: 3n })).toEqual([0]);
    // A follower rejoining with the same subscription is answered at once: no rebalance.
    const again = await join(b, groupId, { memberId: second.memberId, metadata: subscription(topic) });
    expect(again).toMatchObject({ errorCode: 0, generationId: 2, leader: first.memberId, members: [] });
    expect((await describeGroup(observer, groupId)).groupState).toBe('Stable');
  });

  it('drops a member that does not rejoin within the rebalance timeout, and one that does not sync', async () => {
    const [a, b, observer] = [await connect(), await connect(), await connect()];
    const groupId = uniqueGroup('timeouts');
    const quick = { rebalanceTimeoutMs: 1000 };
    const joinedA = await joinNew(a, groupId, quick);
    await sync(a, groupId, joinedA.generationId, joinedA.memberId, []);
    // b joins; a, still Stable a moment ago, never rejoins: the join completes without it.
    const joinedB = await joinNew(b, groupId, quick);
    expect(joinedB).toMatchObject({ errorCode: 0, generationId: 2 });
    expect(joinedB.leader).toBe(joinedB.memberId);
    expect(joinedB.members.map((m) => m.memberId)).toEqual([joinedB.memberId]);
    expect((await heartbeat(a, groupId, 1, joinedA.memberId)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    // b never sends SyncGroup: a rebalance timeout later it is gone too, and a new generation
    // begins without members.
    await untilState(observer, groupId, 'Empty');
    expect((await heartbeat(b, groupId, 2, joinedB.memberId)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await joinNew(observer, groupId, quick)).toMatchObject({ errorCode: 0, generationId: 4 });
  });

  it('reports an unknown group Dead, and a group whose members left Empty', async () => {
    const client = await connect();
    const unknown = await describeGroup(client, uniqueGroup('never'));
    expect(unknown).toMatchObject({
      errorCode: 0,
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
    const groupId = uniqueGroup('left');
    const { memberId } = await stableGroup(client, groupId);
    const left = await leave(client, groupId, [memberId]);
    expect(left).toMatchObject({ errorCode: 0, members: [{ memberId, errorCode: 0 }] });
    const empty = await describeGroup(client, groupId);
    expect(empty).toMatchObject({
      groupState: 'Empty',
      protocolType: 'consumer',
      protocolData: '',
      members: [],
    });
  });

  it('answers LeaveGroup of an unknown member per member at v3, at the top below', async () => {
    const client = await connect();
    const groupId = uniqueGroup('leave');
    const { memberId } = await stableGroup(client, groupId);
    const v3 = await leave(client, groupId, ['made-up', memberId]);
    expect(v3).toMatchObject({
      errorCode: 0,
      members: [
        { memberId: 'made-up', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
        { memberId, errorCode: 0 },
      ],
    });
    expect((await leave(client, groupId, ['made-up'], 1)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const noGroup = await leave(client, uniqueGroup('nobody'), ['made-up'], 1);
    expect(noGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
