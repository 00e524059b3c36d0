/**
 * What one `kes app` costs a cluster, on an empty one (the topology applied, no data):
 *
 * - startup_ms: from spawning `kes app` to its "ready: every task restored" line;
 * - groups: consumer groups on the cluster once it runs (Kafka's ListGroups: the application's,
 *   the processors' reading consumers', the restore, results and views readers', and the
 *   processors' offset groups once they have committed), processors: those of its processors;
 * - connections: its established TCP connections to each broker, and in all (read from `ss`
 *   once it is ready);
 * - join_startup_ms: the same for a second instance joining the first;
 * - rebalances_on_join: how many rebalances of the application's group the first instance took
 *   part in because the second joined, counted once its log has been quiet for 5 s.
 *
 * KES_BENCH_KAFKA picks the cluster (embedded by default; `kafka3` for three real nodes).
 */
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { startBenchStack, stopGracefully } from './support/benchStack.js';
import { connectionsOf } from './support/connectionsOf.js';

const QUIET_MS = 5000;

export async function main(): Promise<Record<string, unknown>> {
  const stack = await startBenchStack('footprint');
  try {
    const { broker, registry } = stack;
    const start = async (i: number) => {
      const started = performance.now();
      const app = await spawnApp({
        brokers: broker.bootstrap,
        registry: registry.url,
        dataDir: path.join(stack.dir, `app-${i}`),
        instanceId: `footprint-${i}`,
      });
      stack.defer(() => stopGracefully(app));
      return { app, ms: Math.round(performance.now() - started) };
    };
    const first = await start(0);
    const assigned = (app: AppProcess) => app.lines.filter((line) => line.msg === 'assigned');
    const processors = new Set(assigned(first.app).map((line) => line.processor)).size;
    const connections = await connectionsOf(first.app.child.pid!, broker.brokers);
    const kafka = new Kafka({
      clientId: 'bench-footprint',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.length;
    await admin.disconnect();

    const rebalances = (app: AppProcess) =>
      app.lines.filter((line) => line.msg === 'application group assigned tasks').length;
    const before = rebalances(first.app);
    const second = await start(1);
    // Rebalances the first instance takes part in may go on after the second is ready: count until quiet.
    let seen = rebalances(first.app);
    for (let quietSince = performance.now(); performance.now() - quietSince < QUIET_MS;) {
      await sleep(250);
      const now = rebalances(first.app);
      if (now !== seen) [seen, quietSince] = [now, performance.now()];
    }
    return {
      broker: broker.label,
      startup_ms: first.ms,
      processors,
      groups,
      connections_per_broker: connections.perBroker,
      connections: connections.total,
      join_startup_ms: second.ms,
      rebalances_on_join: seen - before,
    };
  } finally {
    await stack.close();
  }
}
