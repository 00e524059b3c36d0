import { awaitAppend } from '../log/awaitAppend.js';
import type { PartitionLog } from '../log/partitionLog.js';
import type { RequestOf, ResponseOf } from '../protocol/api.js';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { Fetch } from '../protocol/messages/fetch.js';
import { BatchLayout, readBatchHeader } from '../protocol/recordBatch.js';
import { defineHandler, type RequestContext } from './handler.js';

type FetchRequest = RequestOf<typeof Fetch>;
type FetchResponse = ResponseOf<typeof Fetch>;
type PartitionData = FetchResponse['responses'][number]['partitions'][number];

const READ_COMMITTED = 1;
const EMPTY = Buffer.alloc(0);

/**
 * Fetch: whole batches from each partition's fetch offset, within partition_max_bytes and the
 * request's max_bytes (the first batch of the response is sent even if it is larger, KIP-74).
 * When less than min_bytes is available the request waits, up to max_wait_ms, for an append to
 * one of its partitions. read_committed stops at the last stable offset and lists the aborted
 * transactions within the data, ordered by first offset, for the client to skip. Fetch sessions
 * (KIP-227) are not kept: the answer always carries session id 0, which tells clients to send
 * full fetches.
 */
export const fetchHandler = defineHandler(Fetch, async (request, ctx) => {
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { response, bytes, partitions, failed } = readAll(request, ctx);
    const remaining = deadline - Date.now();
    if (bytes >= request.minBytes || failed || remaining <= 0 || ctx.signal.aborted) return response;
    await awaitAppend(partitions, remaining, ctx.signal);
  }
});

function readAll(request: FetchRequest, ctx: RequestContext) {
  const readCommitted = request.isolationLevel === READ_COMMITTED;
  let bytes = 0;
  let failed = false;
  const partitions: PartitionLog[] = [];
  const responses = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((p): PartitionData => {
      const log = ctx.broker.logs.partition(topic.topic, p.partition);
      if (!log) {
        failed = true;
        return emptyPartition(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, readCommitted);
      }
      partitions.push(log);
      const limit = readCommitted ? log.lastStableOffset : log.highWatermark;
      const base = {
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: log.highWatermark,
        lastStableOffset: log.lastStableOffset,
        logStartOffset: log.logStartOffset,
        abortedTransactions: readCommitted ? [] : null,
        preferredReadReplica: -1,
      };
      const budget = Math.min(p.partitionMaxBytes, request.maxBytes - bytes);
      if (budget <= 0 && bytes > 0) return { ...base, records: EMPTY };
      try {
        const records = log.read(p.fetchOffset, Math.max(budget, 0), limit, bytes === 0);
        bytes += records.length;
        // The aborted transactions overlapping the data sent, in abort order (TransactionIndex).
        const abortedTransactions =
          readCommitted && records.length > 0
            ? log.abortedTransactions(p.fetchOffset, endOffsetOf(records)).map((t) => ({
                producerId: t.producerId,
                firstOffset: t.firstOffset,
              }))
            : base.abortedTransactions;
        return { ...base, abortedTransactions, records };
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        failed = true;
        // Kafka answers an error without the partition's offsets (OFFSET_OUT_OF_RANGE included).
        return { ...emptyPartition(p.partition, err.code, readCommitted), abortedTransactions: null };
      }
    }),
  }));
  const response: FetchResponse = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses };
  return { response, bytes, partitions, failed };
}

/** The offset after the last batch in `records`. */
function endOffsetOf(records: Buffer): bigint {
  let at = 0;
  let end = 0n;
  while (at + BatchLayout.HEADER_SIZE <= records.length) {
    const header = readBatchHeader(records, at);
    end = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    at += header.size;
  }
  return end;
}

function emptyPartition(partitionIndex: number, errorCode: number, readCommitted: boolean): PartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: readCommitted ? [] : null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}
