import { describe, expect, it } from 'vitest';
import { accept, type Decider } from '../domain/decider.js';
import type { Saga } from '../domain/saga.js';
import type { ViewDefinition } from '../views/viewEvent.js';
import { ApplicationBuilder } from './applicationBuilder.js';

type Thing = { type: 'MakeThing' | 'DropThing'; data: { thingId: string; boxId: string } };
type ThingEvent = { type: 'ThingMade' | 'ThingDropped'; data: { thingId: string; boxId: string } };
type Box = { type: 'OpenBox'; data: { boxId: string } };
type BoxEvent = { type: 'BoxOpened'; data: { boxId: string } };

function decider<C extends { type: string; data: Record<string, string> }, E extends { type: string }>(
  domain: string,
  commandTypes: C['type'][],
  eventTypes: E['type'][],
  idField: string,
): Decider<C, E, null> {
  return {
    domain,
    commandTypes,
    eventTypes,
    initialState: () => null,
    decide: () => accept(),
    evolve: () => null,
    aggregateIdOf: (command) => command.data[idField]!,
  };
}

const things = decider<Thing, ThingEvent>(
  'things',
  ['MakeThing', 'DropThing'],
  ['ThingMade', 'ThingDropped'],
  'thingId',
);
const boxes = decider<Box, BoxEvent>('boxes', ['OpenBox'], ['BoxOpened'], 'boxId');

const thingsView: ViewDefinition<{ thingId: string; boxId: string }> = {
  name: 'things',
  eventTypes: ['kes.things.ThingMade', 'kes.boxes.BoxOpened'],
  evolve: (row, event) => row ?? { thingId: event.aggregateId, boxId: String(event.data.boxId) },
};

const packing: Saga<ThingEvent, null> = {
  name: 'packing',
  eventTypes: ['ThingMade', 'BoxOpened' as ThingEvent['type']],
  initialState: () => null,
  keyOf: (event) => event.data.boxId,
  react: (state) => ({ state, commands: [] }),
};

const settings = { name: 'test', partitions: 4, replicationFactor: 1, schemas: 'schemas' };
const rejections = { NOPE: 'never' };

const base = () =>
  new ApplicationBuilder(settings)
    .aggregate(things, { key: 'thing id', rejections, publicCommands: ['MakeThing'] })
    .aggregate(boxes, { key: 'box id', rejections });

