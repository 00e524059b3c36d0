import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../state/keyOrder.js';
import { anyId, anySequence, checkKeyScheme } from '../state/testing/compositeKeyProperties.js';
import { historyKey, historyRange } from './eventHistory.js';
import { traceKey, traceRange } from './traceKey.js';
import { FIRST_ROW_KEY } from './viewProgress.js';

const within = (key: string, range: { gte: string; lt: string }) =>
  compareKeys(key, range.gte) >= 0 && compareKeys(key, range.lt) < 0;

const matches = fc.constantFrom('correlation', 'causation' as const);

describe('trace index keys', () => {
  it('are #, the id, the match, the domain, the aggregate id and the sequence, NUL between', () => {
    expect(traceKey('cmd-1', 'correlation', 'orders', 'O-1', 3)).toBe(
      '#cmd-1\u0000correlation\u0000orders\u0000O-1\u0000000000000003',
    );
    expect(traceRange('cmd-1')).toEqual({ gte: '#cmd-1\u0000', lt: '#cmd-1\u0001' });
  });

  it('keep each id’s entries apart, whatever the ids: a scan of one id lists no other’s', async () => {
    await checkKeyScheme({
      name: 'traceKey',
      key: ([id, aggregateId, sequence]) =>
        traceKey(id, 'causation', 'orders', String(aggregateId), Number(sequence)),
      scan: traceRange,
      rest: (id) => fc.tuple(id, anySequence),
    });
  });

  it('never meet the history’s keys nor a task’s own (below the first row key)', () => {
    fc.assert(
      fc.property(anyId, anyId, matches, anySequence, (id, aggregateId, match, sequence) => {
        const key = traceKey(id, match, 'orders', aggregateId, sequence);
        expect(key >= FIRST_ROW_KEY).toBe(true);
        for (const domain of ['orders', 'a', 'z-9']) {
          expect(within(key, historyRange(domain, aggregateId))).toBe(false);
          expect(within(historyKey(domain, aggregateId, sequence), traceRange(id))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
