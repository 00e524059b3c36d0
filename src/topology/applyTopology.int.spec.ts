import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../test/support/embeddedBroker.js';
import { topology } from '../../topology/index.js';
import { applyTopology } from './applyTopology.js';
import type { TopologySpec } from './topologySpec.js';

let t: TestBroker;
let admin: Admin;

beforeAll(async () => {
  t = await startTestBroker({ autoCreateTopics: false });
  admin = t.kafka('topology').admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await t.stop();
});

describe('kes topology apply', () => {
  it('creates every topic with its partitions and configs, replication clamped to the brokers', async () => {
    const plan = await applyTopology(admin, topology);
    expect(plan.refused).toEqual([]);
    expect(plan.create).toHaveLength(topology.topics.length);
    expect(plan.create.every((c) => c.replicationFactor === 1)).toBe(true);
    expect((await admin.listTopics()).sort()).toEqual(topology.topics.map((x) => x.name).sort());
    const events = t.broker.logs.get('orders.events')!;
    expect(events.partitions).toHaveLength(6);
    expect(events.config.retentionMs).toBe(-1);
    expect(t.broker.logs.get('stock.aggregates')!.config.compact).toBe(true);
  });

  it('is idempotent', async () => {
    const plan = await applyTopology(admin, topology);
    expect(plan.create).toEqual([]);
    expect(plan.alterConfigs).toEqual([]);
    expect(plan.unchanged).toHaveLength(topology.topics.length);
  });

  it('puts drifted configs back', async () => {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: 2, name: 'kes.command-results', configEntries: [{ name: 'retention.ms', value: '5' }] },
      ],
    });
    const plan = await applyTopology(admin, topology);
    expect(plan.alterConfigs.map((a) => a.topic)).toEqual(['kes.command-results']);
    expect(t.broker.logs.get('kes.command-results')!.config.retentionMs).toBe(86_400_000);
  });

  it('refuses to change a partition count silently, and changes nothing then', async () => {
    const grown: TopologySpec = {
      ...topology,
      topics: topology.topics.map((x) =>
        x.name === 'invoicing.dlq' || x.name === 'kes.command-results'
          ? { ...x, partitions: 8, configs: { ...x.configs, 'retention.ms': '1000' } }
          : x,
      ),
    };
    const refused = await applyTopology(admin, grown);
    expect(refused.refused).toEqual([
      expect.stringContaining('kes.command-results: has 6 partitions, 8 declared'),
      expect.stringContaining('invoicing.dlq: has 6 partitions, 8 declared'),
    ]);
    expect(t.broker.logs.get('invoicing.dlq')!.partitions).toHaveLength(6);
    expect(t.broker.logs.get('kes.command-results')!.config.retentionMs).toBe(86_400_000);

    const shrunk: TopologySpec = {
      ...topology,
      topics: topology.topics.map((x) => (x.name === 'stock-replies.dlq' ? { ...x, partitions: 2 } : x)),
    };
    expect((await applyTopology(admin, shrunk)).refused).toEqual([
      expect.stringContaining('cannot be removed'),
    ]);

    const allowed = await applyTopology(admin, grown, { allowPartitionIncrease: true });
    expect(allowed.addPartitions).toHaveLength(2);
    expect(t.broker.logs.get('invoicing.dlq')!.partitions).toHaveLength(8);
  });
});
