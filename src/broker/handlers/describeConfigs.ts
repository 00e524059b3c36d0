import { TOPIC_CONFIGS } from '../log/topicConfig.js';
import type { ResponseOf } from '../protocol/api.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { DescribeConfigs } from '../protocol/messages/describeConfigs.js';
import { defineHandler, type RequestContext } from './handler.js';

type Result = ResponseOf<typeof DescribeConfigs>['results'][number];
type Entry = Result['configs'][number];

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** Where a config value comes from (DescribeConfigsResponse config_source). */
export const ConfigSource = {
  TOPIC: 1,
  STATIC_BROKER: 4,
  DEFAULT: 5,
} as const;

/**
 * DescribeConfigs for topics (every topic config with its effective value and source, and the
 * chain of synonyms when asked) and for this broker (its static settings, read-only; an empty
 * broker name means the cluster-wide dynamic defaults, none here).
 */
export const describeConfigsHandler = defineHandler(DescribeConfigs, (request, ctx) => ({
  throttleTimeMs: 0,
  results: request.resources.map((resource): Result => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    const wanted = (name: string) =>
      resource.configurationKeys === null || resource.configurationKeys.includes(name);
    const fail = (errorCode: number, errorMessage: string): Result => ({
      ...base,
      errorCode,
      errorMessage,
      configs: [],
    });
    switch (resource.resourceType) {
      case ResourceType.TOPIC: {
        const topic = ctx.broker.logs.get(resource.resourceName);
        if (!topic)
          return fail(
            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            `Topic '${resource.resourceName}' does not exist.`,
          );
        const configs = Object.keys(TOPIC_CONFIGS)
          .filter(wanted)
          .map((name) => topicEntry(name, topic.configs, request.includeSynonyms, ctx));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      case ResourceType.BROKER: {
        if (resource.resourceName !== '' && resource.resourceName !== String(ctx.broker.nodeId)) {
          return fail(
            ErrorCode.INVALID_REQUEST,
            `Unexpected broker id, expected ${ctx.broker.nodeId} but received ${resource.resourceName}`,
          );
        }
        // An empty name asks for the cluster-wide dynamic defaults, of which there are none.
        if (resource.resourceName === '') {
          return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: [] };
        }
        const configs = Object.entries(ctx.broker.brokerConfigs)
          .filter(([name]) => wanted(name))
          .map(([name, value]): Entry => ({
            name,
            value,
            readOnly: true,
            isDefault: false,
            configSource: ConfigSource.STATIC_BROKER,
            isSensitive: false,
            synonyms: request.includeSynonyms ? [{ name, value, source: ConfigSource.STATIC_BROKER }] : [],
          }));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      default:
        return fail(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resource.resourceType}`);
    }
  }),
}));

function topicEntry(
  name: string,
  topicConfigs: Readonly<Record<string, string>>,
  includeSynonyms: boolean,
  ctx: RequestContext,
): Entry {
  const def = TOPIC_CONFIGS[name]!;
  const brokerValue = ctx.broker.logs.topicDefaults[name];
  const chain = [
    ...(topicConfigs[name] !== undefined
      ? [{ name, value: topicConfigs[name], source: ConfigSource.TOPIC }]
      : []),
    ...(brokerValue !== undefined
      ? [{ name: def.broker, value: brokerValue, source: ConfigSource.STATIC_BROKER }]
      : []),
    ...(def.defaultSynonym === false
      ? []
      : [{ name: def.broker, value: def.default, source: ConfigSource.DEFAULT }]),
  ];
  const effective = chain[0] ?? { value: def.default, source: ConfigSource.DEFAULT };
  return {
    name,
    value: effective.value,
    readOnly: false,
    isDefault: effective.source === ConfigSource.DEFAULT,
    configSource: effective.source,
    isSensitive: false,
    synonyms: includeSynonyms ? chain : [],
  };
}
