import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits out CONCURRENT_TRANSACTIONS quickly, as Kafka's own producer does.
 *
 * Apache Kafka answers EndTxn once the commit is decided, then writes the transaction markers in
 * the background; until they are written, the producer's next AddPartitionsToTxn (or
 * AddOffsetsToTxn) is answered CONCURRENT_TRANSACTIONS. Kafka's producer asks again after 20 ms.
 * KafkaJS 2.2.4 fails the whole send and retries it after its general retry time (300 ms at
 * first), so a producer that commits often spends most of its time waiting: a few transactions a
 * second on real Kafka, where the embedded broker (markers written before EndTxn is answered)
 * never says CONCURRENT_TRANSACTIONS. The fix asks again at once after a short pause, within
 * the request itself.
 */

const require = createRequire(import.meta.url);

const KES_FIX = Symbol.for('kes.kafkaJsFixes.concurrentTransactions');
/** Pauses between asks: 2 ms, doubling up to 50 ms; after about 3 s KafkaJS's own retry takes over. */
const FIRST_PAUSE_MS = 2;
const MAX_PAUSE_MS = 50;
const GIVE_UP_AFTER_MS = 3000;

type BrokerMethod = (this: unknown, request: unknown) => Promise<unknown>;

export async function askAgainWhileConcurrent<T>(
  send: () => Promise<T>,
  giveUpAfterMs = GIVE_UP_AFTER_MS,
): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(MAX_PAUSE_MS, pause * 2)) {
    try {
      return await send();
    } catch (err) {
      if ((err as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS' || Date.now() + pause > deadline)
        throw err;
      await sleep(pause);
    }
  }
}

/** Wraps KafkaJS's Broker#addPartitionsToTxn and #addOffsetsToTxn (idempotent: once per class). */
export function installConcurrentTransactionsRetry(): void {
  let Broker: { prototype: Record<string, BrokerMethod> & { [KES_FIX]?: boolean } };
  try {
    Broker = require('kafkajs/src/broker/index.js') as typeof Broker;
  } catch (err) {
    throw new Error("kes fixes KafkaJS 2.2.4's broker client, which this KafkaJS does not have", {
      cause: err,
    });
  }
  if (Broker.prototype[KES_FIX]) return;
  for (const name of ['addPartitionsToTxn', 'addOffsetsToTxn']) {
    const original = Broker.prototype[name];
    if (typeof original !== 'function') throw new Error(`KafkaJS's Broker has no ${name}`);
    Broker.prototype[name] = function (this: unknown, request: unknown) {
      return askAgainWhileConcurrent(() => original.call(this, request));
    };
  }
  Broker.prototype[KES_FIX] = true;
}
