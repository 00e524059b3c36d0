import { ErrorCode, errorName, KafkaError } from '../protocol/errorCodes.js';
import { CreateTopics } from '../protocol/messages/createTopics.js';
import { defineHandler } from './handler.js';

/**
 * CreateTopics: each topic is created (or, with validate_only, checked) on its own; the answer
 * carries an error per topic. Creation is synchronous, so a client polling Metadata afterwards
 * finds the leaders at once. A name given twice in one request fails with INVALID_REQUEST, and
 * is answered once, as Kafka does.
 */
export const createTopicsHandler = defineHandler(CreateTopics, (request, ctx) => {
  const counts = new Map<string, number>();
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const answered = new Set<string>();
  const once = request.topics.filter((t) => !answered.has(t.name) && answered.add(t.name));
  const topics = once.map((t) => {
    if (counts.get(t.name)! > 1) {
      return {
        name: t.name,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: 'Duplicate topic name.',
      };
    }
    try {
      const newTopic = {
        name: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        assignments: t.assignments,
        configs: t.configs,
      };
      if (request.validateOnly) ctx.broker.logs.validate(newTopic);
      else ctx.broker.logs.create(newTopic);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      ctx.logger.info(
        { topic: t.name, error: errorName(err.code), reason: err.message },
        'topic not created',
      );
      return { name: t.name, errorCode: err.code, errorMessage: err.message };
    }
  });
  return { throttleTimeMs: 0, topics };
});
