import { commandHandler } from '../commands/commandHandler.js';
import type { Decider } from '../domain/decider.js';
import { checkDomainName, recordName } from '../domain/domainRecord.js';
import type { RejectionCatalog } from '../domain/rejectionCatalog.js';
import type { Saga } from '../domain/saga.js';
import type { Processor } from '../processor/processor.js';
import { sagaProcessor } from '../policies/sagaProcessor.js';
import type { UpcasterEntry } from '../serde/upcasters.js';
import {
  checkTopology,
  type ProcessorKind,
  type ProcessorSpec,
  type StoreSpec,
  type TopicSpec,
  type TopologySpec,
} from '../topology/topologySpec.js';
import { type RuntimeTopics, runtimeTopics } from '../topology/runtimeTopics.js';
import { eventHistory } from '../views/eventHistory.js';
import { indexProcessor } from '../views/indexProcessor.js';
import { EVENT_HISTORY, type ReadView } from '../views/readSide.js';
import { rekeyProcessor } from '../views/rekeyProcessor.js';
import type { ViewDefinition } from '../views/viewEvent.js';
import { viewProcessor } from '../views/viewProcessor.js';
import type { AccessRules, ApplicationContext, KesApplication } from './kesApplication.js';

const DAY = 24 * 60 * 60 * 1000;
const WEEK = String(7 * DAY);
const FOREVER = '-1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySaga = Saga<any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyView = ViewDefinition<any>;

export interface ApplicationSettings {
  /** Prefix of the consumer groups and transactional ids (Kafka Streams' application.id). */
  readonly name: string;
  /**
   * Partitions of every keyed topic. One count for all, so that a key lands on the same partition
   * number in every topic (co-partitioning): a saga or a view reads the partitions of one key together.
   */
  readonly partitions: number;
  /** Wanted replication of every topic; clamped to the cluster's broker count. Default 3. */
  readonly replicationFactor?: number;
  /** The directory of the application's Avro schemas (`<domain>/<Type>.avsc`; docs/registry.md). */
  readonly schemas: string;
  /** How records written with older schemas are read (docs/registry.md: upcasting). */
  readonly upcasters?: readonly UpcasterEntry[];
  /** What customers may call when the API requires tokens; default: nothing. */
  readonly access?: AccessRules;
}

export interface AggregateOptions {
  /** What the aggregate id is, for people reading the topology (`product id`). */
  readonly key: string;
  /** The business rules' codes the decider may reject with. */
  readonly rejections: RejectionCatalog;
  /** The commands clients may send over HTTP; the others are sent only by sagas and policies. Default: all. */
  readonly publicCommands?: readonly string[];
}

/** Events of another domain a saga or a view hears re-keyed by one of their fields. */
export interface Rekeyed {
  /** The re-keying processor (`stock-replies`). */
  readonly name: string;
  readonly domain: string;
  /** Short names of the event types forwarded. */
  readonly eventTypes: readonly string[];
  /** The field whose value becomes the key. */
  readonly keyField: string;
  /** What the new key is (`order id`). */
  readonly key: string;
  readonly description: string;
}

export interface SagaOptions {
  /** What the saga's key is (`order id`). */
  readonly key: string;
  /** The domains whose events it hears as they are keyed (their aggregate id is its key). */
  readonly hears: readonly string[];
  /** Another domain's events, re-keyed to the saga's key onto `<saga>.repartition`. */
  readonly replies?: Rekeyed;
  /** The domains it sends commands to. */
  readonly sends: readonly string[];
  readonly description: string;
  /** What its store keeps per instance. */
  readonly state: string;
}

export interface PolicyOptions {
  readonly name: string;
  /** The domains whose events it reads. */
  readonly hears: readonly string[];
  /** The domains it sends commands to. */
  readonly sends: readonly string[];
  readonly description: string;
  /** Builds its processor (see `decodeEvent` and `sendCommands`). */
  build(context: ApplicationContext): Processor;
}

export interface ViewOptions {
  /** What a row is (`productId → name, available, reserved`), for people reading the topology. */
  readonly rows: string;
  readonly description: string;
  /** Events of a domain read re-keyed (an order's invoices by order id); retained as long as its events. */
  readonly rekeyed?: readonly Rekeyed[];
  /**
   * Rows by one of their fields (`?customerId=`): rows are forwarded by the field's value to an
   * index (its own processor and store), or — `own: true` — the view's row keys are already
   * composite keys that begin with the value (compositeKey), and its own store is the index.
   */
  readonly index?:
    | { readonly field: string; readonly key: string; readonly processor: string; readonly own?: false }
    | { readonly field: string; readonly own: true };
}

interface Node {
  readonly spec: ProcessorSpec;
  readonly build?: (context: ApplicationContext) => Processor;
}

