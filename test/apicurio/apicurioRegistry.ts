import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APICURIO_VERSION, apicurioApp, apicurioJava } from './apicurioHome.js';

export interface ApicurioRegistry {
  readonly version: string;
  /** Its Confluent-compatible API, as clients take a registry URL: http://127.0.0.1:<port>/apis/ccompat/v7. */
  readonly url: string;
  /** How long it took from spawning the JVM to answering GET /subjects. */
  readonly startupMs: number;
  /** The JVM's output, for a failure message. */
  readonly logFile: string;
  /** SIGTERM (Quarkus shuts down gracefully), SIGKILL after a grace period; removes its folder. */
  stop(): Promise<void>;
}

/** Every JVM started here, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the pinned Apicurio Registry (fetched from Maven Central if needed) as a child JVM on free
 * loopback ports, with its default in-memory H2 storage and a small heap, and resolves once its
 * Confluent-compatible API lists subjects. Fails, saying why, when it cannot be had.
 */
export async function startApicurio(
  options: { heapMb?: number; startTimeoutMs?: number } = {},
): Promise<ApicurioRegistry> {
  const app = apicurioApp();
  const java = apicurioJava();
  const [port, managementPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-apicurio-'));
  const logFile = path.join(dir, 'apicurio.log');
  const log = fs.openSync(logFile, 'w');
  const started = Date.now();
  const child = spawn(
    java,
    [
      `-Xmx${options.heapMb ?? 384}m`,
      '-XX:+UseSerialGC',
      // C1 only: the JVM starts faster, and a test's few hundred requests never need C2.
      '-XX:TieredStopAtLevel=1',
      `-Dquarkus.http.port=${port}`,
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.management.port=${managementPort}`,
      '-Dquarkus.management.host=127.0.0.1',
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=h2',
      // One line per request is noise here; warnings and errors stay in the log.
      '-Dquarkus.http.access-log.enabled=false',
      '-Dquarkus.log.level=WARN',
      `-Djava.io.tmpdir=${dir}`,
      '-jar',
      path.join(app, 'quarkus-run.jar'),
    ],
    { cwd: dir, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  const deadline = started + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = fs.readFileSync(logFile, 'utf8').slice(-4000);
      await stop();
      throw new Error(`Apicurio Registry ${APICURIO_VERSION} exited before serving:\n${output}`);
    }
    const answer = await fetch(`${url}/subjects`).catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) {
      const output = fs.readFileSync(logFile, 'utf8').slice(-4000);
      await stop();
      throw new Error(
        `Apicurio Registry ${APICURIO_VERSION} did not answer ${url}/subjects in time:\n${output}`,
      );
    }
    await sleep(250); // polling a port that is not open yet
  }
  return { version: APICURIO_VERSION, url, startupMs: Date.now() - started, logFile, stop };
}
