import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafkaLogger.js';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, log: kafkaLogCreator(logger)(logLevel.DEBUG) };
}

const entry = (message: string, fields: Record<string, unknown> = {}) => ({
  namespace: 'Connection',
  level: logLevel.ERROR,
  label: 'ERROR',
  log: { timestamp: '', logger: 'kafkajs', message, ...fields },
});

describe('kafkaLogCreator', () => {
  it("keeps KafkaJS's errors as warnings, and its routine CONCURRENT_TRANSACTIONS answers as debug", () => {
    const { lines, log } = capture();
    log(
      entry('Response AddPartitionsToTxn(key: 24, version: 1)', {
        error:
          'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      }),
    );
    log(
      entry('Response AddPartitionsToTxn(key: 24, version: 1)', {
        error: 'Producer attempted an operation with an old epoch.',
      }),
    );
    log(entry('Crash: KafkaJSNumberOfRetriesExceeded'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'Response AddPartitionsToTxn(key: 24, version: 1)'],
      [40, 'Response AddPartitionsToTxn(key: 24, version: 1)'],
      [40, 'Crash: KafkaJSNumberOfRetriesExceeded'],
    ]);
  });
});
