import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { DeleteRecords } from '../protocol/messages/deleteRecords.js';
import { defineHandler } from './handler.js';

/** DeleteRecords: moves each partition's log start to the given offset (-1: the high watermark). */
export const deleteRecordsHandler = defineHandler(DeleteRecords, (request, ctx) => ({
  throttleTimeMs: 0,
  topics: request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map(({ partitionIndex, offset }) => {
      const log = ctx.broker.logs.partition(topic.name, partitionIndex);
      if (!log) return { partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      try {
        return { partitionIndex, lowWatermark: log.deleteRecordsBefore(offset), errorCode: ErrorCode.NONE };
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        return { partitionIndex, lowWatermark: -1n, errorCode: err.code };
      }
    }),
  })),
}));
