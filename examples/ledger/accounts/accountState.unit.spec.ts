import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/testing/index.js';
import { SeededRandom } from '../../../src/testing/index.js';
import { type CheckNumberRanges, initialAccountState, isCheckUsed, withCheck } from './accountState.js';

/** The ranges after adding the check numbers in order, each step's input frozen. */
const usedChecks = (...checkNumbers: number[]): CheckNumberRanges =>
  checkNumbers.reduce<CheckNumberRanges>((ranges, n) => withCheck(deepFreeze(ranges), n), []);

/** Whether the ranges are sorted, disjoint and non-adjacent, each from ≤ to. */
function wellFormed(ranges: CheckNumberRanges): boolean {
  return ranges.every(
    ([from, to], i) => from <= to && (i === 0 || (ranges[i - 1]?.[1] ?? -Infinity) + 1 < from),
  );
}

describe('account state', () => {
  it('starts without an account', () => {
    expect(initialAccountState()).toStrictEqual({ status: 'NONE' });
  });

  describe('used check numbers', () => {
    it('start empty', () => {
      expect(isCheckUsed([], 1)).toBe(false);
      expect(usedChecks()).toStrictEqual([]);
      expect(usedChecks(5)).toStrictEqual([[5, 5]]);
    });

    it('keep a sequence as one range', () => {
      const ranges = usedChecks(1, 2, 3, 4);
      expect(ranges).toStrictEqual([[1, 4]]);
      expect([0, 1, 2, 3, 4, 5].map((n) => isCheckUsed(ranges, n))).toStrictEqual([
        false,
        true,
        true,
        true,
        true,
        false,
      ]);
    });

    it('extend a range at either end', () => {
      expect(withCheck([[3, 5]], 2)).toStrictEqual([[2, 5]]);
      expect(withCheck([[3, 5]], 6)).toStrictEqual([[3, 6]]);
    });

    it('keep numbers apart while a gap is left, in sorted order whatever order they come in', () => {
      expect(usedChecks(5, 1, 3)).toStrictEqual([
        [1, 1],
        [3, 3],
        [5, 5],
      ]);
      expect(usedChecks(10, 20, 1)).toStrictEqual([
        [1, 1],
        [10, 10],
        [20, 20],
      ]);
      expect(
        withCheck(
          [
            [1, 2],
            [10, 12],
          ],
          6,
        ),
      ).toStrictEqual([
        [1, 2],
        [6, 6],
        [10, 12],
      ]);
    });

    it('merge the ranges a number joins', () => {
      expect(usedChecks(5, 1, 3, 2, 4)).toStrictEqual([[1, 5]]);
      expect(
        withCheck(
          [
            [1, 2],
            [4, 5],
            [9, 9],
          ],
          3,
        ),
      ).toStrictEqual([
        [1, 5],
        [9, 9],
      ]);
      expect(
        withCheck(
          [
            [1, 1],
            [3, 7],
            [9, 9],
          ],
          8,
        ),
      ).toStrictEqual([
        [1, 1],
        [3, 9],
      ]);
    });

    it('return the same ranges for a number already used', () => {
      const ranges = deepFreeze(usedChecks(1, 2, 3, 7));
      for (const n of [1, 2, 3, 7]) expect(withCheck(ranges, n)).toBe(ranges);
      expect(usedChecks(4, 4, 4)).toStrictEqual([[4, 4]]);
    });

    it('take numbers up to the largest exact one', () => {
      const max = Number.MAX_SAFE_INTEGER;
      const ranges = usedChecks(max, max - 1, 1);
      expect(ranges).toStrictEqual([
        [1, 1],
        [max - 1, max],
      ]);
      expect(isCheckUsed(ranges, max)).toBe(true);
      expect(isCheckUsed(ranges, max - 2)).toBe(false);
    });

    it('agree with a set of the numbers, and stay sorted, disjoint and non-adjacent (random)', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = new SeededRandom(seed);
        const top = random.int(1, 60);
        const used = new Set<number>();
        let ranges: CheckNumberRanges = [];
        for (let step = random.int(0, 80); step > 0; step--) {
          // mostly the next number in sequence, sometimes any number (repeats included)
          const n = random.next() < 0.4 ? Math.min(Math.max(0, ...used) + 1, top) : random.int(1, top);
          ranges = withCheck(deepFreeze(ranges), n);
          used.add(n);
          const numbers = Array.from({ length: top + 2 }, (_, k) => k);
          const wrong = numbers.filter((k) => isCheckUsed(ranges, k) !== used.has(k));
          // one expect per seed and step would be slow: fail with what went wrong
          if (!wellFormed(ranges) || wrong.length > 0) {
            expect(
              { ranges, wellFormed: wellFormed(ranges), wrong },
              `seed ${seed}, after ${n}`,
            ).toBeUndefined();
          }
        }
        const size = ranges.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
        expect(size, `seed ${seed}`).toBe(used.size);
        // the same numbers in any order give the same ranges
        expect(usedChecks(...[...used].sort((a, b) => b - a)), `seed ${seed}`).toStrictEqual(ranges);
      }
    });
  });
});
