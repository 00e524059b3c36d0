import { describe, expect, it } from 'vitest';
import { deciders, rejectionCatalogs } from './domainCatalog.js';
import { isRejectionCode } from '../src/index.js';

const DOMAIN_NAMES = ['stock', 'orders', 'invoices', 'accounts', 'transfers'] as const;

describe('domain catalog', () => {
  it('has a decider for every domain, which says it is that domain', () => {
    expect(Object.keys(deciders)).toStrictEqual([...DOMAIN_NAMES]);
    for (const domain of DOMAIN_NAMES) expect(deciders[domain].domain).toBe(domain);
  });

  it('documents every rejection code of every domain in one line, with an UPPER_SNAKE code', () => {
    expect(Object.keys(rejectionCatalogs)).toStrictEqual([...DOMAIN_NAMES]);
    for (const catalog of Object.values(rejectionCatalogs)) {
      for (const [code, description] of Object.entries(catalog)) {
        expect(isRejectionCode(code), code).toBe(true);
        expect(description.trim().length, code).toBeGreaterThan(0);
        expect(description, code).not.toMatch(/\n/);
      }
    }
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
