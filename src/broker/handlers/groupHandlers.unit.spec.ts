import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrokerContext } from '../brokerContext.js';
import type { GroupCoordinator } from '../group/groupCoordinator.js';
import { newCoordinator } from '../group/testing/groupTestKit.js';
import type { RequestOf } from '../protocol/api.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import type { DescribeGroups } from '../protocol/messages/describeGroups.js';
import type { JoinGroup } from '../protocol/messages/joinGroup.js';
import type { LeaveGroup } from '../protocol/messages/leaveGroup.js';
import type { OffsetCommit } from '../protocol/messages/offsetCommit.js';
import { describeGroupsHandler } from './describeGroups.js';
import { type HandlerResult, NO_RESPONSE, type RequestContext } from './handler.js';
import { joinGroupHandler } from './joinGroup.js';
import { leaveGroupHandler } from './leaveGroup.js';
import { offsetCommitHandler } from './offsetCommit.js';

/** The group handlers' own logic (versions, validation, mapping), with the coordinator behind them. */

let groups: GroupCoordinator;

beforeEach(() => {
  vi.useFakeTimers();
  groups = newCoordinator();
});

afterEach(() => {
  groups.close();
  vi.useRealTimers();
});

async function respond<Res>(result: HandlerResult<Res> | Promise<HandlerResult<Res>>): Promise<Res> {
  const value = await result;
  if (value === NO_RESPONSE) throw new Error('no response');
  return value;
}

function context(version: number): RequestContext {
  const broker = {
    groups,
    // Only topic "known" with 2 partitions exists.
    logs: { partition: (topic: string, p: number) => (topic === 'known' && p < 2 ? {} : undefined) },
  } as unknown as BrokerContext;
  return {
    version,
    header: { apiKey: 0, apiVersion: version, correlationId: 1, clientId: 'app' },
    connection: { id: 1, remoteAddress: '10.0.0.7', remotePort: 50000 },
    broker,
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
  };
}

const join = (version: number, overrides: Partial<RequestOf<typeof JoinGroup>> = {}) =>
  respond(
    joinGroupHandler.handle(
      {
        groupId: 'g',
        sessionTimeoutMs: 5000,
        rebalanceTimeoutMs: -1,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.from('m') }],
        ...overrides,
      },
      context(version),
    ),
  );

describe('JoinGroup handler', () => {
  it('v4+ asks a new member to come back with an id; v0-3 assign one at once', async () => {
    expect(await join(4)).toMatchObject({
      errorCode: ErrorCode.MEMBER_ID_REQUIRED,
      memberId: expect.stringMatching(/^app-/),
    });
    // Another group: the id handed out above holds g's join phase until it is used or lapses.
    const v0 = await join(0, { groupId: 'h' });
    expect(v0).toMatchObject({ errorCode: 0, generationId: 1, throttleTimeMs: 0 });
    expect(v0.members).toEqual([
      { memberId: v0.memberId, groupInstanceId: null, metadata: Buffer.from('m') },
    ]);
  });

  it('records the client id and the host as Kafka shows them', async () => {
    await join(3);
    const [member] = groups.describeGroup('g').members;
    expect(member).toMatchObject({ clientId: 'app', clientHost: '/10.0.0.7' });
  });

  it('v0 uses the session timeout as the rebalance timeout', async () => {
    const first = await join(0, { sessionTimeoutMs: 8000 });
    // A newcomer starts a rebalance that the first member never rejoins: it lasts 8 s, the
    // largest session timeout, and then goes on without it.
    let done = false;
    void join(0).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4000);
    expect(groups.heartbeat('g', 1, first.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await vi.advanceTimersByTimeAsync(3999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(groups.heartbeat('g', 2, first.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('LeaveGroup handler', () => {
  const leave = (version: number, request: Partial<RequestOf<typeof LeaveGroup>>) =>
    respond(
      leaveGroupHandler.handle({ groupId: 'g', memberId: '', members: [], ...request }, context(version)),
    );

  it('v0-2 carry the member error at the top level; v3 per member', async () => {
    const { memberId } = await join(3);
    expect(await leave(1, { memberId: 'ghost' })).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    expect(
      await leave(3, {
        members: [
          { memberId, groupInstanceId: null },
          { memberId: 'ghost', groupInstanceId: null },
        ],
      }),
    ).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      members: [
        { memberId, groupInstanceId: null, errorCode: 0 },
        { memberId: 'ghost', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    expect(await leave(0, { groupId: '' })).toMatchObject({ errorCode: ErrorCode.INVALID_GROUP_ID });
  });
});

describe('OffsetCommit handler', () => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION per unknown partition and commits the rest', async () => {
    const request: RequestOf<typeof OffsetCommit> = {
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: 'known',
          partitions: [0, 2, 1].map((partitionIndex) => ({
            partitionIndex,
            committedOffset: 10n,
            committedLeaderEpoch: -1,
            committedMetadata: null,
          })),
        },
        {
          name: 'unknown',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' },
          ],
        },
      ],
    };
    expect(await respond(offsetCommitHandler.handle(request, context(7)))).toEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: 'known',
          partitions: [
            { partitionIndex: 0, errorCode: 0 },
            { partitionIndex: 2, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
            { partitionIndex: 1, errorCode: 0 },
          ],
        },
        {
          name: 'unknown',
          partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }],
        },
      ],
    });
    expect(groups.fetchOffsets('g', null)).toEqual([
      {
        topic: 'known',
        partitions: [
          { partition: 0, offset: 10n, leaderEpoch: -1, metadata: '' },
          { partition: 1, offset: 10n, leaderEpoch: -1, metadata: '' },
        ],
      },
    ]);
  });
});

describe('DescribeGroups handler', () => {
  it('describes an unknown group as Dead without an error', async () => {
    const request: RequestOf<typeof DescribeGroups> = { groups: ['nobody'] };
    expect(await respond(describeGroupsHandler.handle(request, context(2)))).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          groupId: 'nobody',
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
        },
      ],
    });
  });
});
