import { createRequire, Module } from 'node:module';
import { installConcurrentTransactionsRetry } from './concurrentTransactionsRetry.js';
import { filterAbortedMessages } from './filterAbortedMessages.js';

/**
 * Fixes to KafkaJS 2.2.4 that kes installs in the running process, so they hold wherever kes
 * runs, as its own CLI or as a library (no patched files in node_modules: npm does not run a
 * dependency's install scripts, and a library's users would never get them).
 *
 * Two fixes. CONCURRENT_TRANSACTIONS asked again within 2–50 ms (concurrentTransactionsRetry.ts:
 * a patch of KafkaJS's Broker class, which holds whenever it is installed).
 *
 * And read_committed filtering (filterAbortedMessages.ts). KafkaJS's
 * `src/consumer/batch.js` takes `require('./filterAbortedMessages')` once, when it is first
 * loaded, and KafkaJS loads it with its main module. So this module puts kes's function in Node's
 * CommonJS cache under that file's name before anything loads KafkaJS: batch.js is then handed
 * ours. It must be evaluated first, hence imported first by every entry point (the CLI, the test
 * setup, the benchmarks) and by every kes module that loads KafkaJS; it loads nothing of KafkaJS
 * until the filter is in place (then the broker client, for the other fix). Once batch.js is loaded with KafkaJS's own filter nothing can be done, and
 * assertKafkaJsFixes, called where kes makes its clients, says so.
 */

const require = createRequire(import.meta.url);

/** Marks the cache entry as kes's across module instances (vitest evaluates this file per test file). */
const KES_FIX = Symbol.for('kes.kafkaJsFixes.filterAbortedMessages');

function kafkaJsFile(name: string): string {
  try {
    return require.resolve(`kafkajs/src/consumer/${name}`);
  } catch (err) {
    throw new Error(`kes fixes KafkaJS 2.2.4's ${name}, which this KafkaJS does not have`, { cause: err });
  }
}

const isKes = (entry: NodeJS.Module | undefined): boolean =>
  typeof entry?.exports === 'function' && (entry.exports as { [KES_FIX]?: boolean })[KES_FIX] === true;

/**
 * Installs both fixes. Returns false when it is too late for the filter: batch.js is loaded
 * already and holds KafkaJS's own.
 */
export function installKafkaJsFixes(): boolean {
  const installed = installAbortedFilter();
  // After the filter: this loads part of KafkaJS (its broker client, not batch.js).
  installConcurrentTransactionsRetry();
  return installed;
}

/** Puts kes's filter where KafkaJS's batch.js will look for its own. */
function installAbortedFilter(): boolean {
  const filterFile = kafkaJsFile('filterAbortedMessages.js');
  if (isKes(require.cache[filterFile])) return true;
  if (require.cache[kafkaJsFile('batch.js')]) return false;
  const entry = new Module(filterFile);
  entry.filename = filterFile;
  entry.exports = Object.assign(
    (partition: Parameters<typeof filterAbortedMessages>[0]) => filterAbortedMessages(partition),
    { [KES_FIX]: true },
  );
  entry.loaded = true;
  require.cache[filterFile] = entry;
  return true;
}

/**
 * Throws unless the KafkaJS kes uses filters aborted records with kes's function: its batch.js
 * must have been handed kes's filter when it was loaded. Called where kes creates Kafka clients,
 * so a process that loaded KafkaJS before kes fails at once rather than deliver aborted records.
 */
export function assertKafkaJsFixes(): void {
  const filterFile = kafkaJsFile('filterAbortedMessages.js');
  const batch = require.cache[kafkaJsFile('batch.js')];
  if (!batch) {
    throw new Error(
      "kes cannot find KafkaJS's consumer in Node's module cache, so it cannot tell whether its " +
        'read_committed fix is in place; load KafkaJS through Node (not a bundle), after kes',
    );
  }
  // A module required from the cache is still added to its parent's children.
  const used = batch.children.find((child) => child.filename === filterFile);
  if (!isKes(used)) {
    throw new Error(
      'KafkaJS was loaded before kes could fix its read_committed filter (KafkaJS 2.2.4 would deliver ' +
        'records of aborted transactions on Apache Kafka): import kes before kafkajs (see docs/kafkajs.md)',
    );
  }
}

installKafkaJsFixes();
