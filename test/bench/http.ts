/**
 * The command path as users drive it: commands over HTTP from an open-loop client at fixed rates,
 * answered once their results are known (POST /commands/DepositMoney, 200 with the events).
 *
 * The production shape on one machine: Kafka (KES_BENCH_KAFKA: the embedded broker, or real
 * nodes), `kes registry` and one `kes app` each in a process of their own, and the load from a
 * fourth (test/bench/support/openLoop.ts). Deposits are spread over 200 accounts opened first.
 *
 * - ready_s: from spawning `kes app` on the empty cluster (no topics, no schemas) to its readiness
 *   (the brokers keep their default initial rebalance delay of 3 s, as users run them);
 * - connections: its TCP connections to the brokers, once ready;
 * - steps: each offered rate for --step-s seconds (default 15), rising until one is not sustained;
 *   a rate is sustained when every request is answered 200 and p99 ≤ 250 ms;
 * - max_sustained_cps: the highest sustained rate;
 * - p50_ms_500 / p99_ms_500, p50_ms_2000 / p99_ms_2000: latency at 500/s and 2,000/s (measured
 *   from each request's scheduled time);
 * - app_cpu_pct, broker_cpu_pct per step: CPU time of the app, of the brokers (all nodes), over
 *   the step's wall time (100 = one core);
 * - txn_per_command per step: transactions committed (kes_chunks_written_total, every processor)
 *   per command answered.
 *
 * Options: --step-s <n>; --rates 500,1000,… (the ladder); --profile <dir> (the app runs with
 * --cpu-prof and writes its profile there when it stops); --processors a,b (run only these
 * processors, e.g. `accounts-commands` alone: what the hops after it cost).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { request } from 'undici';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { spawnRegistry } from '../support/registryProcess.js';
import { tempDir } from '../support/tempDir.js';
import { startBenchKafka } from './support/benchKafka.js';
import { stopGracefully } from './support/benchStack.js';
import { connectionsOf } from './support/connectionsOf.js';
import type { OpenLoopOptions, OpenLoopResult } from './support/openLoop.js';

const ACCOUNTS = 200;
const DEFAULT_RATES = [250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10_000];
const P99_LIMIT_MS = 250;
const openLoopScript = path.join(import.meta.dirname, 'support/openLoop.ts');

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const stepS = Number(option('--step-s') ?? 15);
  const rates = option('--rates')?.split(',').map(Number) ?? DEFAULT_RATES;
  const profileDir = option('--profile');
  const only = option('--processors');
  const dir = tempDir('kes-bench-http-');
  const undo: (() => Promise<unknown>)[] = [async () => dir.remove()];
  try {
    const kafka = await startBenchKafka(dir.path, { groupDelay: true });
    undo.push(() => kafka.stop());
    const registry = await spawnRegistry(kafka.bootstrap);
    undo.push(() => registry.kill('SIGTERM'));

    const spawned = performance.now();
    const app = await withChildNodeArgs(profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : '', () =>
      spawnApp({
        brokers: kafka.bootstrap,
        registry: registry.url,
        dataDir: path.join(dir.path, 'app'),
        instanceId: 'bench-http',
        ...(only ? { args: ['--processors', only] } : {}),
      }).catch((err: Error) => {
        throw new Error(`kes app did not start: ${err.message}`);
      }),
    );
    undo.push(() => stopGracefully(app));
    await untilReady(app.url);
    const readyS = round((performance.now() - spawned) / 1000, 2);
    const connections = await connectionsOf(app.child.pid!, kafka.brokers);

    await openAccounts(app.url);
    await load(app, kafka.pids(), 200, 5); // warm-up: connections, JIT, first transactions
    const steps: Awaited<ReturnType<typeof load>>[] = [];
    for (const rate of rates) {
      const step = await load(app, kafka.pids(), rate, stepS);
      steps.push(step);
      console.error(JSON.stringify(step));
      if (!step.sustained) break;
    }
    const at = async (rate: number) => {
      const seen = steps.find((s) => s.offered_cps === rate);
      if (seen) return seen;
      const step = await load(app, kafka.pids(), rate, stepS);
      console.error(JSON.stringify(step));
      return step;
    };
    const at500 = await at(500);
    const at2000 = await at(2000);
    return {
      broker: kafka.label,
      ...(only ? { processors: only } : {}),
      max_sustained_cps: Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.offered_cps)),
      p50_ms_500: at500.p50_ms,
      p99_ms_500: at500.p99_ms,
      p50_ms_2000: at2000.p50_ms,
      p99_ms_2000: at2000.p99_ms,
      ready_s: readyS,
      connections: connections.total,
      connections_per_broker: connections.perBroker,
      step_s: stepS,
      steps: steps.map((s) => ({
        offered: s.offered_cps,
        achieved: s.achieved_cps,
        p50: s.p50_ms,
        p99: s.p99_ms,
        app_cpu_pct: s.app_cpu_pct,
        broker_cpu_pct: s.broker_cpu_pct,
        txn_per_command: s.txn_per_command,
        sustained: s.sustained,
        ...(s.ok === s.sent ? {} : { statuses: s.statuses, errors: s.errors, timeouts: s.timeouts }),
      })),
    };
  } finally {
    for (const step of undo.reverse())
      await step().catch((err: Error) => console.error(`cleanup: ${err.message}`));
  }
}

/** One step: the open-loop client at `rate` for `seconds`, after the app has caught up. */
async function load(app: AppProcess, brokerPids: readonly number[], rate: number, seconds: number) {
  await untilIdle(app.url);
  const options: OpenLoopOptions = {
    url: app.url,
    path: '/commands/DepositMoney',
    rate,
    durationS: seconds,
    bodies: { template: { amount: 1 }, idField: 'accountId', ids: ACCOUNTS, idPrefix: 'bench-' },
    timeoutMs: 15_000,
    connections: Math.min(1024, Math.max(64, rate / 4)),
  };
  const chunksBefore = await chunksWritten(app.url);
  const cpuBefore = cpuMs(app.child.pid!);
  const brokerCpuBefore = brokerPids.map(cpuMs);
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', openLoopScript, JSON.stringify(options)],
    { maxBuffer: 1 << 20 },
  );
  const wall = performance.now() - started;
  const appCpuPct = Math.round(((cpuMs(app.child.pid!) - cpuBefore) / wall) * 100);
  const brokerCpuPct = Math.round(
    (brokerPids.reduce((sum, pid, i) => sum + cpuMs(pid) - brokerCpuBefore[i]!, 0) / wall) * 100,
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as OpenLoopResult;
  const chunks = (await chunksWritten(app.url)) - chunksBefore;
  return {
    // Transactions (chunks written) per command answered, over every processor: the hops' cost.
    broker_cpu_pct: brokerCpuPct,
    txn_per_command: Math.round((chunks / Math.max(1, result.ok)) * 100) / 100,
    ...result,
    sustained: result.ok === result.sent && result.p99_ms <= P99_LIMIT_MS,
    app_cpu_pct: appCpuPct,
  };
}

