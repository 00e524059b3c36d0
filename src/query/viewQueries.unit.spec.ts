import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application } from '../../topology/application.js';
import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { AccountEvent } from '../../examples/ledger/accounts/accountEvents.js';
import {
  accountStatementsView,
  type StatementRow,
  statementKey,
} from '../../examples/ledger/views/accountStatementsView.js';
import type { KesRecord } from '../processor/kesRecord.js';
import type { Processor } from '../processor/processor.js';
import type { ProcessorRunner } from '../processor/processorRunner.js';
import type { Serde } from '../serde/serde.js';
import type { KeyValueStore } from '../state/keyValueStore.js';
import { MemoryKeyValueStore } from '../state/memoryKeyValueStore.js';
import { TransactionalStore } from '../state/transactionalStore.js';
import type { TopologySpec } from '../topology/topologySpec.js';
import { eventHistory } from '../views/eventHistory.js';
import type { QueryableView } from '../views/readSide.js';
import { viewProcessor } from '../views/viewProcessor.js';
import { PROGRESS_KEY } from '../views/viewProgress.js';
import type { OwnerDirectory } from './ownerDirectory.js';
import { PartitionStores } from './partitionStores.js';
import { encodeCursor, ViewQueries } from './viewQueries.js';
import { AggregateIds } from './aggregateIds.js';
import { TraceQueries } from './traceQueries.js';

/**
 * An account's statement and history are its own, whatever the ids of the others: events of
 * `victim` and of accounts whose ids begin with it and a NUL (`victim\u00001`, as was opened over
 * HTTP to read victim's lines) go through the real view processor and event history into stores,
 * and are read back through the real queries — by index value, page by page, and by aggregate.
 */
const STATEMENTS = 'account-statements-view';
const HISTORY = 'event-history';
const DEADLINE = () => Date.now() + 5000;

const ids = [
  'victim',
  'victim\u00001',
  'victim\u0000',
  'victim\u00001\u0000',
  'victim\u0001',
  'victi',
  'victim1',
];
/** Each account's deposit is its own amount, so a line shows whose it is. */
const deposit = (id: string) => 100 + ids.indexOf(id);

/** The values these tests write are JSON `{ type, data }`: decoding reads them back. */
const serde = {
  decode: async (value: Buffer) => {
    const { type, data } = JSON.parse(value.toString('utf8')) as { type: string; data: unknown };
    return { type, schemaId: 1, writerVersion: 1, version: 1, value: data };
  },
} as unknown as Serde;

let offset = 0;
function eventRecord(aggregateId: string, sequence: number, event: AccountEvent): KesRecord {
  const type = `kes.accounts.${event.type}`;
  const H = CloudEventHeaders;
  return {
    topic: 'accounts.events',
    partition: 0,
    offset: BigInt(offset++),
    key: aggregateId,
    value: Buffer.from(JSON.stringify({ type, data: event.data })),
    headers: {
      [H.id]: `e-${offset}`,
      [H.type]: type,
      [H.subject]: aggregateId,
      [H.sequence]: String(sequence),
      [H.time]: new Date(Date.UTC(2025, 0, 15) + offset * 1000).toISOString(),
      // Each account's events are one flow: the first appended by the command that started it.
      [H.correlationId]: `flow-${aggregateId}`,
      [H.causationId]: sequence === 1 ? `flow-${aggregateId}` : `cmd-${aggregateId}-${sequence}`,
    },
    timestamp: Date.UTC(2025, 0, 15),
  };
}

/** Every record through the processor, each in a transaction of its own on the store. */
async function feed(processor: Processor, store: KeyValueStore, records: readonly KesRecord[]) {
  for (const record of records) {
    const transaction = new TransactionalStore(store);
    await processor.process(record, {
      partition: 0,
      store: () => transaction,
      forward: () => expect.fail('nothing is forwarded'),
      forwardAfter: () => expect.fail('nothing is forwarded'),
    });
    await transaction.commit();
  }
}

/** A runner owning partition 0 of one processor, whose store is `store`. */
const runner = (name: string, store: KeyValueStore) =>
  ({
    name,
    group: `kes-${name}`,
    assignedPartitions: [0],
    queryableStore: () => store,
  }) as unknown as ProcessorRunner;

const statements = new MemoryKeyValueStore(STATEMENTS);
const history = new MemoryKeyValueStore(HISTORY);
const stores = new PartitionStores({
  runners: () => [runner(STATEMENTS, statements), runner(HISTORY, history)],
  applicationId: 'kes',
  directory: { ownerOf: () => expect.fail('every partition is owned here') } as unknown as OwnerDirectory,
  self: () => 'http://self',
});
const view: QueryableView = {
  definition: accountStatementsView,
  processor: STATEMENTS,
  store: STATEMENTS,
  index: { name: 'accountId', processor: STATEMENTS, store: STATEMENTS },
};
const queries = new ViewQueries({
  stores,
  views: {
    names: () => ['account-statements'],
    resolve: (name) => (name === 'account-statements' ? view : undefined),
    indexName: () => 'accountId',
  },
  history: { processor: HISTORY, store: HISTORY },
  deciders: application.deciders,
  topology: {
    applicationId: 'kes',
    topics: [{ name: 'accounts.events', partitions: 1 }],
    processors: [STATEMENTS, HISTORY].map((name) => ({ name, inputs: ['accounts.events'] })),
  } as unknown as TopologySpec,
  serde,
});

