import { describe, expect, it } from 'vitest';
import { deciders, rejectionCatalogs } from './domainCatalog.js';
import { isRejectionCode } from '../src/index.js';

const DOMAIN_NAMES = ['stock', 'orders', 'invoices', 'accounts', 'transfers'] as const;

describe('domain catalog', () => {
  it('has a decider for every domain, which says it is that domain', () => {
    expect(Object.keys(deciders)).toStrictEqual([...DOMAIN_NAMES]);
    for (const domain of DOMAIN_NAMES) expect(deciders[domain].domain).toBe(domain);
  });

  it('has a rejection catalog for every domain, defined with defineErrorCatalog', () => {
    // The helper checked the codes (UPPER_SNAKE) and descriptions (one line) when they loaded.
    expect(Object.keys(rejectionCatalogs)).toStrictEqual([...DOMAIN_NAMES]);
    for (const catalog of Object.values(rejectionCatalogs)) expect(Object.isFrozen(catalog)).toBe(true);
  });

  it('starts every decider from plain JSON state', () => {
    for (const decider of Object.values(deciders)) {
      const state: unknown = decider.initialState();
      expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
    }
  });
});

describe('isRejectionCode', () => {
  it('accepts UPPER_SNAKE and nothing else', () => {
    for (const code of ['A', 'UNKNOWN_PRODUCT', 'V2_CODE']) expect(isRejectionCode(code), code).toBe(true);
    for (const code of ['', 'lower', 'Mixed_Case', '_LEADING', 'TRAILING_', 'DOUBLE__UNDERSCORE', '1ST']) {
      expect(isRejectionCode(code), code).toBe(false);
    }
  });
});
