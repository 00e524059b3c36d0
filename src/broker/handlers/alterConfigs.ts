import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { AlterConfigs } from '../protocol/messages/alterConfigs.js';
import { ResourceType } from './describeConfigs.js';
import { defineHandler } from './handler.js';

/**
 * AlterConfigs v0-1 for topics: the configs given replace the topic's own (others return to their
 * defaults). Broker configs are static here and refused.
 */
export const alterConfigsHandler = defineHandler(AlterConfigs, (request, ctx) => ({
  throttleTimeMs: 0,
  responses: request.resources.map((resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    if (resource.resourceType !== ResourceType.TOPIC) {
      return {
        ...base,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Only topic configs can be altered; broker configs are set at start`,
      };
    }
    try {
      ctx.broker.logs.alterConfigs(resource.resourceName, resource.configs, request.validateOnly);
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      return { ...base, errorCode: err.code, errorMessage: err.message };
    }
  }),
}));
