/**
 * The response schemas of the console's read endpoints (overviewRoutes.ts). Fastify serializes
 * with them, leaving out what they do not name: every field answered is named here.
 */

const strings = { type: 'array', items: { type: 'string' } };
const integerMap = { type: 'object', additionalProperties: { type: 'integer' } };

export const topologySchema = {
  type: 'object',
  properties: {
    applicationId: { type: 'string' },
    topics: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          partitions: { type: 'integer' },
          key: { type: 'string' },
          cleanupPolicy: { type: 'string' },
          configs: { type: 'object', additionalProperties: { type: 'string' } },
          replicationFactor: { type: 'integer' },
          description: { type: 'string' },
        },
      },
    },
    processors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: ['command-handler', 'policy', 'repartition', 'view'] },
          inputs: strings,
          stores: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                changelog: { type: 'string' },
                description: { type: 'string' },
              },
            },
          },
          outputs: strings,
          description: { type: 'string' },
        },
      },
    },
  },
};

export const instancesSchema = {
  type: 'object',
  properties: {
    self: { type: 'string', description: 'This instance’s URL' },
    instances: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          endpoint: { type: 'string', description: 'Empty when the member advertises none' },
          processors: {
            type: 'object',
            description:
              'Processor → the partitions whose tasks it owns, sorted (view generations as `<name>.g<n>`)',
            additionalProperties: { type: 'array', items: { type: 'integer' } },
          },
        },
      },
    },
  },
};

export const lagSchema = {
  type: 'object',
  properties: {
    processors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          processor: { type: 'string' },
          lag: { type: 'integer', description: 'The sum over its partitions' },
          partitions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                topic: { type: 'string' },
                partition: { type: 'integer' },
                committed: { type: 'integer' },
                end: { type: 'integer' },
                lag: { type: 'integer' },
              },
            },
          },
        },
      },
    },
  },
};

export const statsSchema = {
  type: 'object',
  properties: {
    at: { type: 'integer', description: 'When the counts were read, epoch ms' },
    processed: { ...integerMap, description: 'Records processed per processor' },
    commands: { ...integerMap, description: 'HTTP commands answered per result status' },
  },
};

export const commandsSchema = {
  type: 'object',
  properties: {
    commands: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          domain: { type: 'string' },
          public: { type: 'boolean', description: 'Clients may send it (POST /commands/{type})' },
          schema: { type: 'object', additionalProperties: true, description: 'Its current Avro schema' },
        },
      },
    },
  },
};

export const viewStateSchema = {
  type: 'object',
  properties: {
    view: { type: 'string' },
    active: { type: 'integer', description: 'The generation serving queries' },
    building: { type: 'integer', nullable: true, description: 'The generation being built, if any' },
    updatedAt: { type: 'string' },
  },
};

export const rebuildProgressSchema = {
  type: 'object',
  nullable: true,
  description:
    'How far the generation being built has read its sources (committed offsets of its groups against the ends, summed); null when none is built',
  properties: {
    generation: { type: 'integer' },
    consumed: { type: 'integer' },
    total: { type: 'integer' },
    fraction: { type: 'number', minimum: 0, maximum: 1 },
  },
};

export const viewsSchema = {
  type: 'object',
  properties: {
    views: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          index: { type: 'string', nullable: true, description: 'The index’s query parameter' },
          state: viewStateSchema,
          progress: rebuildProgressSchema,
        },
      },
    },
  },
};
