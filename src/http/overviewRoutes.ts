import type { FastifyInstance } from 'fastify';
import { applicationInstances } from '../ops/applicationInstances.js';
import { consumerLag, type LagSubject, topologySubjects } from '../ops/consumerLag.js';
import { type RebuildProgress, viewRebuildProgress } from '../views/rebuildProgress.js';
import type { ViewState } from '../views/viewControl.js';
import { generationTopology } from '../views/viewGeneration.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';
import { errorResponses } from './errorSchema.js';
import {
  commandsSchema,
  instancesSchema,
  lagSchema,
  statsSchema,
  topologySchema,
  viewsSchema,
} from './overviewSchemas.js';

/**
 * The console's Overview and Views pages (docs/operations.md, The console's read endpoints): the
 * topology, the instances and their tasks, the lag, this instance's counters, the commands with
 * their schemas, and the views with their generations and rebuild progress.
 */
export function overviewRoutes(api: FastifyInstance, context: ApiContext): void {
  const { topology } = context;
  const get = (url: string, summary: string, response: unknown, handler: () => Promise<unknown>) =>
    api.get(
      url,
      { schema: { tags: ['admin'], summary, response: { 200: response, ...errorResponses(503) } } },
      handler,
    );
  get(
    '/admin/topology',
    'The application’s topology: its topics and processors',
    topologySchema,
    async () => topology,
  );
  get(
    '/admin/instances',
    'The instances of the application’s group, each with the tasks it owns (processor → partitions)',
    instancesSchema,
    async () => ({
      self: context.self() ?? '',
      instances: await applicationInstances(connectedAdmin(context), topology.applicationId),
    }),
  );
  get(
    '/admin/lag',
    'How far each processor (a view by its serving generation) is behind, per input partition',
    lagSchema,
    async () => {
      const lags = await consumerLag(connectedAdmin(context), servingSubjects(context));
      const processors = new Map<string, { processor: string; lag: number; partitions: unknown[] }>();
      for (const { processor, topic, partition, committed, end, lag } of lags) {
        const entry = processors.get(processor) ?? { processor, lag: 0, partitions: [] };
        processors.set(processor, entry);
        entry.lag += lag;
        entry.partitions.push({ topic, partition, committed, end, lag });
      }
      return { processors: [...processors.values()] };
    },
  );
  get(
    '/admin/stats',
    'This instance’s counts since it started: records processed per processor, HTTP commands answered per result status',
    statsSchema,
    async () => {
      const processed: Record<string, number> = {};
      for (const { labels, value } of (await context.metrics.recordsProcessed.get()).values) {
        processed[String(labels.processor)] = value;
      }
      const commands: Record<string, number> = {};
      for (const { metricName, labels, value } of (await context.metrics.commandDuration.get()).values) {
        if (metricName !== 'kes_command_duration_seconds_count') continue;
        commands[String(labels.status)] = (commands[String(labels.status)] ?? 0) + value;
      }
      return { at: Date.now(), processed, commands };
    },
  );
  const commands = context.deciders.flatMap((decider) =>
    decider.commandTypes.map((type: string) => {
      const text = context.sender.schemaText(type);
      if (!text) throw new Error(`no schema for ${type}`);
      return {
        type,
        domain: decider.domain,
        public: context.publicCommands.includes(type),
        schema: JSON.parse(text) as object,
      };
    }),
  );
  get(
    '/admin/commands',
    'Every command of the application: its domain, whether clients may send it, its Avro schema',
    commandsSchema,
    async () => ({ commands }),
  );
  get(
    '/admin/views',
    'Every view: its description, its index’s query parameter, its generations and the progress of a rebuild',
    viewsSchema,
    async () => ({
      views: await Promise.all(
        [...context.views].map(async ([name, view]) => {
          const state = context.viewState(name);
          const description = topology.processors.find((p) => p.name === view.processor)?.description ?? '';
          return {
            name,
            description: description.replace(`view ${name}: `, ''),
            index: view.index?.name ?? null,
            state,
            progress: await viewProgress(context, state),
          };
        }),
      ),
    }),
  );
}

/** How far the view's generation being built has read its sources; null when none is built. */
export async function viewProgress(context: ApiContext, state: ViewState): Promise<RebuildProgress | null> {
  if (state.building === null) return null;
  const view = context.views.get(state.view);
  if (!view) return null;
  return viewRebuildProgress(connectedAdmin(context), context.topology, view.processors, state);
}

/** The admin client, once start-up has connected it (it has when the processors run). */
function connectedAdmin(context: ApiContext) {
  if (!context.running) throw new ApiError('NOT_READY', 'kes is starting');
  return context.admin;
}

/**
 * The processors whose lag is measured: the topology's, a view's by the generation serving it
 * (a replaced generation's group is left behind, its lag growing for ever).
 */
function servingSubjects(context: ApiContext): LagSubject[] {
  const { topology } = context;
  const serving = new Map<string, LagSubject[]>();
  for (const [name, view] of context.views) {
    const { active } = context.viewState(name);
    if (active === 1) continue;
    const generation = generationTopology(topology, view.processors, active);
    view.processors.forEach((processor, i) => {
      serving.set(processor, topologySubjects({ ...generation, processors: [generation.processors[i]!] }));
    });
  }
  return topologySubjects(topology).flatMap((s) => serving.get(s.processor) ?? [s]);
}
