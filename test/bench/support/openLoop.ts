/**
 * An open-loop HTTP load generator, run as a process of its own (`tsx openLoop.ts '<json options>'`):
 * it sends requests on a fixed schedule, `rate` a second for `durationS`, whatever the answers do
 * (a closed-loop client slows down with the server and hides its queueing). Each latency is
 * measured from the request's scheduled time, not from when it could be sent, so a client that
 * falls behind its own schedule counts against the server too (no coordinated omission).
 *
 * Prints one JSON line: what was sent and answered, by status, and latency percentiles of every
 * answer whatever its status, and of timeouts (counted at the moment they were given up), in ms.
 */
import { Pool } from 'undici';

export interface OpenLoopOptions {
  readonly url: string;
  readonly path: string;
  readonly rate: number;
  readonly durationS: number;
  /** The JSON body of request i. */
  readonly bodies: {
    readonly template: Record<string, unknown>;
    readonly idField: string;
    readonly ids: number;
    readonly idPrefix: string;
  };
  /** A request unanswered after this long is given up (counted under `timeouts`). */
  readonly timeoutMs: number;
  readonly connections: number;
}

export interface OpenLoopResult {
  readonly offered_cps: number;
  readonly sent: number;
  readonly ok: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /** Answered with 200 per second, from the first send to the last answer. */
  readonly achieved_cps: number;
  /** How far behind its schedule the client sent at worst (its own saturation), ms. */
  readonly max_send_lag_ms: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(options.url, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const total = Math.round(options.rate * options.durationS);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let maxLag = 0;
  const { template, idField, ids, idPrefix } = options.bodies;
  let inFlight = 0;
  let allAnswered: (() => void) | undefined;
  const send = (i: number, scheduled: number) => {
    const body = JSON.stringify({ ...template, [idField]: `${idPrefix}${i % ids}` });
    inFlight++;
    void pool
      .request({
        method: 'POST',
        path: options.path,
        headers: { 'content-type': 'application/json' },
        body,
      })
      .then(async (response) => {
        await response.body.dump();
        const status = String(response.statusCode);
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(performance.now() - scheduled); // every answer, not only the good ones
      })
      .catch((err: { code?: string }) => {
        if (err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
          timeouts++;
          latencies.push(performance.now() - scheduled); // at least this long
        } else errors++;
      })
      .finally(() => {
        if (--inFlight === 0) allAnswered?.();
      });
  };
  const start = performance.now();
  const interval = 1000 / options.rate;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      const scheduled = start + next * interval;
      maxLag = Math.max(maxLag, now - scheduled);
      send(next++, scheduled);
    }
    // Sleep until the next scheduled request (timers wake after 1 ms at best: at higher rates
    // several go out per wake, each timed from its own schedule). Never spin: the client shares
    // the machine with what it measures.
    const wait = start + next * interval - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(1, Math.floor(wait))));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  const elapsedS = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length === 0
      ? NaN
      : round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  const ok = statuses['200'] ?? 0;
  return {
    offered_cps: options.rate,
    sent: total,
    ok,
    statuses,
    errors,
    timeouts,
    achieved_cps: Math.round(ok / Math.max(options.durationS, elapsedS)),
    max_send_lag_ms: round(maxLag),
    p50_ms: at(0.5),
    p90_ms: at(0.9),
    p99_ms: at(0.99),
    max_ms: round(latencies.at(-1) ?? NaN),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await openLoop(JSON.parse(process.argv[2]!) as OpenLoopOptions);
  console.log(JSON.stringify(result));
}
