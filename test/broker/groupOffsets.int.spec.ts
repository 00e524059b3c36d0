import kafkajs from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { Heartbeat } from '../../src/broker/protocol/messages/heartbeat.js';
import { JoinGroup } from '../../src/broker/protocol/messages/joinGroup.js';
import { OffsetCommit } from '../../src/broker/protocol/messages/offsetCommit.js';
import { SyncGroup } from '../../src/broker/protocol/messages/syncGroup.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import {
  commit,
  deleteGroup,
  describeGroup,
  fetchOffsets,
  heartbeat,
  leave,
  listGroups,
  stableGroup,
  subscription,
  uniqueGroup,
  untilState,
} from '../support/groupRequests.js';
import { RawClient } from '../support/rawClient.js';
import { createTopic, uniqueTopic } from '../support/wireRequests.js';

// AssignerProtocol is not a named export Node's ESM loader can see in KafkaJS's CommonJS build.
const { AssignerProtocol } = kafkajs;

/**
 * Group offsets and the group admin requests on the wire, with the same assertions on the
 * embedded broker and on Kafka: OffsetFetch of what was never committed, commits from outside
 * group management, the empty group id, ListGroups, DeleteGroups, and KafkaJS's admin on a
 * running group. Membership is in groups.int.spec.ts.
 */

forEachBroker('group offsets and admin on the wire', {}, (target: BrokerTarget) => {
  const clients: RawClient[] = [];
  const connect = async () => {
    const client = await RawClient.connect(target.port);
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('refuses an empty group id to members, and keeps offsets under it', async () => {
    const client = await connect();
    const topic = uniqueTopic('empty-id');
    expect(await createTopic(client, topic)).toBe(0);
    await stableGroup(client, uniqueGroup('loaded')); // the coordinator is ready
    const joined = await client.request(JoinGroup, 5, {
      groupId: '',
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscription(topic) }],
    });
    expect(joined.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(
      (
        await client.request(Heartbeat, 3, {
          groupId: '',
          generationId: 1,
          memberId: 'm',
          groupInstanceId: null,
        })
      ).errorCode,
    ).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(
      (
        await client.request(SyncGroup, 3, {
          groupId: '',
          generationId: 1,
          memberId: 'm',
          groupInstanceId: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await leave(client, '', ['m'], 1)).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    // Offsets alone may be kept under the empty group id: Kafka keeps that for backwards
    // compatibility.
    const committed = await client.request(OffsetCommit, 7, {
      groupId: '',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: topic,
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' },
          ],
        },
      ],
    });
    expect(committed.topics[0]!.partitions[0]!.errorCode).toBe(0);
    const fetched = await fetchOffsets(client, '', [{ name: topic, partitionIndexes: [0] }]);
    expect(fetched.errorCode).toBe(0);
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(1n);
    expect(await describeGroup(client, '')).toMatchObject({
      errorCode: 0,
      groupState: 'Empty',
      protocolType: '',
    });
    expect((await listGroups(client)).groups).toContainEqual({ groupId: '', protocolType: '' });
    expect(await deleteGroup(client, '')).toBe(0);
    expect((await describeGroup(client, '')).groupState).toBe('Dead');
  });

  it('answers OffsetFetch of an unknown group or partition with -1, and null topics with nothing', async () => {
    const client = await connect();
    const topic = uniqueTopic('fetch-unknown');
    expect(await createTopic(client, topic)).toBe(0);
    const unknown = await fetchOffsets(client, uniqueGroup('never'), [
      { name: topic, partitionIndexes: [0, 7] },
      { name: uniqueTopic('no-such-topic'), partitionIndexes: [0] },
    ]);
    expect(unknown.errorCode).toBe(0);
    const partitions = unknown.topics.flatMap((t) => t.partitions);
    expect(partitions).toHaveLength(3);
    for (const p of partitions) {
      expect(p).toMatchObject({ committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 });
    }
    const all = await fetchOffsets(client, uniqueGroup('never'), null);
    expect(all).toMatchObject({ errorCode: 0, topics: [] });
  });

  it('takes commits without a generation to a group without members, lists it, and deletes it', async () => {
    const client = await connect();
    const topic = uniqueTopic('simple');
    expect(await createTopic(client, topic, {}, 2)).toBe(0);
    const groupId = uniqueGroup('simple');
    expect(await commit(client, groupId, -1, '', topic, { 0: 4n, 1: 9n, 2: 1n })).toEqual([
      0,
      0,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const fetched = await fetchOffsets(client, groupId, null);
    expect(fetched.topics).toHaveLength(1);
    expect(fetched.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset]).sort()).toEqual([
      [0, 4n],
      [1, 9n],
    ]);
    expect(await describeGroup(client, groupId)).toMatchObject({
      groupState: 'Empty',
      protocolType: '',
      members: [],
    });
    const listed = (await listGroups(client)).groups.find((g) => g.groupId === groupId);
    expect(listed).toEqual({ groupId, protocolType: '' });

    expect(await deleteGroup(client, groupId)).toBe(0);
    const afterDelete = await fetchOffsets(client, groupId, [{ name: topic, partitionIndexes: [0] }]);
    expect(afterDelete.topics[0]!.partitions[0]!.committedOffset).toBe(-1n);
    expect((await listGroups(client)).groups.some((g) => g.groupId === groupId)).toBe(false);
    expect(await deleteGroup(client, groupId)).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('refuses to delete a group with members, and deletes it once they left', async () => {
    const client = await connect();
    const groupId = uniqueGroup('non-empty');
    const { memberId } = await stableGroup(client, groupId);
    const listed = (await listGroups(client)).groups.find((g) => g.groupId === groupId);
    expect(listed).toEqual({ groupId, protocolType: 'consumer' });
    expect(await deleteGroup(client, groupId)).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect((await heartbeat(client, groupId, 1, memberId)).errorCode).toBe(0);
    await leave(client, groupId, [memberId]);
    expect(await deleteGroup(client, groupId)).toBe(0);
    expect((await describeGroup(client, groupId)).groupState).toBe('Dead');
  });

  it('KafkaJS admin: lists and describes a running consumer group, and deletes it only once it is empty', async () => {
    const kafka = target.kafka('groups-admin');
    const admin = kafka.admin();
    await admin.connect();
    const groupId = uniqueGroup('kafkajs');
    const topic = uniqueTopic('kafkajs-group');
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, maxWaitTimeInMs: 100 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      const raw = await connect();
      const stable = await untilState(raw, groupId, 'Stable');
      expect(stable.members).toHaveLength(1);
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' });
      const member = groups[0]!.members[0]!;
      expect(member.clientId).toBe('groups-admin');
      const assigned = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      expect(assigned?.assignment[topic]?.sort()).toEqual([0, 1]);
      expect((await admin.listGroups()).groups).toContainEqual({ groupId, protocolType: 'consumer' });
      await expect(admin.deleteGroups([groupId])).rejects.toMatchObject({
        groups: [{ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP }],
      });
    } finally {
      await consumer.disconnect();
    }
    expect(await admin.deleteGroups([groupId])).toEqual([{ groupId, errorCode: 0 }]);
    await admin.disconnect();
  });
});
