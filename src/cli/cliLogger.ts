import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

const FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/**
 * How the CLI's servers log: KES_LOG_FORMAT (`json` or `pretty`) when set, else pretty lines
 * for a person when stdout is a terminal and JSON lines (one object each, for a log collector)
 * when it is not.
 */
export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTTY = process.stdout.isTTY === true,
): LogFormat {
  const forced = env.KES_LOG_FORMAT;
  if (forced === undefined || forced === '') return stdoutIsTTY ? 'pretty' : 'json';
  if (!(FORMATS as readonly string[]).includes(forced)) {
    throw new Error(`KES_LOG_FORMAT must be one of ${FORMATS.join(', ')}, got ${forced}`);
  }
  return forced as LogFormat;
}

/**
 * The logger of `kes start`, `kes app`, `kes broker` and `kes registry`, at KES_LOG_LEVEL (info).
 * The JSON format is pino's own, unchanged. The pretty one formats each line in this thread
 * and writes it synchronously, as pino writes JSON: the servers end with process.exit, which
 * would drop lines still queued in a worker or an asynchronous stream.
 */
export function cliLogger(name: string, format: LogFormat = logFormat()): Logger {
  const options = { name, level: process.env.KES_LOG_LEVEL ?? 'info' };
  if (format === 'json') return pino(options);
  // Colours when stdout takes them (a terminal, no NO_COLOR): pino-pretty's own default.
  const prettify = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  const stdout = pino.destination({ dest: 1, sync: true });
  return pino(options, { write: (line: string) => void stdout.write(prettify(line)) });
}
