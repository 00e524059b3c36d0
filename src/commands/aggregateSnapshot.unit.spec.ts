import { describe, expect, it } from 'vitest';
import {
  dueExpiries,
  expiredResult,
  expiryKey,
  isSnapshotKey,
  RESULT_COUNT_KEY,
  resultKey,
} from './aggregateSnapshot.js';
import { aggregateIdProblem } from './idRules.js';

const within = (key: string, range: { gte: string; lt: string }) => key >= range.gte && key < range.lt;

describe('the aggregate store keys', () => {
  it('orders expiry keys by time, and names the result they expire', () => {
    const keys = [
      expiryKey(1_000_000, 'acc-1', 'b'),
      expiryKey(999, 'acc-2', 'a'),
      expiryKey(1_700_000_000_000, 'acc-1', 'c"d'),
    ];
    expect([...keys].sort()).toEqual([keys[1], keys[0], keys[2]]);
    expect(keys.map(expiredResult)).toEqual([
      resultKey('acc-1', 'b'),
      resultKey('acc-2', 'a'),
      resultKey('acc-1', 'c"d'),
    ]);
  });

  it('keeps results apart per aggregate, whatever the ids contain', () => {
    expect(resultKey('a', 'b')).not.toBe(resultKey('b', 'a'));
    expect(resultKey('a\u0000b', 'c')).not.toBe(resultKey('a', 'b\u0000c'));
    expect(resultKey('a","b', 'c')).not.toBe(resultKey('a', 'b","c'));
  });

  it('finds the expiries due at a time, up to and including it, and nothing else', () => {
    const due = dueExpiries(5000);
    expect(within(expiryKey(4999, 'a', 'x'), due)).toBe(true);
    expect(within(expiryKey(5000, 'a', 'x'), due)).toBe(true);
    expect(within(expiryKey(5001, 'a', 'x'), due)).toBe(false);
    expect(within(resultKey('a', 'x'), due)).toBe(false);
    for (const id of ['account-1', 'exp/0000000000000001/x', 'cmd/k', ''])
      expect(within(id, due)).toBe(false);
  });

  it('tells snapshots from remembered results and expiries, which no aggregate id can look like', () => {
    for (const id of ['acc-1', 'cmd/k', 'exp/0000000000000001/x']) {
      expect(isSnapshotKey(id)).toBe(true);
      expect(aggregateIdProblem(id)).toBeUndefined();
    }
    for (const key of [resultKey('a', 'c-1'), expiryKey(1, 'a', 'c-1'), RESULT_COUNT_KEY]) {
      expect(isSnapshotKey(key)).toBe(false);
      expect(aggregateIdProblem(key)).toMatch(/control character \(U\+0000 at 0\)/);
    }
  });
});
