/**
 * Key lookups over the HTTP API, GET /views/products/{productId}, under load from autocannon
 * (in this process, the paths cycling over the keys), against a Fastify route answering a
 * constant on the same machine:
 *
 * - single_*: one `kes app`; every key is local.
 * - local_*: instance A of three, only keys of the partitions A owns (read from its own store).
 *   The three-instance run is the one reported as local, so that local and routed are measured
 *   with the same processes running; single_* is the same lookup with one instance.
 * - routed_*: instance A of three, only keys the two others own (A reads them over HTTP).
 * - baseline_*: GET /constant/{id} of a Fastify server in its own process, answering a product
 *   row as it came from the view; measured while the three instances run, as local_* is.
 * - ratio_local = local_rps / baseline_rps (aim ≥ 0.5); aim for routed_p99_ms < 20.
 *
 * The broker (`kes broker`), each instance and the baseline server are processes of their own;
 * the registry (idle once the instances have the schemas) runs here. Every measured run follows
 * a warm-up of 2 s with the same settings. Latencies are computed here from every response's
 * time, as autocannon's own histogram keeps whole milliseconds. `errors` and `non2xx` add up the
 * measured runs (warm-ups included) and must be 0. A routed lookup wakes two processes, so other
 * work on the machine weighs on it most: `cpus` and `load_avg_1m` (at the start) tell how busy it
 * was. Should a rebalance move partitions during the runs, the bench fails rather than mix local
 * and routed lookups.
 *
 * Options: --connections <n> (default 10), --duration <s> per measured run (default 10),
 * --keys <n> products (default 1000).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { partitionForKey } from '../../src/processor/partitioner.js';
import { PARTITIONS } from '../../topology/index.js';
import { type AppProcess, spawnApp } from '../support/appProcess.js';
import { spawnScript } from '../support/spawnScript.js';
import { startBenchStack, stopGracefully } from './support/benchStack.js';

const WARMUP_S = 2;
const CREATE_PARALLEL = 50;
const VIEW = 'products-view';
const constantServer = path.join(import.meta.dirname, 'support/constantServer.ts');

interface Load {
  readonly connections: number;
  readonly duration: number;
}

interface Run {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
}

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] || 0) || fallback;
  const load: Load = { connections: option('--connections', 10), duration: option('--duration', 10) };
  const keys = option('--keys', 1000);
  const stage = async <T>(name: string, run: () => Promise<T>) => {
    const started = performance.now();
    const result = await run();
    console.error(`${name}: ${JSON.stringify(result)} in ${Math.round(performance.now() - started)} ms`);
    return result;
  };
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const stack = await startBenchStack('queries');
  try {
    const { broker, registry } = stack;
    const startApp = async (i: number) => {
      const app = await spawnApp({
        brokers: broker.bootstrap,
        registry: registry.url,
        dataDir: path.join(stack.dir, `app-${i}`),
        instanceId: `bench-${i}`,
      });
      stack.defer(() => stopGracefully(app));
      return app;
    };

    const a = await startApp(0);
    console.error(`instance A: ${a.url}`);
    const ids = Array.from({ length: keys }, (_, i) => `p-${i}`);
    await stage('products', () => createProducts(a, ids));
    const single = await stage('one instance', () => measure(a, ids.map(viewPath), load));

    const apps = [a, ...(await Promise.all([1, 2].map(startApp)))];
    const owned = await stage('partitions spread', () => spreadPartitions(apps.map((app) => app.url)));
    const ownedByA = new Set(owned[0]);
    const local = ids.filter((id) => ownedByA.has(partitionForKey(id, PARTITIONS)));
    const remote = ids.filter((id) => !ownedByA.has(partitionForKey(id, PARTITIONS)));
    const localRun = await stage(`three instances, ${local.length} local keys`, () =>
      measure(a, local.map(viewPath), load),
    );
    const routedRun = await stage(`three instances, ${remote.length} routed keys`, () =>
      measure(a, remote.map(viewPath), load),
    );
    // Had a rebalance moved partitions during the runs, local and routed would be mixed.
    const after = await readyPartitions(apps.map((app) => app.url));
    if (JSON.stringify(after) !== JSON.stringify(owned)) {
      throw new Error(
        `partitions moved during the runs: ${JSON.stringify(owned)} → ${JSON.stringify(after)}`,
      );
    }

    const row = await getJson(`${a.url}${viewPath(ids[0]!)}`);
    const server = spawnScript(constantServer, [JSON.stringify(row)]);
    stack.defer(() => stopGracefully(server));
    const { url: baselineUrl } = (await server.waitForLine((line) => typeof line.url === 'string')) as {
      url: string;
    };
    const baseline = await stage('baseline', () =>
      measure(
        { url: baselineUrl },
        ids.map((id) => `/constant/${id}`),
        load,
      ),
    );

    const runs = [single, localRun, routedRun, baseline];
    return {
      broker: broker.label,
      connections: load.connections,
      duration_s: load.duration,
      warmup_s: WARMUP_S,
      keys,
      local_keys: local.length,
      routed_keys: remote.length,
      local_rps: localRun.rps,
      local_p50_ms: localRun.p50_ms,
      local_p99_ms: localRun.p99_ms,
      routed_rps: routedRun.rps,
      routed_p50_ms: routedRun.p50_ms,
      routed_p99_ms: routedRun.p99_ms,
      single_rps: single.rps,
      single_p50_ms: single.p50_ms,
      single_p99_ms: single.p99_ms,
      baseline_rps: baseline.rps,
      baseline_p50_ms: baseline.p50_ms,
      baseline_p99_ms: baseline.p99_ms,
      ratio_local: Math.round((localRun.rps / baseline.rps) * 100) / 100,
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      cpus: os.availableParallelism(),
      load_avg_1m: loadAtStart,
    };
  } finally {
    await stack.close();
  }
}

const viewPath = (id: string) => `/views/products/${encodeURIComponent(id)}`;

async function getJson(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** AddProduct for every id, CREATE_PARALLEL at a time, each read back with `after` its position. */
async function createProducts(app: AppProcess, ids: readonly string[]): Promise<{ created: number }> {
  for (let at = 0; at < ids.length; at += CREATE_PARALLEL) {
    await Promise.all(
      ids.slice(at, at + CREATE_PARALLEL).map(async (productId, i) => {
        const { position } = await getJson(`${app.url}/commands/AddProduct`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ productId, name: `Product ${at + i}`, initialStock: 100 }),
        });
        await getJson(`${app.url}${viewPath(productId)}?after=${encodeURIComponent(String(position))}`);
      }),
    );
  }
  return { created: ids.length };
}

