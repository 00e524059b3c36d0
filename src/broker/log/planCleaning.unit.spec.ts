import { describe, expect, it } from 'vitest';
import { type CleaningInputs, planCleaning, type SegmentSummary } from './planCleaning.js';

const NOW = 1_000_000;
const NEVER = Number('9223372036854775807');

/** Segments of 100 bytes based every 10 offsets; the last one is the active segment. */
const segments = (count: number, maxTimestamp = NOW - 1000): SegmentSummary[] =>
  Array.from({ length: count }, (_, i) => ({
    baseOffset: BigInt(i * 10),
    size: 100,
    maxTimestamp,
    firstBatchTimestamp: maxTimestamp,
  }));

const inputs = (overrides: Partial<CleaningInputs> = {}): CleaningInputs => ({
  segments: segments(5),
  logStartOffset: 0n,
  lastStableOffset: 45n,
  highWatermark: 45n,
  checkpoint: undefined,
  now: NOW,
  config: { minCompactionLagMs: 0, maxCompactionLagMs: NEVER, minCleanableDirtyRatio: 0.5 },
  ...overrides,
});

describe('planCleaning', () => {
  it('makes every closed segment cleanable, never the active one, and all of it dirty at first', () => {
    expect(planCleaning(inputs())).toEqual({
      cleanableCount: 4,
      cleanableEnd: 40n,
      firstDirtyOffset: 0n,
      firstDirtyIndex: 0,
      dirtyBytes: 400,
      cleanBytes: 0,
      dirtyRatio: 1,
      reason: 'dirty-ratio',
    });
    expect(planCleaning(inputs({ segments: segments(1) }))).toBeUndefined();
  });

  it('stops at the segment holding the last stable offset', () => {
    expect(planCleaning(inputs({ lastStableOffset: 25n }))?.cleanableEnd).toBe(20n);
    expect(planCleaning(inputs({ lastStableOffset: 20n }))?.cleanableEnd).toBe(20n);
    expect(planCleaning(inputs({ lastStableOffset: 5n }))).toBeUndefined();
  });

  it('stops at the first segment with records newer than min.compaction.lag.ms', () => {
    const list = segments(5);
    list[2] = { ...list[2]!, maxTimestamp: NOW - 10 };
    const config = { minCompactionLagMs: 100, maxCompactionLagMs: NEVER, minCleanableDirtyRatio: 0.5 };
    expect(planCleaning(inputs({ segments: list, config }))?.cleanableEnd).toBe(20n);
    expect(planCleaning(inputs({ segments: list, config, now: NOW + 90 }))?.cleanableEnd).toBe(40n);
  });

  it('compares the dirty ratio past the checkpoint with min.cleanable.dirty.ratio', () => {
    const half = planCleaning(inputs({ checkpoint: 20n }));
    expect(half).toMatchObject({
      firstDirtyIndex: 2,
      dirtyBytes: 200,
      cleanBytes: 200,
      reason: 'dirty-ratio',
    });
    const less = planCleaning(inputs({ checkpoint: 30n }));
    expect(less).toMatchObject({ dirtyRatio: 0.25, reason: undefined });
    expect(planCleaning(inputs({ checkpoint: 30n, force: true }))?.reason).toBe('forced');
    expect(planCleaning(inputs({ checkpoint: 40n }))).toMatchObject({ dirtyBytes: 0, reason: undefined });
    // A checkpoint below the log start (DeleteRecords) counts from the log start.
    expect(planCleaning(inputs({ checkpoint: 0n, logStartOffset: 30n }))?.firstDirtyOffset).toBe(30n);
  });

  it('makes a clean due when a dirty record is older than max.compaction.lag.ms', () => {
    const config = { minCompactionLagMs: 0, maxCompactionLagMs: 500, minCleanableDirtyRatio: 0.9 };
    expect(planCleaning(inputs({ checkpoint: 30n, config }))?.reason).toBe('max-compaction-lag');
    expect(planCleaning(inputs({ checkpoint: 30n, config, now: NOW - 600 }))?.reason).toBeUndefined();
  });
});
