import { describe, expect, it } from 'vitest';
import { formatPosition, parsePosition, sourceOf } from './sourcePosition.js';

describe('source positions', () => {
  it.each([
    { topic: 'orders.events', partition: 0, offset: 0 },
    { topic: 'stock.events', partition: 5, offset: 123_456 },
    { topic: 'orders-with-invoices-by-customer.repartition', partition: 999_999_999, offset: 2 ** 49 },
  ])('format and parse back: $topic:$partition:$offset', (position) => {
    const token = formatPosition(position);
    expect(token).toBe(`${position.topic}:${position.partition}:${position.offset}`);
    expect(parsePosition(token)).toStrictEqual(position);
  });

  it('parse a topic containing colons up to its last two fields', () => {
    expect(parsePosition('a:b:1:2')).toStrictEqual({ topic: 'a:b', partition: 1, offset: 2 });
  });

  it.each([
    ['empty', ''],
    ['a topic only', 'orders.events'],
    ['no offset', 'orders.events:1'],
    ['no topic', ':1:2'],
    ['an empty partition', 'orders.events::2'],
    ['an empty offset', 'orders.events:1:'],
    ['a negative offset', 'orders.events:1:-2'],
    ['a negative partition', 'orders.events:-1:2'],
    ['a decimal offset', 'orders.events:1:2.5'],
    ['a hexadecimal offset', 'orders.events:1:0x10'],
    ['a partition of 10 digits', 'orders.events:1234567890:2'],
    ['an offset of 16 digits', 'orders.events:1:1234567890123456'],
    ['trailing space', 'orders.events:1:2 '],
    ['a trailing newline', 'orders.events:1:2\n'],
    ['a word', 'latest'],
  ])('are undefined when malformed: %s', (_case, token) => {
    expect(parsePosition(token)).toBeUndefined();
  });

  it('name their source partition', () => {
    expect(sourceOf({ topic: 'orders.events', partition: 3 })).toBe('orders.events:3');
    expect(sourceOf(parsePosition('orders.events:3:17')!)).toBe('orders.events:3');
  });
});
