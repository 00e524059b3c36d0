import type { Logger } from 'pino';
import type { AppHandle } from '../app/startApp.js';
import { untilSignal } from './options.js';

/** How long a graceful stop may take (after the drain) before the process exits anyway. */
const STOP_TIMEOUT_MS = 60_000;

/** What a command hands startApp so that a signal or a task waiting too long stops the instance. */
export interface RunControls {
  readonly signal: AbortSignal;
  readonly onFatal: (err: Error) => void;
}

/**
 * Runs an instance until SIGTERM or SIGINT — during start-up too, while it waits for the broker
 * or the registry — or until a task has waited too long for a failure to pass (fail fast: it
 * exits with status 1, and a supervisor starts it again; nothing was skipped). A stop that hangs
 * is cut short after STOP_TIMEOUT_MS. `afterClose` releases what the command started besides.
 */
export async function runApp(
  logger: Logger,
  start: (controls: RunControls) => Promise<AppHandle>,
  options: {
    readonly drainMs?: number;
    readonly afterClose?: () => Promise<void>;
    /** Says the instance is ready (default: "ready: every task restored", with its URL). */
    readonly onReady?: (app: AppHandle) => void;
  } = {},
): Promise<void> {
  const stopping = untilSignal();
  const aborted = new AbortController();
  // From the first signal (or a task waiting too long) on, the stop is bounded, in every phase.
  const bound = () =>
    setTimeout(
      () => {
        logger.error(
          { left: process.getActiveResourcesInfo() },
          `the stop did not finish within ${STOP_TIMEOUT_MS} ms; exiting`,
        );
        process.exit(1);
      },
      STOP_TIMEOUT_MS + (options.drainMs ?? 0),
    ).unref();
  void stopping.then(() => {
    aborted.abort();
    bound();
  });
  let failed: (err: Error) => void = () => undefined;
  const fatal = new Promise<Error>((resolve) => (failed = resolve));
  let app: AppHandle;
  try {
    app = await start({ signal: aborted.signal, onFatal: (err) => failed(err) });
  } catch (err) {
    if (!aborted.signal.aborted) throw err;
    logger.info('stopped while starting');
    await options.afterClose?.();
    // An attempt cut short (a connection KafkaJS still retries) must not hold the process.
    process.exit(process.exitCode ?? 0);
  }
  const onReady =
    options.onReady ?? ((ready) => logger.info({ url: ready.url }, 'ready: every task restored'));
  void app.streams.whenReady(5 * 60_000).then(
    () => onReady(app),
    (err: unknown) => logger.warn({ err }, 'not ready yet'),
  );
  const outcome = await Promise.race([stopping, fatal]);
  if (outcome instanceof Error) {
    logger.fatal({ err: outcome }, 'a task waited too long; the instance exits');
    process.exitCode = 1;
    bound();
  } else logger.info({ signal: outcome }, 'shutting down');
  await app.close();
  await options.afterClose?.();
  // Everything is closed: transactions finished, groups left, stores closed. A Kafka client may
  // still be retrying a connection it was asked to drop (KafkaJS lets such retries run out), which
  // would hold the process for minutes after a broker was lost: it exits now.
  const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
  if (left.length > 0) logger.debug({ left }, 'resources left after the stop');
  process.exit(process.exitCode ?? 0);
}