beforeAll(async () => {
  // Interleaved: the accounts' lines are written side by side.
  const records = [1, 2].flatMap((sequence) =>
    ids.map((id) =>
      eventRecord(
        id,
        sequence,
        sequence === 1
          ? {
              type: 'AccountOpened',
              data: { accountId: id, ownerId: 'mallory', initialDeposit: deposit(id), overdraftLimit: 0 },
            }
          : { type: 'MoneyDeposited', data: { accountId: id, amount: 1, balance: deposit(id) + 1 } },
      ),
    ),
  );
  await feed(
    viewProcessor({ name: STATEMENTS, store: STATEMENTS, view: accountStatementsView, serde }),
    statements,
    records,
  );
  await feed(eventHistory({ name: HISTORY, store: HISTORY }), history, records);
});

afterAll(async () => {
  await stores.close();
  await statements.close();
  await history.close();
});

const page = (limit: number, cursor?: string) => ({ limit, ...(cursor !== undefined ? { cursor } : {}) });
const linesOf = (items: readonly unknown[]) =>
  (items as StatementRow[]).map((row) => [row.accountId, row.sequence, row.balance]);

describe('an account’s statement, listed by its id', () => {
  it.each(ids)('shows the lines of %j and of no other account', async (id) => {
    const { items, next } = await queries.byIndex('account-statements', id, page(50), DEADLINE());
    expect(linesOf(items)).toEqual([
      [id, 1, deposit(id)],
      [id, 2, deposit(id) + 1],
    ]);
    expect(next).toBeNull();
  });

  it('stays within the account page by page', async () => {
    const seen: unknown[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const result = await queries.byIndex('account-statements', 'victim', page(1, cursor), DEADLINE());
      seen.push(...result.items);
      if (result.next === null) break;
      cursor = result.next;
    }
    expect(linesOf(seen)).toEqual([
      ['victim', 1, deposit('victim')],
      ['victim', 2, deposit('victim') + 1],
    ]);
  });

  it('stays within the account whatever cursor is sent', async () => {
    const keys: string[] = [];
    for await (const [key] of statements.range()) keys.push(key);
    expect(keys.length).toBeGreaterThan(ids.length * 2); // the lines, and the view's progress
    for (const key of keys) {
      for (const cursor of [key, key.slice('victim'.length), key.slice('victim\u0000'.length)]) {
        if (cursor.length === 0) continue;
        const { items } = await queries.byIndex(
          'account-statements',
          'victim',
          page(50, encodeCursor(cursor)),
          DEADLINE(),
        );
        for (const row of items as StatementRow[])
          expect(row.accountId, JSON.stringify(cursor)).toBe('victim');
      }
    }
  });
});

describe('a row, read by its key', () => {
  it('is a statement line by its key, NUL and all', async () => {
    const key = statementKey('victim\u00001', 2);
    expect(await queries.row('account-statements', key, undefined, DEADLINE())).toMatchObject({
      accountId: 'victim\u00001',
      sequence: 2,
    });
  });

  it('is never what the task keeps for itself (its progress)', async () => {
    expect(await statements.get(PROGRESS_KEY)).toBeDefined();
    await expect(
      queries.row('account-statements', PROGRESS_KEY, undefined, DEADLINE()),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('an aggregate’s history, read by its id', () => {
  it.each(ids)('has the events of %j and of no other aggregate', async (id) => {
    const events = await queries.history('accounts', id, undefined, DEADLINE());
    expect(events.map((e) => [e.type, e.sequence, (e.data as { accountId: string }).accountId])).toEqual([
      ['AccountOpened', 1, id],
      ['MoneyDeposited', 2, id],
    ]);
  });

  it('is not found for an id that only begins another', async () => {
    await expect(queries.history('accounts', 'vic', undefined, DEADLINE())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the trace of an id, and the aggregate ids by prefix', () => {
  const topology = {
    applicationId: 'kes',
    topics: [{ name: 'accounts.events', partitions: 1 }],
    processors: [{ name: HISTORY, inputs: ['accounts.events'] }],
  } as unknown as TopologySpec;
  const traces = new TraceQueries({
    stores,
    history: { processor: HISTORY, store: HISTORY },
    topology,
    serde,
  });
  const aggregates = new AggregateIds({ stores, history: { processor: HISTORY, store: HISTORY }, topology });

  it.each(ids)(
    'finds the flow of %j and no other account’s, each event by how it names the id',
    async (id) => {
      const events = await traces.trace(`flow-${id}`, DEADLINE());
      expect(events.map((e) => [e.aggregateId, e.sequence, e.match])).toEqual([
        [id, 1, 'causation'],
        [id, 2, 'correlation'],
      ]);
      const byCommand = await traces.trace(`cmd-${id}-2`, DEADLINE());
      expect(byCommand.map((e) => [e.aggregateId, e.sequence, e.match])).toEqual([[id, 2, 'causation']]);
      // An event's own id names nothing.
      expect(await traces.trace(events[0]!.id, DEADLINE())).toEqual([]);
    },
  );

  it('indexes an event once when its causation is its correlation, twice otherwise', async () => {
    let keys = 0;
    for await (const _entry of history.range({ gte: '#', lt: '$' })) keys++;
    expect(keys).toBe(ids.length * (1 + 2));
  });

  it('lists the ids starting with a prefix in key order, one read each, and only the domain’s', async () => {
    expect(await aggregates.search('accounts', 'victim', 50, DEADLINE())).toEqual([
      'victim',
      'victim\u0000',
      'victim\u00001',
      'victim\u00001\u0000',
      'victim\u0001',
      'victim1',
    ]);
    expect(await aggregates.search('accounts', 'victi', 3, DEADLINE())).toEqual([
      'victi',
      'victim',
      'victim\u0000',
    ]);
    expect(await aggregates.search('accounts', '', 50, DEADLINE())).toHaveLength(ids.length);
    expect(await aggregates.search('accounts', 'x', 50, DEADLINE())).toEqual([]);
    expect(await aggregates.search('transfers', 'victim', 50, DEADLINE())).toEqual([]);
  });
});
