import { describe, expect, it } from 'vitest';
import { CleanerMemory } from './cleanerMemory.js';

describe('CleanerMemory', () => {
  it('dates each offset by the first completed pass that covered it', () => {
    const memory = new CleanerMemory();
    expect(memory.firstSeen(5n)).toBeUndefined();
    memory.completePass(10n, 1000, 500, new Map());
    memory.completePass(10n, 1200, 500, new Map());
    memory.completePass(20n, 1300, 500, new Map());
    expect(memory.firstSeen(9n)).toBe(1000);
    expect(memory.firstSeen(10n)).toBe(1300);
    expect(memory.firstSeen(20n)).toBeUndefined();
    expect(memory.tombstoneExpired(9n, 1499, 500)).toBe(false);
    expect(memory.tombstoneExpired(9n, 1500, 500)).toBe(true);
    expect(memory.tombstoneExpired(15n, 1500, 500)).toBe(false);
  });

  it('merges passes older than the retention without changing what has expired', () => {
    const memory = new CleanerMemory();
    for (let i = 1; i <= 5; i++) memory.completePass(BigInt(i * 10), i * 100, 250, new Map());
    // At 500, passes at 100..200 are older than 250 ms; offsets below 20 expired, 20.. did not.
    expect(memory.tombstoneExpired(19n, 500, 250)).toBe(true);
    expect(memory.tombstoneExpired(20n, 500, 250)).toBe(false);
    expect(memory.firstSeen(45n)).toBe(500);
  });

  it('keeps the markers the last pass found without data', () => {
    const memory = new CleanerMemory();
    memory.completePass(10n, 1000, 500, new Map([[3n, 900]]));
    expect(memory.markerDataGoneSince(3n)).toBe(900);
    memory.completePass(10n, 2000, 500, new Map());
    expect(memory.markerDataGoneSince(3n)).toBeUndefined();
  });
});
