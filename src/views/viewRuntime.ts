import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { ViewError } from './viewError.js';
import type { ProcessorRunner } from '../processor/processorRunner.js';
import { type StreamsHandle, type StreamsOptions, startStreams } from '../processor/startStreams.js';
import type { Serde } from '../serde/serde.js';
import { applyTopology } from '../topology/applyTopology.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import type { QueryableView, ReadView } from './readSide.js';
import type { ViewControl, ViewState } from './viewControl.js';
import { generationName, generationTopic, generationTopology } from './viewGeneration.js';
import { fetchTopicOffsets } from '../kafka/topicOffsets.js';

export interface ViewRuntimeOptions {
  readonly kafka: Kafka;
  readonly topology: TopologySpec;
  readonly serde: Serde;
  /** Every view, by name (queries resolve their serving generation). */
  readonly views: ReadonlyMap<string, ReadView>;
  /** Which views run here (default: all); the others are read from the instances running them. */
  readonly runsHere?: (view: string) => boolean;
  readonly control: ViewControl;
  readonly streams: Omit<StreamsOptions, 'kafka' | 'topology' | 'processors'>;
  /** How long a replaced generation keeps running (queries in flight finish on it). Default 30 s. */
  readonly retireAfterMs?: number;
  /** How often a generation being built is checked for having caught up. Default 1 s. */
  readonly checkIntervalMs?: number;
}

interface Running {
  readonly view: ReadView;
  readonly generation: number;
  readonly streams: StreamsHandle;
}

/**
 * Runs the views' generations in this instance and switches them (blue/green rebuilds): for each
 * view, the generation serving queries and, while a rebuild is under way, the one being built
 * from offset 0 of the view's sources beside it, under names of its own. Every instance follows
 * the view control topic; any of them switches a view once its new generation has caught up —
 * it has processed its sources at least as far as the serving one, and its index whatever was
 * forwarded to it — and the replaced generation is retired after a grace period (its local
 * stores deleted; its topics too, when it was itself a rebuild).
 */
export class ViewRuntime {
  private readonly running = new Map<string, Running>();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly retiring = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly logger: Logger;

  private constructor(
    private readonly options: ViewRuntimeOptions,
    private readonly admin: Admin,
  ) {
    this.logger = options.streams.logger.child({ component: 'views' });
  }

