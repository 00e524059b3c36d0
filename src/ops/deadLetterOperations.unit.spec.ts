import { describe, expect, it } from 'vitest';
import { isReplayed } from './deadLetterOperations.js';

describe('a replayed dead letter', () => {
  it('is one below the replay group’s committed offset on its own partition', () => {
    const done = new Map([
      [0, 5n],
      [1, -1n],
    ]);
    expect(isReplayed({ partition: 0, offset: '4' }, done)).toBe(true);
    expect(isReplayed({ partition: 0, offset: '5' }, done)).toBe(false);
    // Nothing committed (-1) or no offset at all for the partition: nothing replayed there.
    expect(isReplayed({ partition: 1, offset: '0' }, done)).toBe(false);
    expect(isReplayed({ partition: 2, offset: '0' }, done)).toBe(false);
    // Offsets beyond 2^53 compare exactly.
    expect(isReplayed({ partition: 0, offset: '9007199254740993' }, new Map([[0, 9007199254740994n]]))).toBe(
      true,
    );
  });
});
