import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../state/keyOrder.js';
import { anyId, anySequence, checkKeyScheme } from '../state/testing/compositeKeyProperties.js';
import { historyKey, historyRange } from './eventHistory.js';

const within = (key: string, range: { gte: string; lt: string }) =>
  compareKeys(key, range.gte) >= 0 && compareKeys(key, range.lt) < 0;

describe('event history keys', () => {
  it('are the domain, /, the aggregate id, NUL and the sequence, for the ids the id rules allow', () => {
    expect(historyKey('accounts', 'A-1', 7)).toBe('accounts/A-1\u0000000000000007');
    expect(historyRange('accounts', 'A-1')).toEqual({ gte: 'accounts/A-1\u0000', lt: 'accounts/A-1\u0001' });
  });

  it('keep each aggregate’s events apart, whatever the ids: no collisions, in order, a scan lists one aggregate’s events only', async () => {
    await checkKeyScheme({
      name: 'historyKey',
      key: ([id, sequence]) => historyKey('accounts', id, Number(sequence)),
      scan: (id) => historyRange('accounts', id),
      rest: () => fc.tuple(anySequence),
    });
  });

  it('keep each domain’s aggregates apart, ids that look like a domain and a / included', () => {
    const domains = ['stock', 'accounts', 'stock-x', 'acc'];
    fc.assert(
      fc.property(anyId, (id) => {
        for (const domain of domains) {
          const range = historyRange(domain, id);
          for (const other of domains) {
            for (const otherId of ['x', 'stock/x', '/x', id]) {
              const own = other === domain && otherId === id;
              expect(within(historyKey(other, otherId, 1), range), `${domain} / ${other} ${otherId}`).toBe(
                own,
              );
            }
          }
        }
      }),
      { numRuns: 300, examples: [['x'], ['stock/x'], ['/x']] },
    );
  });

  it('refuse a domain that is not a plain name, whose keys could begin another’s', () => {
    for (const domain of ['', 'stock/x', 'Stock', 'a\u0000', 'a.b']) {
      expect(() => historyKey(domain, 'x', 1), JSON.stringify(domain)).toThrow(/is not a domain name/);
      expect(() => historyRange(domain, 'x'), JSON.stringify(domain)).toThrow(/is not a domain name/);
    }
  });
});
