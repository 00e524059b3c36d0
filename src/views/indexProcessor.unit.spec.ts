import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKeyScheme } from '../state/testing/compositeKeyProperties.js';
import { indexKey, indexRange } from './indexProcessor.js';

describe('index keys', () => {
  it('are the index value, NUL, and the row key, for the values the id rules allow', () => {
    expect(indexKey('C-1', 'O-1')).toBe('C-1\u0000O-1');
    expect(indexRange('C-1')).toEqual({ gte: 'C-1\u0000', lt: 'C-1\u0001' });
  });

  it('keep each value’s rows apart, whatever the values and row keys: no collisions, in order, a scan lists one value’s rows only', async () => {
    await checkKeyScheme({
      name: 'indexKey',
      key: ([value, rowKey]) => indexKey(value, String(rowKey)),
      scan: indexRange,
      rest: (id) => fc.tuple(id),
    });
  });
});
