import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { DeleteTopics } from '../protocol/messages/deleteTopics.js';
import { defineHandler } from './handler.js';

/** DeleteTopics: removes each topic, its data and the offsets committed for it. */
export const deleteTopicsHandler = defineHandler(DeleteTopics, (request, ctx) => ({
  throttleTimeMs: 0,
  responses: request.topicNames.map((name) => {
    try {
      ctx.broker.logs.delete(name);
      return { name, errorCode: ErrorCode.NONE };
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      return { name, errorCode: err.code };
    }
  }),
}));