  static async start(options: ViewRuntimeOptions): Promise<ViewRuntime> {
    const admin = options.kafka.admin();
    await admin.connect();
    const runtime = new ViewRuntime(options, admin);
    const runsHere = (name: string) => options.views.has(name) && (options.runsHere?.(name) ?? true);
    // Every view at once: each joins groups of its own, and a join waits (the group's initial
    // rebalance delay) however many others are under way.
    const starts = await Promise.allSettled(
      [...options.views.keys()]
        .filter(runsHere)
        .map((name) => runtime.reconcile(options.control.state(name))),
    );
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await runtime.close().catch(() => undefined);
      throw failed.reason;
    }
    options.control.on('change', (state) => {
      if (runsHere(state.view)) runtime.serialize(() => runtime.reconcile(state));
    });
    runtime.timer = setInterval(
      () => runtime.serialize(() => runtime.checkBuilds()),
      options.checkIntervalMs ?? 1000,
    );
    runtime.timer.unref();
    return runtime;
  }

  /** The names of the views. */
  names(): string[] {
    return [...this.options.views.keys()];
  }

  /** A view with the names of its serving generation. */
  resolve(name: string): QueryableView | undefined {
    const view = this.options.views.get(name);
    if (!view) return undefined;
    const rename = this.renamer(view, this.options.control.state(name).active);
    return {
      definition: view.definition,
      processor: rename(view.processor),
      store: rename(view.store),
      ...(view.index
        ? {
            index: {
              ...view.index,
              processor: rename(view.index.processor),
              store: rename(view.index.store),
            },
          }
        : {}),
    };
  }

  /** The runners of every generation running here. */
  runners(): ProcessorRunner[] {
    return [...this.running.values()].flatMap((r) => [...r.streams.runners]);
  }

  /** The serving generations have restored their stores (generations being built do not count). */
  isReady(): boolean {
    return [...this.running.values()]
      .filter((r) => r.generation === this.options.control.state(r.view.definition.name).active)
      .every((r) => r.streams.isReady());
  }

  state(name: string): ViewState {
    if (!this.options.views.has(name))
      throw new ViewError('UNKNOWN_VIEW', `no view named ${name}`, { view: name });
    return this.options.control.state(name);
  }

  /** Starts building a new generation of the view; REBUILD_IN_PROGRESS if one is being built. */
  async rebuild(name: string): Promise<ViewState> {
    this.state(name); // UNKNOWN_VIEW
    const next = await requestRebuild(this.options.control, name);
    this.logger.info({ view: name, active: next.active, building: next.building }, 'view rebuild requested');
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const t of this.retiring) clearTimeout(t);
    await this.chain;
    await Promise.all([...this.running.values()].map((r) => r.streams.close()));
    this.running.clear();
    await this.admin.disconnect();
  }

  /** Runs state changes one at a time. */
  private serialize(work: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await work();
      } catch (err) {
        this.logger.error({ err }, 'view generation change failed');
      }
    });
  }

  private renamer(view: ReadView, generation: number) {
    return (name: string) =>
      view.processors.includes(name)
        ? generationName(name, generation)
        : generationTopic(name, view.processors, generation);
  }

  /** Runs the serving and building generations of the view; retires the others after the grace. */
  private async reconcile(state: ViewState): Promise<void> {
    const view = this.options.views.get(state.view)!;
    const wanted = [state.active, ...(state.building !== null ? [state.building] : [])];
    for (const generation of wanted) {
      const id = `${state.view}@${generation}`;
      if (!this.running.has(id)) this.running.set(id, await this.startGeneration(view, generation));
    }
    for (const [id, running] of this.running) {
      if (running.view === view && !wanted.includes(running.generation)) this.retire(id, running);
    }
  }

  private async startGeneration(view: ReadView, generation: number): Promise<Running> {
    const { kafka, topology, serde } = this.options;
    const spec = generationTopology(topology, view.processors, generation);
    const plan = await applyTopology(this.admin, spec);
    if (plan.refused.length > 0) throw new Error(plan.refused.join('\n'));
    const processors = view.build(this.renamer(view, generation), serde, topology);
    const streams = await startStreams({
      ...this.options.streams,
      kafka,
      topology: spec,
      processors: new Map(processors.map((p) => [p.name, p])),
      // Each generation restores through a reader (a group) of its own.
      instanceId: `${this.options.streams.instanceId}.${generationName(view.definition.name, generation)}`,
    });
    this.logger.info({ view: view.definition.name, generation }, 'view generation running');
    return { view, generation, streams };
  }

  private retire(id: string, running: Running): void {
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      this.serialize(async () => {
        if (this.running.get(id) !== running) return;
        const { view, generation } = running;
        const state = this.options.control.state(view.definition.name);
        if (state.active === generation || state.building === generation) return; // wanted again
        this.running.delete(id);
        await running.streams.close();
        const names = view.processors.map((p) => generationName(p, generation));
        for (const name of names) {
          await fs.rm(path.join(this.options.streams.dataDir, name), { recursive: true, force: true });
        }
        this.logger.info({ view: view.definition.name, generation }, 'view generation retired');
      });
    }, this.options.retireAfterMs ?? 30_000);
    timer.unref();
    this.retiring.add(timer);
  }

  /** Switches every view whose generation being built has caught up with the serving one. */
  private async checkBuilds(): Promise<void> {
    for (const name of this.options.views.keys()) {
      const state = this.options.control.state(name);
      if (state.building === null) continue;
      const view = this.options.views.get(name)!;
      if (!(await this.caughtUp(view, state.active, state.building))) continue;
      const replaced = state.active;
      await this.options.control.write({ view: name, active: state.building, building: null });
      this.logger.info(
        { view: name, active: state.building, replaced },
        'view switched to its new generation',
      );
      if (replaced > 1) this.deleteTopicsLater(view, replaced);
    }
  }

  /**
   * The new generation has caught up when each of its processors reading the view's sources has
   * committed, on every partition, at least the offsets the serving generation has; and then each
   * processor reading a topic of its own generation (an index) has read it to its end.
   */
  private async caughtUp(view: ReadView, active: number, building: number): Promise<boolean> {
    const { topology } = this.options;
    const serving = generationTopology(topology, view.processors, active);
    const built = generationTopology(topology, view.processors, building);
    const internal = new Set(built.topics.map((t) => t.name).filter((t) => t.includes(`.g${building}.`)));
    const group = (spec: { name: string }) => `${topology.applicationId}-${spec.name}`;
    const ordered = [...built.processors.keys()].sort(
      (a, b) =>
        Number(built.processors[a]!.inputs.some((t) => internal.has(t))) -
        Number(built.processors[b]!.inputs.some((t) => internal.has(t))),
    );
    for (const i of ordered) {
      const spec = built.processors[i]!;
      const ours = await this.committed(group(spec), spec.inputs);
      if (spec.inputs.some((t) => internal.has(t))) {
        for (const topic of spec.inputs) {
          for (const { partition, high } of await fetchTopicOffsets(this.admin, topic)) {
            // The last entry of a transactional topic is a commit marker, never consumed.
            const at = ours.get(`${topic}:${partition}`) ?? 0;
            if (at < Number(high) - 1) {
              this.logger.debug({ group: group(spec), topic, partition, at, end: high }, 'not caught up');
              return false;
            }
          }
        }
      } else {
        const theirs = await this.committed(group(serving.processors[i]!), spec.inputs);
        for (const [key, offset] of theirs) {
          if ((ours.get(key) ?? 0) < offset) {
            this.logger.debug(
              { group: group(spec), key, at: ours.get(key), serving: offset },
              'not caught up',
            );
            return false;
          }
        }
      }
    }
    return true;
  }

  private async committed(groupId: string, topics: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId, topics: [...topics] })) {
      for (const { partition, offset } of partitions)
        result.set(`${topic}:${partition}`, Math.max(0, Number(offset)));
    }
    return result;
  }

  /** Deletes the topics of a replaced generation (its own only; generation 1's are the topology's). */
  private deleteTopicsLater(view: ReadView, generation: number): void {
    const topics = generationTopology(this.options.topology, view.processors, generation)
      .topics.map((t) => t.name)
      .filter((t) => t.includes(`.g${generation}.`));
    const timer = setTimeout(
      () => {
        this.retiring.delete(timer);
        this.serialize(async () => {
          await this.admin
            .deleteTopics({ topics })
            .catch((err: unknown) => this.logger.warn({ err, topics }, 'could not delete topics'));
        });
      },
      (this.options.retireAfterMs ?? 30_000) + 1000,
    );
    timer.unref();
    this.retiring.add(timer);
  }
}

/** Asks every instance to build a new generation of the view; REBUILD_IN_PROGRESS if one is being built. */
export async function requestRebuild(control: ViewControl, name: string): Promise<ViewState> {
  const state = control.state(name);
  if (state.building !== null) {
    throw new ViewError('REBUILD_IN_PROGRESS', `${name} is being rebuilt (generation ${state.building})`, {
      view: name,
      active: state.active,
      building: state.building,
    });
  }
  return control.write({ view: name, active: state.active, building: state.active + 1 });
}
