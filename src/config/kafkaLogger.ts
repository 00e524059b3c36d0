// First: KafkaJS must be loaded after kes's fixes to it are in place.
import '../kafka/kafkaJsFixes.js';
import { type logCreator, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Routes KafkaJS's log lines to pino. KafkaJS reports routine group and connection events at
 * info, which are debug detail for the registry; its errors are often retried, so they are warnings.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      // KafkaJS warns of bounded retries on every idempotent producer; kes bounds them on purpose
      // (a transaction that gives up is aborted and its task starts again).
      if (message.startsWith('Limiting retries for the idempotent producer')) child.debug(fields, message);
      // Kafka answers CONCURRENT_TRANSACTIONS until the previous transaction's markers are
      // written, routinely, and kes asks again within milliseconds (concurrentTransactionsRetry.ts).
      else if (isConcurrentTransactionsAnswer(message, fields)) child.debug(fields, message);
      else if (level === logLevel.ERROR || level === logLevel.WARN) child.warn(fields, message);
      else if (level === logLevel.INFO) child.debug(fields, message);
      else child.trace(fields, message);
    };
}

function isConcurrentTransactionsAnswer(message: string, fields: Record<string, unknown>): boolean {
  return (
    (message.startsWith('Response AddPartitionsToTxn') || message.startsWith('Response AddOffsetsToTxn')) &&
    typeof fields.error === 'string' &&
    fields.error.includes('another concurrent operation on the same transaction')
  );
}
