import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../protocol/errorCodes.js';
import { GroupState } from './groupState.js';
import { flush, formGroup, joinRequest, newCoordinator, settled, track } from './testing/groupTestKit.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const bytes = (s: string) => Buffer.from(s);

describe('JoinGroup', () => {
  it('v4+: a member without an id gets MEMBER_ID_REQUIRED and an id, then joins with it', async () => {
    const c = newCoordinator();
    const first = await c.joinGroup(joinRequest({ clientId: 'app', requireKnownMemberId: true }));
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, members: [] });
    expect(first.memberId).toMatch(/^app-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(c.describeGroup('g').members).toEqual([]);

    const second = await c.joinGroup(joinRequest({ memberId: first.memberId, requireKnownMemberId: true }));
    expect(second).toEqual({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolName: 'range',
      leader: first.memberId,
      memberId: first.memberId,
      members: [{ memberId: first.memberId, metadata: bytes('subscription') }],
    });
    expect(c.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
  });

  it('below v4: a member without an id is given one directly', async () => {
    const c = newCoordinator();
    const result = await c.joinGroup(joinRequest({ clientId: 'py' }));
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.memberId).toMatch(/^py-/);
    expect(result.generationId).toBe(1);
  });

  it('an id handed out but never used lapses after the session timeout', async () => {
    const c = newCoordinator();
    const a = await c.joinGroup(joinRequest());
    const pending = await c.joinGroup(joinRequest({ requireKnownMemberId: true, sessionTimeoutMs: 5000 }));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    await vi.advanceTimersByTimeAsync(5000);
    const late = await c.joinGroup(joinRequest({ memberId: pending.memberId, requireKnownMemberId: true }));
    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(a.errorCode).toBe(ErrorCode.NONE);
  });

  it('rejects bad requests with Kafka error codes', async () => {
    const c = newCoordinator();
    expect((await c.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await c.joinGroup(joinRequest({ sessionTimeoutMs: 999 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(joinRequest({ sessionTimeoutMs: 60_001 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await c.joinGroup(joinRequest({ protocolType: '' }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect(c.listGroups()).toEqual([]);

    await c.joinGroup(joinRequest());
    expect((await c.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await c.joinGroup(joinRequest({ protocolType: 'connect' }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    const otherProtocol = joinRequest({ protocols: [{ name: 'RoundRobinAssigner', metadata: bytes('x') }] });
    expect((await c.joinGroup(otherProtocol)).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('holds join answers until every known member has rejoined', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a } = await formGroup(c, ['a']);
    const b = track(c.joinGroup(joinRequest({ clientId: 'b' })));
    await flush();
    expect(b.settled).toBe(false);
    expect(c.describeGroup('g').state).toBe(GroupState.PreparingRebalance);
    expect(c.heartbeat('g', 1, a!.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    const aAgain = track(c.joinGroup(joinRequest({ memberId: a!.memberId })));
    const [bResult, aResult] = [await settled(b), await settled(aAgain)];
    expect(aResult).toMatchObject({ generationId: 2, leader: a!.memberId });
    expect(aResult.members.map((m) => m.memberId)).toEqual([a!.memberId, bResult.memberId]);
    expect(bResult).toMatchObject({ generationId: 2, leader: a!.memberId, members: [] });
  });

  it('removes members that do not rejoin within the rebalance timeout', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b'], { rebalanceTimeoutMs: 5000 });
    const newcomer = track(c.joinGroup(joinRequest({ clientId: 'c', rebalanceTimeoutMs: 5000 })));
    const aAgain = track(c.joinGroup(joinRequest({ memberId: a!.memberId, rebalanceTimeoutMs: 5000 })));
    await vi.advanceTimersByTimeAsync(4999);
    expect(aAgain.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await settled(aAgain);
    expect(result.generationId).toBe(2);
    expect(result.members.map((m) => m.memberId)).toEqual([a!.memberId, (await settled(newcomer)).memberId]);
    expect(c.heartbeat('g', 2, b!.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('keeps the leader if it rejoined, else picks one that did', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b'], { rebalanceTimeoutMs: 5000 });
    const leader = a!.leader === a!.memberId ? a! : b!;
    const follower = leader === a ? b! : a!;
    expect(c.leaveGroup('g', [leader.memberId])).toEqual([{ memberId: leader.memberId, errorCode: 0 }]);
    const result = await c.joinGroup(joinRequest({ memberId: follower.memberId, rebalanceTimeoutMs: 5000 }));
    expect(result).toMatchObject({ generationId: 2, leader: follower.memberId });
  });

  it('chooses the protocol every member supports, by vote', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const protocols = (...names: string[]) => names.map((name) => ({ name, metadata: bytes(name) }));
    const joins = [
      track(c.joinGroup(joinRequest({ protocols: protocols('sticky', 'range', 'roundrobin') }))),
      track(c.joinGroup(joinRequest({ protocols: protocols('roundrobin', 'range') }))),
      track(c.joinGroup(joinRequest({ protocols: protocols('range', 'roundrobin') }))),
    ];
    await vi.advanceTimersByTimeAsync(1000);
    const results = await Promise.all(joins.map((j) => j.promise));
    // sticky is not supported by all; range gets two votes (its first candidate for the first member).
    expect(results.map((r) => r.protocolName)).toEqual(['range', 'range', 'range']);
    const leader = results.find((r) => r.members.length > 0)!;
    expect(leader.members.map((m) => m.metadata.toString())).toEqual(['range', 'range', 'range']);
  });

  it('answers a follower rejoining unchanged while Stable with the current generation', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    const follower = a!.leader === a!.memberId ? b! : a!;
    const leader = follower === a ? b! : a!;
    const again = await c.joinGroup(joinRequest({ memberId: follower.memberId }));
    expect(again).toMatchObject({ errorCode: 0, generationId: 1, leader: leader.memberId, members: [] });
    expect(c.describeGroup('g').state).toBe(GroupState.Stable);

    // The leader rejoining, or anyone with new metadata, starts a rebalance.
    const leaderAgain = track(c.joinGroup(joinRequest({ memberId: leader.memberId })));
    await flush();
    expect(c.describeGroup('g').state).toBe(GroupState.PreparingRebalance);
    expect(leaderAgain.settled).toBe(false);
  });

  it('answers a member rejoining unchanged while CompletingRebalance with the current generation', async () => {
    const c = newCoordinator();
    const a = await c.joinGroup(joinRequest());
    expect(c.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
    // A retry after a lost answer: the leader gets the same generation and member list again.
    expect(await c.joinGroup(joinRequest({ memberId: a.memberId }))).toEqual(a);
    expect(c.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
    const changed = track(
      c.joinGroup(
        joinRequest({ memberId: a.memberId, protocols: [{ name: 'range', metadata: bytes('v2') }] }),
      ),
    );
    expect((await settled(changed)).generationId).toBe(2);
  });

  it('a member whose connection closes while its join is held is removed, not waited for', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    const connection = new AbortController();
    const bAgain = track(
      c.joinGroup(
        joinRequest({
          memberId: b!.memberId,
          protocols: [{ name: 'range', metadata: bytes('new') }],
          signal: connection.signal,
        }),
      ),
    );
    await flush();
    expect(c.describeGroup('g').state).toBe(GroupState.PreparingRebalance);
    connection.abort();
    expect((await settled(bAgain)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const aAgain = await c.joinGroup(joinRequest({ memberId: a!.memberId }));
    expect(aAgain).toMatchObject({ errorCode: 0, generationId: 2, leader: a!.memberId });
    expect(aAgain.members.map((m) => m.memberId)).toEqual([a!.memberId]);
  });
});

describe('initial rebalance delay', () => {
  it('waits the delay for an Empty group, extended while new members arrive', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 3000 });
    const first = track(c.joinGroup(joinRequest({ rebalanceTimeoutMs: 10_000 })));
    await vi.advanceTimersByTimeAsync(2000);
    const second = track(c.joinGroup(joinRequest({ rebalanceTimeoutMs: 10_000 })));
    await vi.advanceTimersByTimeAsync(3999);
    expect(first.settled || second.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await settled(first)).members).toHaveLength(2);
    expect((await settled(second)).generationId).toBe(1);
  });

  it('never waits beyond the rebalance timeout', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 3000 });
    const startedAt = Date.now();
    const joins = [track(c.joinGroup(joinRequest({ rebalanceTimeoutMs: 10_000 })))];
    for (const at of [2000, 4000, 5000, 7000, 8000]) {
      await vi.advanceTimersByTimeAsync(at - Date.now() + startedAt);
      joins.push(track(c.joinGroup(joinRequest({ rebalanceTimeoutMs: 10_000 }))));
    }
    await vi.advanceTimersByTimeAsync(10_000 - 1 - (Date.now() - startedAt));
    expect(joins.some((j) => j.settled)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await settled(joins[0]!)).members).toHaveLength(6);
  });
});

describe('SyncGroup', () => {
  it('holds followers until the leader sends the assignment; those left out get empty bytes', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const joins = ['a', 'b', 'c'].map((n) => track(c.joinGroup(joinRequest({ clientId: n }))));
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b, cc] = await Promise.all(joins.map((j) => j.promise));
    const leader = [a!, b!, cc!].find((r) => r.members.length > 0)!;
    const followers = [a!, b!, cc!].filter((r) => r !== leader);
    const heldSync = track(
      c.syncGroup({ groupId: 'g', generationId: 1, memberId: followers[0]!.memberId, assignments: [] }),
    );
    await flush();
    expect(heldSync.settled).toBe(false);
    expect(c.heartbeat('g', 1, followers[0]!.memberId)).toBe(ErrorCode.NONE);

    const leaderSync = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: leader.memberId,
      assignments: [
        { memberId: leader.memberId, assignment: bytes('L') },
        { memberId: followers[0]!.memberId, assignment: bytes('F') },
      ],
    });
    expect(leaderSync).toEqual({ errorCode: 0, assignment: bytes('L') });
    expect(await settled(heldSync)).toEqual({ errorCode: 0, assignment: bytes('F') });
    const late = await c.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: followers[1]!.memberId,
      assignments: [],
    });
    expect(late).toEqual({ errorCode: 0, assignment: Buffer.alloc(0) });
    const described = c.describeGroup('g');
    expect(described.state).toBe(GroupState.Stable);
    expect(described.members.find((m) => m.memberId === followers[0]!.memberId)?.assignment).toEqual(
      bytes('F'),
    );
  });

  it('answers errors by state, generation and member', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a } = await formGroup(c, ['a']);
    const sync = (generationId: number, memberId: string) =>
      c.syncGroup({ groupId: 'g', generationId, memberId, assignments: [] });
    expect((await sync(1, 'ghost')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync(0, a!.memberId)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (await c.syncGroup({ groupId: 'nope', generationId: 1, memberId: 'x', assignments: [] })).errorCode,
    ).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    void c.joinGroup(joinRequest());
    expect((await sync(1, a!.memberId)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('members that do not sync within the rebalance timeout are removed', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const joins = ['a', 'b'].map((n) =>
      track(c.joinGroup(joinRequest({ clientId: n, rebalanceTimeoutMs: 5000 }))),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b] = await Promise.all(joins.map((j) => j.promise));
    const leader = a!.members.length > 0 ? a! : b!;
    const follower = leader === a ? b! : a!;
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: leader.memberId, assignments: [] });
    c.heartbeat('g', 1, follower.memberId);
    await vi.advanceTimersByTimeAsync(5000);
    expect(c.describeGroup('g').state).toBe(GroupState.PreparingRebalance);
    expect(c.heartbeat('g', 1, follower.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('Heartbeat and sessions', () => {
  it('answers by state: 27 while preparing a rebalance, 0 while completing it or stable', async () => {
    const c = newCoordinator();
    expect(c.heartbeat('g', 1, 'x')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.heartbeat('', 1, 'x')).toBe(ErrorCode.INVALID_GROUP_ID);
    const a = await c.joinGroup(joinRequest());
    expect(c.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.NONE);
    expect(c.heartbeat('g', 0, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(c.heartbeat('g', 1, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.NONE);
    void c.joinGroup(joinRequest());
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('a member silent for its session timeout is removed and the group rebalances', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    for (let t = 0; t < 4; t++) {
      await vi.advanceTimersByTimeAsync(3000);
      if (t < 3) expect(c.heartbeat('g', 1, a!.memberId)).toBe(ErrorCode.NONE);
    }
    expect(c.heartbeat('g', 1, a!.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(c.heartbeat('g', 1, b!.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const again = await c.joinGroup(joinRequest({ memberId: a!.memberId }));
    expect(again.generationId).toBe(2);
    expect(again.members.map((m) => m.memberId)).toEqual([a!.memberId]);
  });

  it('a member waiting for its join answer is not expired while it waits', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    const newcomer = track(c.joinGroup(joinRequest()));
    const aAgain = track(c.joinGroup(joinRequest({ memberId: a!.memberId })));
    for (let t = 0; t < 3; t++) {
      await vi.advanceTimersByTimeAsync(5000);
      expect(c.heartbeat('g', 1, b!.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    const bAgain = await c.joinGroup(joinRequest({ memberId: b!.memberId }));
    expect(bAgain.generationId).toBe(2);
    expect((await settled(aAgain)).members).toHaveLength(3);
    expect((await settled(newcomer)).generationId).toBe(2);
  });

  it('the session clock restarts when the join answer is sent', async () => {
    const c = newCoordinator();
    const a = await c.joinGroup(joinRequest({ sessionTimeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(4999);
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.NONE);
    await vi.advanceTimersByTimeAsync(5000);
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(c.describeGroup('g').state).toBe(GroupState.Empty);
  });
});

describe('LeaveGroup', () => {
  it('the others rebalance without the member that left; the last one leaves the group Empty', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    expect(c.leaveGroup('g', [b!.memberId, 'ghost'])).toEqual([
      { memberId: b!.memberId, errorCode: ErrorCode.NONE },
      { memberId: 'ghost', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ]);
    expect(c.heartbeat('g', 1, a!.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await c.joinGroup(joinRequest({ memberId: a!.memberId }));
    expect(again.members.map((m) => m.memberId)).toEqual([a!.memberId]);
    c.leaveGroup('g', [a!.memberId]);
    expect(c.describeGroup('g')).toMatchObject({ state: GroupState.Empty, members: [] });
    expect(c.leaveGroup('other', ['x'])).toEqual([{ memberId: 'x', errorCode: ErrorCode.UNKNOWN_MEMBER_ID }]);
  });

  it('a member leaving while others wait for the join lets the join complete', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a, b } = await formGroup(c, ['a', 'b']);
    const aAgain = track(
      c.joinGroup(
        joinRequest({ memberId: a!.memberId, protocols: [{ name: 'range', metadata: bytes('v2') }] }),
      ),
    );
    await flush();
    expect(aAgain.settled).toBe(false);
    c.leaveGroup('g', [b!.memberId]);
    expect((await settled(aAgain)).members.map((m) => m.metadata.toString())).toEqual(['v2']);
  });
});

it('close answers every held request', async () => {
  const c = newCoordinator({ initialRebalanceDelayMs: 5000 });
  const held = track(c.joinGroup(joinRequest()));
  await flush();
  c.close();
  expect((await settled(held)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
});