async function openAccounts(url: string): Promise<void> {
  for (let i = 0; i < ACCOUNTS; i++) {
    const answer = await request(`${url}/commands/OpenAccount`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `open-bench-${i}` },
      body: JSON.stringify({
        accountId: `bench-${i}`,
        ownerId: 'bench',
        initialDeposit: 0,
        overdraftLimit: 0,
      }),
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`OpenAccount bench-${i}: ${answer.statusCode} ${text}`);
  }
}

/** Waits until /health/ready answers 200. */
async function untilReady(url: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(50)) {
    const answer = await request(`${url}/health/ready`).catch(() => undefined);
    await answer?.body.dump();
    if (answer?.statusCode === 200) return;
  }
  throw new Error('kes app not ready within 120 s');
}

/** Waits until a deposit is answered within 100 ms (what an earlier step left queued is done). */
async function untilIdle(url: string): Promise<void> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(200)) {
    const started = performance.now();
    const answer = await request(`${url}/commands/DepositMoney`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: 'bench-0', amount: 1 }),
    });
    await answer.body.dump();
    if (answer.statusCode === 200 && performance.now() - started < 100) return;
  }
  throw new Error('kes app still busy 180 s after the step');
}

/** kes_chunks_written_total over every processor: transactions so far, under exactly once. */
async function chunksWritten(url: string): Promise<number> {
  const answer = await request(`${url}/metrics`);
  let total = 0;
  for (const line of (await answer.body.text()).split('\n')) {
    if (line.startsWith('kes_chunks_written_total{')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** User + system CPU time of a process so far, ms (/proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs `spawn` with KES_CHILD_NODE_ARGS set (the children it starts get these node flags). */
async function withChildNodeArgs<T>(nodeArgs: string, spawn: () => Promise<T>): Promise<T> {
  const before = process.env.KES_CHILD_NODE_ARGS;
  process.env.KES_CHILD_NODE_ARGS = nodeArgs;
  try {
    return await spawn();
  } finally {
    if (before === undefined) delete process.env.KES_CHILD_NODE_ARGS;
    else process.env.KES_CHILD_NODE_ARGS = before;
  }
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
