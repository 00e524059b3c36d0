import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { FindCoordinator } from '../../src/broker/protocol/messages/findCoordinator.js';
import { InitProducerId } from '../../src/broker/protocol/messages/initProducerId.js';
import type { RawClient } from './rawClient.js';

/** Coordinator errors a client retries: Kafka answers them while it loads its internal topics. */
const LOADING: readonly number[] = [
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.CONCURRENT_TRANSACTIONS,
];

/**
 * Retries a coordinator request while it answers one of the loading errors (Kafka creates and
 * loads __transaction_state and __consumer_offsets on first use).
 */
export async function whileLoading<T extends { errorCode: number }>(send: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await send();
    if (!LOADING.includes(response.errorCode) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Finds the coordinator of a group (keyType 0) or transactional id (1), once it is ready. */
export const findCoordinator = (client: RawClient, key: string, keyType: 0 | 1) =>
  whileLoading(() => client.request(FindCoordinator, 1, { key, keyType }));

/** InitProducerId for a transactional id at v1 (KafkaJS's version), once its coordinator is ready. */
export async function initTransactional(
  client: RawClient,
  transactionalId: string,
  transactionTimeoutMs = 60_000,
) {
  await findCoordinator(client, transactionalId, 1);
  return whileLoading(() =>
    client.request(InitProducerId, 1, {
      transactionalId,
      transactionTimeoutMs,
      producerId: -1n,
      producerEpoch: -1,
    }),
  );
}
