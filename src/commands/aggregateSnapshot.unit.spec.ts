import { describe, expect, it } from 'vitest';
import { dueExpiries, expiredCommand, expiryKey, isSnapshotKey, resultKey } from './aggregateSnapshot.js';

const within = (key: string, range: { gte: string; lt: string }) => key >= range.gte && key < range.lt;

describe('the aggregate store keys', () => {
  it('orders expiry keys by time, and names the command they expire', () => {
    const keys = [expiryKey(1_000_000, 'b'), expiryKey(999, 'a'), expiryKey(1_700_000_000_000, 'c/d')];
    expect([...keys].sort()).toEqual([keys[1], keys[0], keys[2]]);
    expect(keys.map(expiredCommand)).toEqual(['b', 'a', 'c/d']);
  });

  it('finds the expiries due at a time, up to and including it, and nothing else', () => {
    const due = dueExpiries(5000);
    expect(within(expiryKey(4999, 'x'), due)).toBe(true);
    expect(within(expiryKey(5000, 'x'), due)).toBe(true);
    expect(within(expiryKey(5001, 'x'), due)).toBe(false);
    expect(within(resultKey('x'), due)).toBe(false);
    expect(within('account-1', due)).toBe(false);
  });

  it('tells snapshots from remembered results and expiries', () => {
    expect(isSnapshotKey('acc-1')).toBe(true);
    expect(isSnapshotKey(resultKey('c-1'))).toBe(false);
    expect(isSnapshotKey(expiryKey(1, 'c-1'))).toBe(false);
  });
});
