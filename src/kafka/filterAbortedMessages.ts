/**
 * The read_committed filter KafkaJS runs on every fetched partition (its
 * `src/consumer/filterAbortedMessages.js`, called from `src/consumer/batch.js`), written again to
 * be correct on Apache Kafka; kafkaJsFixes.ts puts it in KafkaJS's place.
 *
 * A fetch answered at read_committed carries the aborted transactions overlapping the records
 * sent: a producer id and the offset of the transaction's first batch. A transactional record of
 * that producer from that offset on belongs to the aborted transaction until the producer's ABORT
 * marker ends it (KIP-98, "Transactional Messaging in Kafka", consumer side).
 *
 * KafkaJS 2.2.4 takes the list to be sorted by first offset and starts at most one aborted
 * transaction per record. Kafka sends the list in the order the transactions were aborted (its
 * transaction index is appended to when an ABORT marker is written), so with two producers'
 * transactions interleaved on a partition, the later-started one aborted first, KafkaJS lets
 * records of an aborted transaction through. Here the list is sorted first, and every aborted
 * transaction that has started by a record's offset is started before the record is judged, as
 * Kafka's own consumer does (clients/.../consumer/internals/CompletedFetch.java: a queue ordered
 * by first offset, drained up to each batch). Only a control record ends a transaction: an
 * ordinary record whose key happens to be 00 00 00 00 is data.
 *
 * The contract is KafkaJS's: the records kept, in order, markers included (Batch drops control
 * records afterwards); offsets and producer ids arrive as decimal strings.
 * https://github.com/tulios/kafkajs/blob/v2.2.4/src/consumer/filterAbortedMessages.js
 */

export interface FetchedAbortedTransaction {
  readonly producerId: string | bigint;
  readonly firstOffset: string | bigint;
}

export interface FetchedMessage {
  readonly offset: string;
  readonly key?: Buffer | Uint8Array | null;
  readonly isControlRecord?: boolean;
  readonly batchContext?: {
    readonly producerId: string | bigint;
    readonly inTransaction?: boolean;
    readonly isControlBatch?: boolean;
  };
}

export interface FetchedPartition<M extends FetchedMessage> {
  readonly messages: M[];
  readonly abortedTransactions?: readonly FetchedAbortedTransaction[] | null;
}

/** An ABORT control record: key version 0, type 0 (a COMMIT marker has type 1). */
function isAbortMarker(message: FetchedMessage): boolean {
  const control = message.isControlRecord ?? message.batchContext?.isControlBatch ?? false;
  const key = message.key;
  return control && key != null && key.length === 4 && key.every((byte) => byte === 0);
}

export function filterAbortedMessages<M extends FetchedMessage>({
  messages,
  abortedTransactions,
}: FetchedPartition<M>): M[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = abortedTransactions
    .map((t) => ({ producerId: BigInt(t.producerId), firstOffset: BigInt(t.firstOffset) }))
    .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const aborting = new Set<bigint>();
  let next = 0;
  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    while (next < pending.length && pending[next]!.firstOffset <= offset) {
      aborting.add(pending[next++]!.producerId);
    }
    const batch = message.batchContext;
    if (!batch) return true;
    const producerId = BigInt(batch.producerId);
    if (isAbortMarker(message)) {
      aborting.delete(producerId);
      return true;
    }
    return !(batch.inTransaction && aborting.has(producerId));
  });
}
