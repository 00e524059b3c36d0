import { describe, expect, it } from 'vitest';
import { decodeRow, encodeRow, isNewer } from './storedRow.js';

describe('isNewer', () => {
  it('is true when nothing is stored', () => {
    expect(isNewer({ 'orders/O-1': 1 }, undefined)).toBe(true);
  });

  it('is true when an aggregate the stored row has seen is at a higher version', () => {
    expect(isNewer({ 'orders/O-1': 3 }, { 'orders/O-1': 2 })).toBe(true);
  });

  it('is false for the same versions (a duplicate) and for lower ones (a replay)', () => {
    expect(isNewer({ 'orders/O-1': 2 }, { 'orders/O-1': 2 })).toBe(false);
    expect(isNewer({ 'orders/O-1': 1 }, { 'orders/O-1': 2 })).toBe(false);
  });

  it('is true when an aggregate the stored row has not seen appears (an invoice joining its order)', () => {
    expect(isNewer({ 'orders/O-1': 2, 'invoices/INV-O-1': 1 }, { 'orders/O-1': 2 })).toBe(true);
  });

  it('is true when any one aggregate is ahead, whatever the others are', () => {
    expect(
      isNewer({ 'orders/O-1': 1, 'invoices/INV-O-1': 2 }, { 'orders/O-1': 2, 'invoices/INV-O-1': 1 }),
    ).toBe(true);
  });

  it('is false when the stored row has seen more aggregates and none is behind', () => {
    expect(isNewer({ 'orders/O-1': 2 }, { 'orders/O-1': 2, 'invoices/INV-O-1': 1 })).toBe(false);
    expect(isNewer({}, { 'orders/O-1': 2 })).toBe(false);
  });
});

describe('encodeRow and decodeRow', () => {
  it('round-trip a row and its versions as JSON', () => {
    const stored = {
      row: { orderId: 'O-1', items: [{ q: 1 }], invoice: null },
      versions: { 'orders/O-1': 4 },
    };
    const bytes = encodeRow(stored);
    expect(JSON.parse(bytes.toString('utf8'))).toStrictEqual(stored);
    expect(decodeRow(bytes)).toStrictEqual(stored);
  });
});