describe('ApplicationBuilder', () => {
  it('derives the topics, stores and processors from what was added', () => {
    const app = base()
      .saga(packing, {
        key: 'box id',
        hears: ['boxes'],
        replies: {
          name: 'things-by-box',
          domain: 'things',
          eventTypes: ['ThingMade'],
          keyField: 'boxId',
          key: 'box id',
          description: 'things re-keyed by box',
        },
        sends: ['things'],
        state: 'per box: what is in it',
        description: 'packs things into boxes',
      })
      .view(thingsView, { rows: 'thingId → boxId', description: 'every thing' })
      .build();
    const { topology } = app;
    expect(topology.applicationId).toBe('test');
    const processors = Object.fromEntries(topology.processors.map((p) => [p.name, p]));
    expect(Object.keys(processors)).toEqual([
      'things-commands',
      'boxes-commands',
      'things-by-box',
      'packing',
      'things-view',
      'event-history',
    ]);
    expect(processors['things-commands']).toMatchObject({
      kind: 'command-handler',
      inputs: ['things.commands'],
      outputs: ['things.events', 'things.aggregates', 'test.command-results', 'things-commands.dlq'],
      stores: [{ name: 'things-aggregates', changelog: 'things.aggregates' }],
    });
    expect(processors['things-by-box']).toMatchObject({
      kind: 'repartition',
      inputs: ['things.events'],
      outputs: ['packing.repartition', 'things-by-box.dlq'],
    });
    expect(processors.packing).toMatchObject({
      kind: 'policy',
      inputs: ['boxes.events', 'packing.repartition'],
      outputs: ['things.commands', 'packing.changelog', 'packing.dlq'],
      stores: [{ name: 'packing-state', changelog: 'packing.changelog' }],
    });
    expect(processors['things-view']!.inputs).toEqual(['things.events', 'boxes.events']);
    expect(processors['event-history']!.inputs).toEqual(['things.events', 'boxes.events']);
    const topics = Object.fromEntries(topology.topics.map((t) => [t.name, t]));
    // Every processor's topics are declared: inputs, outputs, changelogs and its dead letters.
    for (const p of topology.processors) {
      for (const name of [...p.inputs, ...p.outputs, ...p.stores.map((s) => s.changelog)]) {
        expect(topics[name], `${p.name}: ${name}`).toBeDefined();
      }
    }
    expect(topics['things.events']).toMatchObject({ partitions: 4, configs: { 'retention.ms': '-1' } });
    expect(topics['things.aggregates']!.cleanupPolicy).toBe('compact');
    expect(topics['test.views']).toMatchObject({ partitions: 1, cleanupPolicy: 'compact' });
    expect(app.publicCommands).toEqual(['MakeThing', 'OpenBox']);
    expect([...app.views.keys()]).toEqual(['things']);
  });

  it('builds again to the same application', () => {
    const builder = base().view(thingsView, { rows: 'r', description: 'd' });
    expect(builder.build().topology).toEqual(builder.build().topology);
  });

  it('names the problem when definitions do not fit together', () => {
    expect(() => new ApplicationBuilder(settings).build()).toThrow('at least one aggregate');
    expect(() => base().aggregate(things, { key: 'k', rejections })).toThrow('domain things is added twice');
    const clash = decider<Box, BoxEvent>('crates', ['OpenBox'], ['BoxOpened'], 'boxId');
    expect(() => base().aggregate(clash, { key: 'k', rejections })).toThrow(
      'command OpenBox of crates is a command of boxes too',
    );
    expect(() =>
      new ApplicationBuilder(settings).aggregate(things, { key: 'k', rejections, publicCommands: ['Fly'] }),
    ).toThrow('things has no command Fly to make public');
    const dashed = decider<Box, BoxEvent>('big-boxes', ['OpenBox'], ['BoxOpened'], 'boxId');
    expect(() => new ApplicationBuilder(settings).aggregate(dashed, { key: 'k', rejections })).toThrow(
      'must be lower case letters, digits and _',
    );
    expect(() =>
      base().policy({
        name: 'p',
        hears: ['crates'],
        sends: [],
        description: 'd',
        build: () => ({}) as never,
      }),
    ).toThrow('no aggregate crates');
    expect(() =>
      base().view(thingsView, {
        rows: 'r',
        description: 'd',
        rekeyed: [
          {
            name: 'boxes-by-thing',
            domain: 'boxes',
            eventTypes: ['BoxOpened', 'BoxClosed'],
            keyField: 'thingId',
            key: 'thing id',
            description: 'd',
          },
        ],
      }),
    ).toThrow('boxes-by-thing: boxes has no event BoxClosed');
  });

  it('refuses access rules that name what the application does not have', () => {
    const withAccess = (access: ConstructorParameters<typeof ApplicationBuilder>[0]['access']) =>
      new ApplicationBuilder({ ...settings, access })
        .aggregate(things, { key: 'k', rejections, publicCommands: ['MakeThing'] })
        .aggregate(boxes, { key: 'k', rejections })
        .view(thingsView, { rows: 'r', description: 'd' })
        .build();
    expect(() => withAccess({ commands: { DropThing: { customerField: 'c' } } })).toThrow(
      'DropThing is not a public command',
    );
    expect(() => withAccess({ views: { boxes: { rows: 'all' } } })).toThrow('no view named boxes');
    expect(() => withAccess({ views: { things: { rows: 'own', list: 'own' } } })).toThrow('customerId index');
    expect(withAccess({ views: { things: { rows: 'all', list: 'all' } } }).access.views?.things?.rows).toBe(
      'all',
    );
  });
});
