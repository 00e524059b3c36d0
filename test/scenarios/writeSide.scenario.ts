import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSnapshotKey, type AggregateSnapshot } from '../../src/commands/aggregateSnapshot.js';
import { CloudEventHeaders } from '../../src/commands/cloudEvents.js';
import type { CommandResult } from '../../src/commands/commandResult.js';
import { type CommandInput, CommandSender } from '../../src/commands/commandSender.js';
import { replay } from '../../src/domain/decider.js';
import { deciders } from '../../examples/domainCatalog.js';
import type { StockEvent } from '../../examples/shop/stock/stockEvents.js';
import type { StockState } from '../../examples/shop/stock/stockState.js';
import { Serde } from '../../src/serde/serde.js';
import { spawnApp } from '../support/appProcess.js';
import type { TestCluster } from '../support/testCluster.js';
import { readTopic } from '../support/readTopic.js';
import type { ScriptProcess } from '../support/spawnScript.js';
import { sendPatiently } from '../support/sendPatiently.js';
import { tempDir } from '../support/tempDir.js';
import { brokerOutage } from './brokerOutage.js';
import { application } from '../../topology/application.js';

/**
 * 20,000 random commands over 500 aggregates, processed by three `kes app` processes in one
 * group; one is killed with SIGKILL midway and restarted (and, where the cluster's brokers can be
 * killed, a Kafka broker is killed a quarter of the way and restarted once all is sent). Afterwards: every command has exactly
 * one result; per aggregate, event versions run from 1 without gaps and event ids are unique; no
 * event appears twice; and every aggregate's stored state equals a pure replay of its events.
 */