/**
 * Builds an application the way Kafka Streams builds a topology from code: each aggregate, saga,
 * policy and view added declares what it reads, writes and keeps, and the topics, stores and
 * processors of the topology are derived from them — they cannot drift apart. `build()` checks
 * the result (checkTopology) and hands it to `startApp` or the CLI.
 */
export class ApplicationBuilder {
  private readonly topics = new Map<string, TopicSpec>();
  private readonly nodes: Node[] = [];
  private readonly views: ReadView[] = [];
  private readonly deciders: AnyDecider[] = [];
  private readonly publicCommands: string[] = [];
  private readonly rejections: Record<string, RejectionCatalog> = {};
  private readonly viewNodes: ProcessorSpec[] = [];

  private readonly runtime: RuntimeTopics;

  constructor(private readonly settings: ApplicationSettings) {
    this.runtime = runtimeTopics(settings.name);
    this.topic(this.runtime.commandResults, 'command id', 'the outcome of every command', {
      configs: { 'retention.ms': String(DAY) },
    });
  }

  /** An aggregate: `<domain>.commands`, `<domain>.events` (kept forever), its snapshots and handler. */
  aggregate(decider: AnyDecider, options: AggregateOptions): this {
    const { domain } = decider;
    const problem = checkDomainName(domain);
    if (problem) throw new Error(problem);
    if (this.deciders.some((d) => d.domain === domain)) throw new Error(`domain ${domain} is added twice`);
    for (const type of decider.commandTypes) {
      const other = this.deciders.find((d) => d.commandTypes.includes(type));
      // POST /commands/<type> names a command by its short name: one domain per name.
      if (other) throw new Error(`command ${type} of ${domain} is a command of ${other.domain} too`);
    }
    const publicCommands = options.publicCommands ?? decider.commandTypes;
    for (const type of publicCommands) {
      if (!decider.commandTypes.includes(type))
        throw new Error(`${domain} has no command ${type} to make public`);
    }
    this.deciders.push(decider);
    this.rejections[domain] = options.rejections;
    this.publicCommands.push(...publicCommands);
    const { key } = options;
    this.topic(`${domain}.commands`, key, `commands to ${domain} aggregates`, {
      configs: { 'retention.ms': WEEK },
    });
    this.topic(`${domain}.events`, key, `the ${domain} event store: every event, kept forever`, {
      configs: { 'retention.ms': FOREVER },
    });
    this.topic(
      `${domain}.aggregates`,
      key,
      `latest state of each ${domain} aggregate (snapshot and store changelog)`,
      { cleanupPolicy: 'compact' },
    );
    const name = `${domain}-commands`;
    const store: StoreSpec = {
      name: `${domain}-aggregates`,
      changelog: `${domain}.aggregates`,
      description: `snapshot (state, version) of each ${domain} aggregate, and its commands' results for 24 hours`,
    };
    this.processor(
      {
        name,
        kind: 'command-handler',
        inputs: [`${domain}.commands`],
        stores: [store],
        outputs: [`${domain}.events`, `${domain}.aggregates`, this.runtime.commandResults],
        description: `decides ${domain} events from commands, exactly once, one aggregate at a time`,
      },
      ({ serde, idempotency }) =>
        commandHandler({
          name,
          resultsTopic: this.runtime.commandResults,
          decider,
          serde,
          idempotencyRetentionMs: idempotency.retentionMs,
          idempotencyMaxResults: idempotency.maxResults,
        }),
    );
    return this;
  }

  /** A saga (process manager): its state store, what it hears, and the domains it sends commands to. */
  saga(saga: AnySaga, options: SagaOptions): this {
    const inputs = options.hears.map((domain) => this.eventsOf(domain));
    if (options.replies) {
      const topic = `${saga.name}.repartition`;
      this.rekey(options.replies, topic, WEEK);
      inputs.push(topic);
    }
    const changelog = `${saga.name}.changelog`;
    this.topic(changelog, options.key, `changelog of the ${saga.name} saga's state store`, {
      cleanupPolicy: 'compact',
    });
    this.processor(
      {
        name: saga.name,
        kind: 'policy',
        inputs,
        stores: [{ name: `${saga.name}-state`, changelog, description: options.state }],
        outputs: [...options.sends.map((d) => this.commandsOf(d)), changelog],
        description: `saga: ${options.description}`,
      },
      ({ serde, sender }) => sagaProcessor(saga, { serde, sender }),
    );
    return this;
  }

  /** A stateless policy: events in, commands out. */
  policy(options: PolicyOptions): this {
    this.processor(
      {
        name: options.name,
        kind: 'policy',
        inputs: options.hears.map((d) => this.eventsOf(d)),
        stores: [],
        outputs: options.sends.map((d) => this.commandsOf(d)),
        description: options.description,
      },
      options.build,
    );
    return this;
  }

