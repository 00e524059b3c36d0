import type { PartitionLog } from './partitionLog.js';

/**
 * Resolves when any of the partitions is appended to, when `timeoutMs` passes, or when `signal`
 * aborts, whichever comes first: the wait of a long-polling Fetch.
 */
export function awaitAppend(
  partitions: readonly PartitionLog[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  if (timeoutMs <= 0 || signal.aborted || partitions.length === 0) {
    return timeoutMs > 0 && partitions.length === 0 && !signal.aborted
      ? new Promise((resolve) => setTimeout(resolve, timeoutMs))
      : Promise.resolve();
  }
  return new Promise((resolve) => {
    const unsubscribes: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const unsubscribe of unsubscribes) unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal.addEventListener('abort', done);
    for (const partition of partitions) unsubscribes.push(partition.onAppend(done));
  });
}
