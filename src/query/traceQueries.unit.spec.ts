import { describe, expect, it } from 'vitest';
import { parseTraceKey, traceKey } from '../views/traceKey.js';
import { compareTraceEvents, type TraceEvent } from './traceQueries.js';

const event = (time: string, position: string): TraceEvent => ({
  id: position,
  type: 'T',
  sequence: 1,
  time,
  correlationId: null,
  causationId: null,
  position,
  schemaVersion: 1,
  data: {},
  domain: 'orders',
  aggregateId: 'O-1',
  match: 'correlation',
});

describe('trace order', () => {
  it('is by time, then topic, partition and offset (as numbers)', () => {
    const events = [
      event('2024-01-01T00:00:01.000Z', 'orders.events:0:1'),
      event('2024-01-01T00:00:00.000Z', 'stock.events:1:10'),
      event('2024-01-01T00:00:00.000Z', 'stock.events:1:9'),
      event('2024-01-01T00:00:00.000Z', 'stock.events:0:99'),
      event('2024-01-01T00:00:00.000Z', 'invoices.events:5:0'),
    ];
    expect([...events].sort(compareTraceEvents).map((e) => e.position)).toEqual([
      'invoices.events:5:0',
      'stock.events:0:99',
      'stock.events:1:9',
      'stock.events:1:10',
      'orders.events:0:1',
    ]);
  });
});

describe('trace keys read back', () => {
  it('give the parts they were built from, whatever the ids hold', () => {
    for (const id of ['cmd-1', 'a\u0000b', '', '#x', '\u0001']) {
      const key = traceKey(id, 'causation', 'orders', `O\u0000${id}`, 42);
      expect(parseTraceKey(key)).toEqual({
        id,
        match: 'causation',
        domain: 'orders',
        aggregateId: `O\u0000${id}`,
        sequence: 42,
      });
    }
  });

  it('refuse keys that are not trace keys', () => {
    for (const key of [
      'orders/O-1\u0000000000000001',
      '\u0000progress',
      '#a\u0000nope\u0000o\u0000x\u00001',
    ]) {
      expect(() => parseTraceKey(key), JSON.stringify(key)).toThrow(/not a trace key/);
    }
  });
});
