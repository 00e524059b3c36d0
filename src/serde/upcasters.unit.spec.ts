import { describe, expect, it } from 'vitest';
import { orderPlacedV1 } from '../../examples/shop/orders/orderUpcasters.js';
import { Upcasters } from './upcasters.js';

describe('Upcasters', () => {
  const chain = new Upcasters([
    { type: 't', fromVersion: 1, upcast: (v) => ({ ...v, steps: [...(v.steps as number[]), 1] }) },
    { type: 't', fromVersion: 3, upcast: (v) => ({ ...v, steps: [...(v.steps as number[]), 3] }) },
  ]);

  it('applies the upcasters from the writer version up to the current one, in order', () => {
    expect(chain.apply('t', 1, 4, { steps: [] })).toEqual({ steps: [1, 3] });
    expect(chain.apply('t', 2, 4, { steps: [] })).toEqual({ steps: [3] });
    expect(chain.apply('t', 3, 3, { steps: [] })).toEqual({ steps: [] });
  });

  it('leaves other types, current values and unknown writer versions alone', () => {
    expect(chain.apply('other', 1, 4, { steps: [] })).toEqual({ steps: [] });
    expect(chain.apply('t', 4, 4, { steps: [] })).toEqual({ steps: [] });
    expect(chain.apply('t', undefined, 4, { steps: [] })).toEqual({ steps: [] });
  });

  it('refuses two upcasters for one (type, version)', () => {
    expect(() => chain.register({ type: 't', fromVersion: 1, upcast: (v) => v })).toThrow(
      'an upcaster for t version 1 exists already',
    );
  });

  it('are pure: the input value is not changed', () => {
    const input = { steps: [] as number[] };
    chain.apply('t', 1, 4, input);
    expect(input).toEqual({ steps: [] });
  });
});

describe('OrderPlaced v1 upcaster', () => {
  it('computes the total of the lines in cents', () => {
    const event = {
      orderId: 'o',
      items: [
        { productId: 'a', quantity: 3, unitPrice: 250 },
        { productId: 'b', quantity: 1, unitPrice: 1999 },
      ],
      currency: 'EUR',
      total: 0,
    };
    expect(orderPlacedV1.upcast(event)).toEqual({ ...event, total: 2749 });
    expect(event.total).toBe(0);
  });
});
