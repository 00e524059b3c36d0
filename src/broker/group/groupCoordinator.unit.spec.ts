import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../protocol/errorCodes.js';
import type { OffsetToCommit } from './groupCoordinator.js';
import { GroupState } from './groupState.js';
import { MemoryGroupJournal } from './memoryGroupJournal.js';
import { formGroup, joinRequest, newCoordinator, track } from './testing/groupTestKit.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const offsets = (...values: [string, number, bigint][]): OffsetToCommit[] =>
  values.map(([topic, partition, offset]) => ({ topic, partition, offset, leaderEpoch: -1, metadata: null }));

describe('OffsetCommit', () => {
  it('accepts simple commits (generation -1, no member) to a missing or Empty group, creating it', () => {
    const c = newCoordinator();
    const commit = (generationId: number, memberId = '') =>
      c.commitOffsets({ groupId: 'g', generationId, memberId, offsets: offsets(['t', 0, 5n]) });
    expect(commit(3)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(commit(-1, 'someone')).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(c.listGroups()).toEqual([]);
    expect(commit(-1)).toEqual([ErrorCode.NONE]);
    expect(c.listGroups()).toEqual([{ groupId: 'g', protocolType: '', state: GroupState.Empty }]);
    expect(commit(-1)).toEqual([ErrorCode.NONE]);
    expect(c.fetchOffsets('g', [{ topic: 't', partitions: [0, 1] }])).toEqual([
      {
        topic: 't',
        partitions: [
          { partition: 0, offset: 5n, leaderEpoch: -1, metadata: '' },
          { partition: 1, offset: -1n, leaderEpoch: -1, metadata: '' },
        ],
      },
    ]);
  });

  it('answers by state, generation and member', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const commit = (generationId: number, memberId: string) =>
      c.commitOffsets({ groupId: 'g', generationId, memberId, offsets: offsets(['t', 0, 1n]) })[0];

    const joined = track(c.joinGroup(joinRequest()));
    await vi.advanceTimersByTimeAsync(1000);
    const a = joined.value!;
    expect(c.describeGroup('g').state).toBe(GroupState.CompletingRebalance);
    expect(commit(1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });

    expect(commit(1, a.memberId)).toBe(ErrorCode.NONE);
    expect(commit(0, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit(1, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(-1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    void c.joinGroup(joinRequest());
    expect(c.describeGroup('g').state).toBe(GroupState.PreparingRebalance);
    // Members may still commit what they processed before rejoining.
    expect(commit(1, a.memberId)).toBe(ErrorCode.NONE);
  });

  it('refuses metadata over 4096 bytes for that partition only', () => {
    const c = newCoordinator();
    const result = c.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      offsets: [
        { topic: 't', partition: 0, offset: 1n, leaderEpoch: 3, metadata: 'x'.repeat(4097) },
        { topic: 't', partition: 1, offset: 2n, leaderEpoch: 4, metadata: 'x'.repeat(4096) },
      ],
    });
    expect(result).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
    const [fetched] = c.fetchOffsets('g', null);
    expect(fetched!.partitions).toEqual([
      { partition: 1, offset: 2n, leaderEpoch: 4, metadata: 'x'.repeat(4096) },
    ]);
  });

  it('a commit counts as a sign of life', async () => {
    const c = newCoordinator();
    const a = await c.joinGroup(joinRequest({ sessionTimeoutMs: 5000 }));
    await c.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] });
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(4000);
      c.commitOffsets({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        offsets: offsets(['t', 0, 1n]),
      });
    }
    expect(c.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.NONE);
  });
});

