import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { askAgainWhileConcurrent } from './concurrentTransactionsRetry.js';

const concurrent = () =>
  Object.assign(new Error('There is already a pending transaction'), { type: 'CONCURRENT_TRANSACTIONS' });

describe('askAgainWhileConcurrent', () => {
  it('asks again while the coordinator answers CONCURRENT_TRANSACTIONS, and returns the answer', async () => {
    let calls = 0;
    const answer = await askAgainWhileConcurrent(async () => {
      if (++calls < 4) throw concurrent();
      return 'added';
    });
    expect(answer).toBe('added');
    expect(calls).toBe(4);
  });

  it('passes any other error on at once', async () => {
    let calls = 0;
    const fenced = Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' });
    await expect(
      askAgainWhileConcurrent(async () => {
        calls++;
        throw fenced;
      }),
    ).rejects.toBe(fenced);
    expect(calls).toBe(1);
  });

  it("hands a CONCURRENT_TRANSACTIONS that lasts on to KafkaJS's own retry", async () => {
    let calls = 0;
    await expect(
      askAgainWhileConcurrent(async () => {
        calls++;
        throw concurrent();
      }, 100),
    ).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
    expect(calls).toBeGreaterThan(3); // 2, 4, 8, 16, 32 ms pauses fit in 100 ms
  });

  it("is installed on KafkaJS's broker client once kes's fixes are loaded", () => {
    const Broker = createRequire(import.meta.url)('kafkajs/src/broker/index.js') as {
      prototype: Record<symbol, unknown>;
    };
    expect(Broker.prototype[Symbol.for('kes.kafkaJsFixes.concurrentTransactions')]).toBe(true);
  });
});
