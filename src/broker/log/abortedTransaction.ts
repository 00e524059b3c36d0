/**
 * An aborted transaction on one partition: the producer, the offset of its first batch there and
 * the offset of the ABORT marker that ended it. read_committed fetches send these so consumers can
 * drop the aborted records; the log cleaner removes the records (TransactionIndex.java).
 */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
}