describe('OffsetFetch', () => {
  it('null topics returns everything the group committed, by topic', () => {
    const c = newCoordinator();
    c.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      offsets: offsets(['a', 0, 1n], ['b', 2, 7n], ['a', 1, 3n]),
    });
    expect(
      c.fetchOffsets('g', null).map((t) => [t.topic, t.partitions.map((p) => [p.partition, p.offset])]),
    ).toEqual([
      [
        'a',
        [
          [0, 1n],
          [1, 3n],
        ],
      ],
      ['b', [[2, 7n]]],
    ]);
    expect(c.fetchOffsets('unknown', null)).toEqual([]);
    expect(c.fetchOffsets('unknown', [{ topic: 'a', partitions: [0] }])[0]!.partitions[0]!.offset).toBe(-1n);
  });
});

describe('persistence', () => {
  it('offsets and generations survive a restart; membership does not', async () => {
    const journal = new MemoryGroupJournal();
    const first = newCoordinator({ initialRebalanceDelayMs: 100 }, journal);
    const { a } = await formGroup(first, ['a']);
    first.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: a!.memberId,
      offsets: offsets(['t', 0, 42n]),
    });
    first.close();

    const second = newCoordinator({}, journal);
    expect(second.describeGroup('g')).toMatchObject({
      state: GroupState.Empty,
      protocolType: 'consumer',
      members: [],
    });
    expect(second.fetchOffsets('g', null)[0]!.partitions[0]!.offset).toBe(42n);
    expect(second.heartbeat('g', 1, a!.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoined = await second.joinGroup(joinRequest({ memberId: a!.memberId }));
    expect(rejoined.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const fresh = await second.joinGroup(joinRequest());
    expect(fresh.generationId).toBe(2);
  });

  it('a deleted topic takes its offsets along, in every group', () => {
    const journal = new MemoryGroupJournal();
    const c = newCoordinator({}, journal);
    for (const groupId of ['g', 'h']) {
      c.commitOffsets({
        groupId,
        generationId: -1,
        memberId: '',
        offsets: offsets(['a', 0, 1n], ['b', 0, 1n]),
      });
    }
    c.onTopicDeleted('a');
    c.close();
    const reloaded = newCoordinator({}, journal);
    expect(reloaded.fetchOffsets('g', null).map((t) => t.topic)).toEqual(['b']);
    expect(reloaded.fetchOffsets('h', null).map((t) => t.topic)).toEqual(['b']);
  });
});

describe('DescribeGroups, ListGroups, DeleteGroups', () => {
  it('describes a stable group with members, metadata and assignments', async () => {
    const c = newCoordinator({ initialRebalanceDelayMs: 100 });
    const { a } = await formGroup(c, ['a']);
    expect(c.describeGroup('g')).toEqual({
      groupId: 'g',
      errorCode: 0,
      state: 'Stable',
      protocolType: 'consumer',
      protocolName: 'range',
      members: [
        {
          memberId: a!.memberId,
          clientId: 'a',
          clientHost: '/127.0.0.1',
          metadata: Buffer.from('subscription'),
          assignment: Buffer.from('a'),
        },
      ],
    });
    expect(c.describeGroup('nope')).toEqual({
      groupId: 'nope',
      errorCode: 0,
      state: 'Dead',
      protocolType: '',
      protocolName: '',
      members: [],
    });
  });

  it('deletes only Empty groups, with their offsets, durably', async () => {
    const journal = new MemoryGroupJournal();
    const c = newCoordinator({ initialRebalanceDelayMs: 100 }, journal);
    const { a } = await formGroup(c, ['a']);
    c.commitOffsets({ groupId: 'g', generationId: 1, memberId: a!.memberId, offsets: offsets(['t', 0, 9n]) });
    expect(c.deleteGroups(['g', 'missing'])).toEqual([
      { groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    c.leaveGroup('g', [a!.memberId]);
    expect(c.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: ErrorCode.NONE }]);
    expect(c.listGroups()).toEqual([]);
    expect(c.describeGroup('g').state).toBe('Dead');
    c.close();
    const reloaded = newCoordinator({}, journal);
    expect(reloaded.listGroups()).toEqual([]);
    expect(reloaded.fetchOffsets('g', null)).toEqual([]);
  });
});
