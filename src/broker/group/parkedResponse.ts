/**
 * The answer to a request the coordinator holds (a JoinGroup until the rebalance completes, a
 * SyncGroup until the leader's assignment arrives). If the client's connection closes first,
 * `onAbandoned` runs with the same function, so the coordinator can tell which wait was given
 * up. Delivering the answer stops listening for the close.
 */
export function parkedResponse<T>(
  resolve: (result: T) => void,
  signal: AbortSignal | undefined,
  onAbandoned: (deliver: (result: T) => void) => void,
): (result: T) => void {
  const abandoned = () => onAbandoned(deliver);
  const deliver = (result: T) => {
    signal?.removeEventListener('abort', abandoned);
    resolve(result);
  };
  signal?.addEventListener('abort', abandoned, { once: true });
  return deliver;
}