/** Each instance's partitions of the products view, or undefined while one is not ready. */
async function readyPartitions(urls: readonly string[]): Promise<number[][] | undefined> {
  const answers = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(`${url}/health/ready`);
      const body = (await response.json()) as { processors: Record<string, { partitions: number[] }> };
      return response.ok ? [...(body.processors[VIEW]?.partitions ?? [])].sort((x, y) => x - y) : undefined;
    }),
  );
  return answers.every((a) => a !== undefined) ? answers : undefined;
}

/**
 * Waits until every instance is ready, owns some partitions of the view, and together they own
 * each partition once — the same for two polls in a row (no rebalance under way).
 */
async function spreadPartitions(urls: readonly string[]): Promise<number[][]> {
  const deadline = Date.now() + 120_000;
  let previous = '';
  for (;;) {
    const owned = await readyPartitions(urls);
    const all = owned?.flat().sort((x, y) => x - y);
    const spread =
      owned?.every((p) => p.length > 0) &&
      JSON.stringify(all) === JSON.stringify(Array.from({ length: PARTITIONS }, (_, p) => p));
    if (spread && JSON.stringify(owned) === previous) return owned!;
    previous = spread ? JSON.stringify(owned) : '';
    if (Date.now() > deadline) throw new Error(`partitions not spread: ${JSON.stringify(owned)}`);
    await sleep(1000);
  }
}

/** A warm-up, then a measured run: requests/s (autocannon's mean per second), latency percentiles. */
async function measure(target: { url: string }, paths: readonly string[], load: Load): Promise<Run> {
  const requests = paths.map((p) => ({ method: 'GET' as const, path: p }));
  const warmup = await fire({ url: target.url, connections: load.connections, duration: WARMUP_S, requests });
  const latencies: number[] = [];
  const result = await fire(
    { url: target.url, connections: load.connections, duration: load.duration, requests },
    (ms) => latencies.push(ms),
  );
  latencies.sort((x, y) => x - y);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 100) / 100;
  return {
    rps: Math.round(result.requests.average),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    errors: warmup.errors + result.errors,
    non2xx: warmup.non2xx + result.non2xx,
  };
}

function fire(options: autocannon.Options, onLatency?: (ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result) => (err ? reject(err) : resolve(result)));
    if (onLatency) instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
  });
}
