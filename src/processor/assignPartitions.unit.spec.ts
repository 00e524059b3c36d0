import { describe, expect, it } from 'vitest';
import { assignPartitions } from './assignPartitions.js';

const sizes = (a: Map<string, number[]>) => [...a.values()].map((p) => p.length).sort();
const all = (a: Map<string, number[]>) => [...a.values()].flat().sort((x, y) => x - y);

describe('assignPartitions', () => {
  it('spreads partitions evenly and covers each exactly once', () => {
    for (const [members, count] of [
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [5, 3],
      [3, 8],
    ] as const) {
      const claims = Array.from({ length: members }, (_, i) => ({ memberId: `m${i}`, owned: [] }));
      const result = assignPartitions(claims, count);
      expect(all(result)).toEqual(Array.from({ length: count }, (_, i) => i));
      const lengths = sizes(result);
      expect(lengths.at(-1)! - lengths[0]!).toBeLessThanOrEqual(1);
    }
  });

  it('lets members keep what they owned when a member joins or leaves', () => {
    const two = assignPartitions(
      [
        { memberId: 'a', owned: [] },
        { memberId: 'b', owned: [] },
      ],
      6,
    );
    const three = assignPartitions(
      [
        { memberId: 'a', owned: two.get('a')! },
        { memberId: 'b', owned: two.get('b')! },
        { memberId: 'c', owned: [] },
      ],
      6,
    );
    expect(sizes(three)).toEqual([2, 2, 2]);
    // a and b each give up exactly one partition; nothing else moves.
    expect(three.get('a')!.every((p) => two.get('a')!.includes(p))).toBe(true);
    expect(three.get('b')!.every((p) => two.get('b')!.includes(p))).toBe(true);
    const afterLeave = assignPartitions(
      [
        { memberId: 'a', owned: three.get('a')! },
        { memberId: 'c', owned: three.get('c')! },
      ],
      6,
    );
    expect(three.get('a')!.every((p) => afterLeave.get('a')!.includes(p))).toBe(true);
    expect(three.get('c')!.every((p) => afterLeave.get('c')!.includes(p))).toBe(true);
    expect(all(afterLeave)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('resolves conflicting claims and ignores partitions that no longer exist', () => {
    const result = assignPartitions(
      [
        { memberId: 'a', owned: [0, 1, 9] },
        { memberId: 'b', owned: [1, 2] },
      ],
      4,
    );
    expect(result.get('a')).toEqual([0, 1]);
    expect(result.get('b')).toEqual([2, 3]);
  });
});
