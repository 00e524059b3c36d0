/**
 * Exponential backoff: `initialMs` doubled per attempt (0-based), at most `maxMs`. Every retry
 * loop of kes waits this way (start-up, waiting tasks, consumers started again).
 */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
}