  /**
   * A view (read model), queried at `/views/<name>` and rebuilt blue/green: its processor and store
   * are named `<name>-view`, its inputs are the topics of the events it reads.
   */
  view(definition: AnyView, options: ViewOptions): this {
    const processor = `${definition.name}-view`;
    const rekeyed = new Map((options.rekeyed ?? []).map((r) => [r.domain, r]));
    const inputs = [
      ...new Set(
        definition.eventTypes.map((fullName) => {
          const domain = fullName.split('.')[1] ?? '';
          const via = rekeyed.get(domain);
          if (via && !via.eventTypes.some((t) => recordName(domain, t) === fullName)) {
            throw new Error(`view ${definition.name} reads ${fullName}, which ${via.name} does not forward`);
          }
          return via ? `${via.name}.repartition` : this.eventsOf(domain);
        }),
      ),
    ];
    for (const via of rekeyed.values()) {
      // A view is rebuilt from its inputs: a re-keyed input is kept as long as the events.
      if (!this.topics.has(`${via.name}.repartition`)) {
        this.rekey(via, `${via.name}.repartition`, FOREVER);
      }
    }
    const index = options.index;
    const forward =
      index && !index.own
        ? {
            topic: `${index.processor}.repartition`,
            field: index.field,
            key: index.key,
            processor: index.processor,
          }
        : undefined;
    this.viewNodes.push({
      name: processor,
      kind: 'view',
      inputs,
      stores: [this.viewStore(processor, options.rows)],
      outputs: [`${processor}.changelog`, ...(forward ? [forward.topic] : [])],
      description: `view ${definition.name}: ${options.description}`,
    });
    if (forward) {
      this.topic(forward.topic, forward.key, `${definition.name} rows re-keyed by ${forward.key}`, {
        configs: { 'retention.ms': WEEK },
      });
      this.viewNodes.push({
        name: forward.processor,
        kind: 'view',
        inputs: [forward.topic],
        stores: [
          this.viewStore(forward.processor, `${forward.field} \\0 row key → the ${definition.name} row`),
        ],
        outputs: [`${forward.processor}.changelog`],
        description: `index of ${definition.name} by ${forward.key}`,
      });
    }
    const names = [processor, ...(forward ? [forward.processor] : [])];
    this.views.push({
      definition,
      processor,
      store: processor,
      ...(index
        ? {
            index: forward
              ? { name: index.field, processor: forward.processor, store: forward.processor }
              : { name: index.field, processor, store: processor },
          }
        : {}),
      processors: names,
      build: (rename, serde, spec) => {
        const partitions = forward && spec.topics.find((t) => t.name === forward.topic)?.partitions;
        if (forward && partitions === undefined) throw new Error(`the topology lacks ${forward.topic}`);
        return [
          viewProcessor({
            name: rename(processor),
            store: rename(processor),
            view: definition,
            serde,
            ...(forward
              ? {
                  forward: {
                    topic: rename(forward.topic),
                    partitions: partitions as number,
                    keyOf: (row: Record<string, unknown>) => {
                      const value = row[forward.field];
                      return typeof value === 'string' ? value : undefined;
                    },
                  },
                }
              : {}),
          }),
          ...(forward
            ? [indexProcessor({ name: rename(forward.processor), store: rename(forward.processor) })]
            : []),
        ];
      },
    });
    return this;
  }