export function writeSideScenario(startCluster: () => Promise<TestCluster>): void {
  const COMMANDS = 20_000;
  const PRODUCTS = 500;

  let cluster: TestCluster;
  let serde: Serde;
  const apps: ScriptProcess[] = [];
  const dirs = Array.from({ length: 3 }, () => tempDir('kes-app-e2e-'));

  beforeAll(async () => {
    cluster = await startCluster();
    serde = Serde.forApplication(application, new SchemaRegistry({ host: cluster.registryUrl }));
    await serde.registerAll();
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await cluster?.stop();
    for (const d of dirs) d.remove();
  });

  /** A small deterministic PRNG, so a failure can be replayed. */
  function random(seed: number) {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }

  function commands(): CommandInput[] {
    const next = random(42);
    const pick = (n: number) => Math.floor(next() * n);
    const out: CommandInput[] = [];
    for (let i = 0; i < PRODUCTS; i++) {
      out.push({
        type: 'AddProduct',
        data: { productId: `p-${i}`, name: `Product ${i}`, initialStock: pick(50) },
      });
    }
    while (out.length < COMMANDS) {
      const productId = `p-${pick(PRODUCTS)}`;
      const roll = next();
      if (roll < 0.45) out.push({ type: 'IncreaseStock', data: { productId, quantity: 1 + pick(10) } });
      else if (roll < 0.9) out.push({ type: 'DecreaseStock', data: { productId, quantity: 1 + pick(15) } });
      else if (roll < 0.95)
        out.push({ type: 'AddProduct', data: { productId, name: 'again', initialStock: 1 } });
      else
        out.push({ type: 'IncreaseStock', data: { productId, quantity: 1 }, expectedVersion: 1 + pick(5) });
    }
    return out.map((c, i) => ({ ...c, commandId: `cmd-${i}` }));
  }

  const brokers = () => cluster.bootstrap;
  const start = (i: number) =>
    spawnApp({
      brokers: brokers(),
      registry: cluster.registryUrl,
      dataDir: dirs[i]!.path,
      instanceId: `app-${i}`,
    });

  describe('the write side under a crash', () => {
    it('processes 20,000 commands exactly once across three instances, one killed with SIGKILL', async () => {
      apps.push(...(await Promise.all([0, 1, 2].map(start))));
      const kafka = cluster.kafka('e2e-producer');
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      const sender = new CommandSender(serde, Object.values(deciders));
      const all = commands();
      let killed = false;
      let resent = 0;
      const outage = brokerOutage(
        () => cluster,
        (count) => Math.floor(random(7)() * count),
      );
      for (let at = 0; at < all.length; at += 500) {
        if (at >= COMMANDS / 4) await outage.begin();
        const prepared = await Promise.all(all.slice(at, at + 500).map((c) => sender.prepare(c)));
        const byTopic = new Map<string, typeof prepared>();
        for (const p of prepared) byTopic.set(p.record.topic, [...(byTopic.get(p.record.topic) ?? []), p]);
        await sendPatiently(
          producer,
          {
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic,
              messages: list.map((p) => ({
                key: p.record.key,
                value: p.record.value,
                headers: { ...p.record.headers },
              })),
            })),
          },
          { onRetry: () => resent++ },
        );
        if (!killed && at >= COMMANDS / 3) {
          killed = true;
          await apps[1]!.kill();
          apps[1] = await start(1);
        }
      }
      await producer.disconnect();
      await outage.end();

      // Every command has exactly one result.
      const deadline = Date.now() + 180_000;
      let results: CommandResult[] = [];
      while (Date.now() < deadline) {
        results = await Promise.all(
          (await readTopic(kafka, 'kes.command-results')).map(
            async (r) => (await serde.decode(r.message.value!)).value as unknown as CommandResult,
          ),
        );
        if (new Set(results.map((r) => r.commandId)).size >= COMMANDS) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      // A batch the producer sent again (a broker died under it) put some commands in twice: a
      // repeat is answered as the first time, and decides nothing again.
      const perCommand = new Map<string, CommandResult[]>();
      for (const r of results) perCommand.set(r.commandId, [...(perCommand.get(r.commandId) ?? []), r]);
      expect(perCommand.size).toBe(COMMANDS);
      const outcome = (r: CommandResult) => [r.status, r.version, r.eventCount, r.events, r.rejection];
      const repeats = [...perCommand.values()].filter((list) => list.length > 1);
      for (const list of repeats) {
        for (const r of list) expect(outcome(r)).toEqual(outcome(list[0]!));
      }
      if (repeats.length > 0) console.log(JSON.stringify({ resent, repeated: repeats.length }));
      if (resent === 0) expect(repeats).toEqual([]);
      results = [...perCommand.values()].map((list) => list[0]!);
      const statuses = new Set(results.map((r) => r.status));
      expect(statuses).toEqual(new Set(['ACCEPTED', 'REJECTED', 'CONFLICT']));

      // Per aggregate: versions 1..n, unique ids, nothing twice; the accepted results' events are all there.
      const events = await readTopic(kafka, 'stock.events');
      const ids = new Set<string>();
      const byProduct = new Map<string, StockEvent[]>();
      for (const { message } of events) {
        const header = (name: string) => message.headers![name]!.toString();
        ids.add(header(CloudEventHeaders.id));
        const productId = message.key!.toString();
        const list = byProduct.get(productId) ?? [];
        expect(Number(header(CloudEventHeaders.sequence))).toBe(list.length + 1);
        const decoded = await serde.decode(message.value!);
        list.push({
          type: decoded.type.replace('kes.stock.', ''),
          data: decoded.value,
        } as unknown as StockEvent);
        byProduct.set(productId, list);
      }
      expect(ids.size).toBe(events.length);
      expect(results.reduce((sum, r) => sum + r.eventCount, 0)).toBe(events.length);
      expect(byProduct.size).toBe(PRODUCTS);

      // Every stored aggregate equals a pure replay of its events.
      const snapshots = new Map<string, AggregateSnapshot<StockState>>();
      for (const { message } of await readTopic(kafka, 'stock.aggregates')) {
        const key = message.key!.toString();
        if (!isSnapshotKey(key) || message.value === null) continue; // remembered results, expiries
        snapshots.set(key, JSON.parse(message.value.toString()) as AggregateSnapshot<StockState>);
      }
      for (const [productId, list] of byProduct) {
        const snapshot = snapshots.get(productId)!;
        expect(snapshot.version).toBe(list.length);
        expect(snapshot.state).toEqual(replay(deciders.stock, list));
      }
    }, 420_000);
  });
}
