import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { tempDir } from '../support/tempDir.js';
import type { TestCluster } from '../support/testCluster.js';

/**
 * A second `kes app` joins a running one. Every processor and view of the application shares one
 * group, so the first instance takes part in exactly one rebalance (kes_rebalances_total), the
 * tasks end split between the two (each processor's partitions, none twice, none left out), and
 * each instance answers reads of every product — from its own stores or from the other's.
 */
export function instanceJoinScenario(startCluster: () => Promise<TestCluster>): void {
  const PRODUCTS = 24;
  let cluster: TestCluster;
  const apps: AppProcess[] = [];
  const dirs = [tempDir('kes-join-a-'), tempDir('kes-join-b-')];

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    for (const app of apps) await app.kill();
    await cluster?.stop();
    for (const d of dirs) d.remove();
  });

  const start = (i: number) =>
    spawnApp({
      brokers: cluster.bootstrap,
      registry: cluster.registryUrl,
      dataDir: dirs[i]!.path,
      instanceId: `join-${i}`,
    });

  const rebalances = async (app: AppProcess) => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('kes_rebalances_total '));
    return Number(line?.split(' ')[1] ?? NaN);
  };

  type Health = { status: string; processors: Record<string, { ready: boolean; partitions: number[] }> };
  const health = async (app: AppProcess): Promise<Health> =>
    (await fetch(`${app.url}/health/ready`)).json() as Promise<Health>;

  describe('an instance joining a running one', () => {
    it('causes one rebalance, splits the tasks, and both serve reads', async () => {
      apps.push(await start(0));
      const [a] = apps as [AppProcess];
      for (let i = 0; i < PRODUCTS; i++) {
        const reply = await fetch(`${a.url}/commands/AddProduct`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ productId: `p-${i}`, name: `Product ${i}`, initialStock: i }),
        });
        expect(reply.status).toBe(200);
      }
      const alone = await health(a);
      const processors = Object.keys(alone.processors);
      expect(processors.length).toBeGreaterThan(10);
      const before = await rebalances(a);
      expect(before).toBeGreaterThanOrEqual(1);

      apps.push(await start(1));
      const b = apps[1]!;
      // Both ready, and every processor's partitions split between them: each task in one place.
      const deadline = Date.now() + 60_000;
      let split = false;
      let both: [Health, Health] = [alone, alone];
      while (!split && Date.now() < deadline) {
        both = [await health(a), await health(b)];
        split =
          both.every((h) => h.status === 'READY') &&
          processors.every((p) => {
            const [pa, pb] = both.map((h) => h.processors[p]?.partitions ?? []);
            const all = [...pa!, ...pb!].sort((x, y) => x - y);
            const count = alone.processors[p]!.partitions.length;
            return pa!.length > 0 && pb!.length > 0 && all.length === count && new Set(all).size === count;
          });
        if (!split) await sleep(200);
      }
      expect(split, JSON.stringify(both)).toBe(true);
      expect((await rebalances(a)) - before).toBe(1);
      expect(await rebalances(b)).toBe(1);

      // Each instance serves every product: its own partitions locally, the others through the owner.
      for (const app of [a, b]) {
        for (let i = 0; i < PRODUCTS; i++) {
          const reply = await fetch(`${app.url}/views/products/p-${i}`);
          expect(reply.status).toBe(200);
          expect(await reply.json()).toMatchObject({ productId: `p-${i}`, available: i });
        }
      }
      // Still the one rebalance after all those reads.
      expect((await rebalances(a)) - before).toBe(1);
    });
  });
}
