import { describe, expect, it } from 'vitest';
import type { Punctuator } from './processor.js';
import { PunctuationSchedule } from './punctuationSchedule.js';

const punctuator = (name: string, intervalMs: number): Punctuator => ({
  name,
  intervalMs,
  punctuate: async () => undefined,
});

describe('a punctuation schedule', () => {
  const fast = punctuator('fast', 100);
  const slow = punctuator('slow', 1000);

  it('makes each punctuator due one interval after the start, the one due longest first', () => {
    const schedule = new PunctuationSchedule([slow, fast], 5000);
    expect(schedule.due(5099)).toBeUndefined();
    expect(schedule.due(5100)).toBe(fast);
    expect(schedule.due(6000)).toBe(fast); // due since 5100, slow only since 6000
    schedule.ran(fast, 6000, false);
    expect(schedule.due(6000)).toBe(slow);
    schedule.ran(slow, 6000, false);
    expect(schedule.due(6099)).toBeUndefined();
    expect(schedule.due(6100)).toBe(fast);
  });

  it('does not make up for missed intervals: the next one is an interval after the late run', () => {
    const schedule = new PunctuationSchedule([fast], 0);
    schedule.ran(fast, 10_000, false);
    expect(schedule.due(10_099)).toBeUndefined();
    expect(schedule.due(10_100)).toBe(fast);
  });

  it('keeps a punctuator due at once while it has more to do', () => {
    const schedule = new PunctuationSchedule([slow], 0);
    schedule.ran(slow, 1000, true);
    expect(schedule.due(1000)).toBe(slow);
    schedule.ran(slow, 1001, false);
    expect(schedule.due(1001)).toBeUndefined();
  });

  it('runs nothing while held after a failure that may pass, then the due one again', () => {
    const schedule = new PunctuationSchedule([fast], 0);
    schedule.holdUntil(500);
    expect(schedule.due(499)).toBeUndefined();
    expect(schedule.due(500)).toBe(fast);
  });

  it('refuses an interval that is not a positive number', () => {
    expect(() => new PunctuationSchedule([punctuator('never', 0)], 0)).toThrow(/positive/);
    expect(() => new PunctuationSchedule([punctuator('nan', Number.NaN)], 0)).toThrow(/positive/);
  });
});
