/**
 * Whether an error of the schema registry client (@kafkajs/confluent-schema-registry) means the
 * registry could not be asked right now: nothing answered (the client reports a refused or reset
 * connection, a timeout, an unknown host, as "status 400" with the socket's error code), or it
 * answered 408, 429 or 5xx. Such a failure passes; a registry that answers 4xx (an unknown schema
 * id, an incompatible schema) has said something about the request, and that stays true.
 */
export function isRegistryUnavailable(err: unknown): boolean {
  for (let at = err, depth = 0; at && typeof at === 'object' && depth < 10; depth++) {
    const { name, status, message } = at as { name?: unknown; status?: unknown; message?: unknown };
    if (name === 'ResponseError' && typeof status === 'number') {
      if (status >= 500 || status === 408 || status === 429) return true;
      if (typeof message === 'string' && NO_ANSWER.test(message)) return true;
    }
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

/** How the client words a request that got no HTTP answer at all. */
const NO_ANSWER = /status \d+: (?:(?:connect|read|write|getaddrinfo) )?E[A-Z]{3,}|socket hang up|timeout/i;
