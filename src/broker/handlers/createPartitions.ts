import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { CreatePartitions } from '../protocol/messages/createPartitions.js';
import { defineHandler } from './handler.js';

/** CreatePartitions v0-1: raises each topic's partition count; lowering it is refused (37). */
export const createPartitionsHandler = defineHandler(CreatePartitions, (request, ctx) => ({
  throttleTimeMs: 0,
  results: request.topics.map((t) => {
    try {
      const assignments = t.assignments?.map((a) => a.brokerIds) ?? null;
      ctx.broker.logs.createPartitions(t.name, t.count, assignments, request.validateOnly);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      return { name: t.name, errorCode: err.code, errorMessage: err.message };
    }
  }),
}));