  /** The application, its topology derived from what was added; throws if it is inconsistent. */
  build(): KesApplication {
    if (this.deciders.length === 0) throw new Error('an application needs at least one aggregate');
    // What build() declares goes to a copy: the builder stays as it was (build() may run again).
    const topics = new Map(this.topics);
    const declare = (name: string, key: string, description: string, extra: Partial<TopicSpec> = {}) =>
      this.topic(name, key, description, extra, topics);
    // The event history of every aggregate (GET /aggregates/…), and the views' generations.
    const history: ProcessorSpec = {
      name: EVENT_HISTORY.processor,
      kind: 'view',
      inputs: this.deciders.map((d) => `${d.domain}.events`),
      stores: [
        this.viewStore(
          EVENT_HISTORY.store,
          'domain/aggregateId \\0 version → the event record (audit)',
          topics,
        ),
      ],
      outputs: [`${EVENT_HISTORY.processor}.changelog`],
      description: 'the event history of every aggregate, for audit and temporal queries',
    };
    declare(
      this.runtime.views,
      'view name',
      'which generation of each view serves queries, and which is being built',
      {
        partitions: 1,
        cleanupPolicy: 'compact',
      },
    );
    const processors = [...this.nodes.map((n) => n.spec), ...this.viewNodes, history].map((p) => ({
      ...p,
      outputs: [...p.outputs, `${p.name}.dlq`],
    }));
    for (const p of processors) {
      declare(
        `${p.name}.dlq`,
        'the input record key',
        `records ${p.name} could not process, with error headers`,
        {
          configs: { 'retention.ms': String(14 * DAY) },
        },
      );
    }
    const topology: TopologySpec = {
      applicationId: this.settings.name,
      topics: [...topics.values()],
      processors,
    };
    this.checkAccess();
    const problems = checkTopology(topology);
    if (problems.length > 0)
      throw new Error(`the application's topology is inconsistent:\n${problems.join('\n')}`);
    const builders = this.nodes.filter((n) => n.build);
    return {
      topology,
      deciders: [...this.deciders],
      rejections: { ...this.rejections },
      publicCommands: [...this.publicCommands],
      views: new Map(this.views.map((v) => [v.definition.name, v])),
      schemas: this.settings.schemas,
      upcasters: this.settings.upcasters ?? [],
      access: this.settings.access ?? {},
      processors: (context) => [
        ...builders.map((n) => {
          const processor = n.build!(context);
          if (processor.name !== n.spec.name) {
            throw new Error(`the processor built for ${n.spec.name} is named ${processor.name}`);
          }
          return processor;
        }),
        eventHistory({ name: EVENT_HISTORY.processor, store: EVENT_HISTORY.store }),
      ],
    };
  }

  private rekey(via: Rekeyed, topic: string, retention: string): void {
    const decider = this.decider(via.domain);
    for (const type of via.eventTypes) {
      if (!decider.eventTypes.includes(type))
        throw new Error(`${via.name}: ${via.domain} has no event ${type}`);
    }
    this.topic(topic, via.key, via.description, { configs: { 'retention.ms': retention } });
    this.processor(
      {
        name: via.name,
        kind: 'repartition',
        inputs: [this.eventsOf(via.domain)],
        stores: [],
        outputs: [topic],
        description: `forwards ${via.domain} events re-keyed by ${via.key}: ${via.eventTypes.join(', ')}`,
      },
      ({ serde }) =>
        rekeyProcessor({
          name: via.name,
          serde,
          eventTypes: via.eventTypes.map((t) => recordName(via.domain, t)),
          keyField: via.keyField,
          topic,
        }),
    );
  }

  /** A view's store and its changelog topic (declared in `topics`). */
  private viewStore(name: string, rows: string, topics = this.topics): StoreSpec {
    this.topic(
      `${name}.changelog`,
      'the store key',
      `changelog of the ${name} store`,
      { cleanupPolicy: 'compact' },
      topics,
    );
    return { name, changelog: `${name}.changelog`, description: rows };
  }

  private eventsOf(domain: string): string {
    this.decider(domain);
    return `${domain}.events`;
  }

  private decider(domain: string): AnyDecider {
    const decider = this.deciders.find((d) => d.domain === domain);
    if (!decider) throw new Error(`no aggregate ${domain}: add it before what names it`);
    return decider;
  }

  /** The access rules name commands, views and domains of this application, and a view's list by customerId needs its index. */
  private checkAccess(): void {
    const { commands = {}, views = {} } = this.settings.access ?? {};
    for (const [type, rule] of Object.entries(commands)) {
      if (!this.publicCommands.includes(type)) throw new Error(`access: ${type} is not a public command`);
      if ('owned' in rule) this.decider(rule.owned.domain);
    }
    for (const [name, rule] of Object.entries(views)) {
      const view = this.views.find((v) => v.definition.name === name);
      if (!view) throw new Error(`access: no view named ${name}`);
      if (rule.list === 'own' && view.index?.name !== 'customerId') {
        throw new Error(
          `access: a customer lists their own rows of ${name} through a customerId index, which it lacks`,
        );
      }
    }
  }

  private commandsOf(domain: string): string {
    this.decider(domain);
    return `${domain}.commands`;
  }

  private processor(spec: Omit<ProcessorSpec, 'kind'> & { kind: ProcessorKind }, build: Node['build']): void {
    if (this.nodes.some((n) => n.spec.name === spec.name))
      throw new Error(`processor ${spec.name} is added twice`);
    this.nodes.push({ spec, build });
  }

  private topic(
    name: string,
    key: string,
    description: string,
    extra: Partial<TopicSpec> = {},
    topics = this.topics,
  ): void {
    if (topics.has(name)) throw new Error(`topic ${name} is declared twice`);
    topics.set(name, {
      name,
      partitions: this.settings.partitions,
      key,
      cleanupPolicy: 'delete',
      configs: {},
      replicationFactor: this.settings.replicationFactor ?? 3,
      description,
      ...extra,
    });
  }
}
