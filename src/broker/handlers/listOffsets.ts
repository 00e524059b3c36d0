import type { ResponseOf } from '../protocol/api.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { ListOffsets } from '../protocol/messages/listOffsets.js';
import { defineHandler } from './handler.js';

type PartitionResponse = ResponseOf<typeof ListOffsets>['topics'][number]['partitions'][number];

const LATEST = -1n;
const EARLIEST = -2n;
const READ_COMMITTED = 1;

/**
 * ListOffsets: -1 is the end (the last stable offset under read_committed, the high watermark
 * otherwise), -2 the log start, any other timestamp the first record at or after it (-1 if none).
 * The other negative values are later versions' special timestamps (-3 max timestamp from v7,
 * -4 and -5 for tiered storage from v8 and v9): Kafka answers them below those versions with
 * UNSUPPORTED_VERSION, whatever the partition, and so does this broker, which serves v1-3.
 */
export const listOffsetsHandler = defineHandler(ListOffsets, async (request, ctx) => ({
  throttleTimeMs: 0,
  topics: await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async ({ partitionIndex, timestamp }): Promise<PartitionResponse> => {
          if (timestamp < 0n && timestamp !== LATEST && timestamp !== EARLIEST) {
            return { partitionIndex, errorCode: ErrorCode.UNSUPPORTED_VERSION, timestamp: -1n, offset: -1n };
          }
          const log = ctx.broker.logs.partition(topic.name, partitionIndex);
          if (!log) {
            return {
              partitionIndex,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              timestamp: -1n,
              offset: -1n,
            };
          }
          const answer = (offset: bigint, ts = -1n) => ({
            partitionIndex,
            errorCode: ErrorCode.NONE,
            timestamp: ts,
            offset,
          });
          if (timestamp === LATEST) {
            return answer(
              request.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark,
            );
          }
          if (timestamp === EARLIEST) return answer(log.logStartOffset);
          const found = await log.offsetForTimestamp(Number(timestamp));
          if (!found) return answer(-1n);
          const limit = request.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark;
          return found.offset < limit ? answer(found.offset, BigInt(found.timestamp)) : answer(-1n);
        }),
      ),
    })),
  ),
}));
