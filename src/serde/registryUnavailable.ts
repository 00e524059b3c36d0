import { errorCauses } from '../errors/errorCauses.js';
import { RegistryHttpError } from './registryHttp.js';

/**
 * Whether an error of the schema registry client (@kafkajs/confluent-schema-registry) means the
 * registry could not be asked right now: nothing answered (the client reports a refused or reset
 * connection, a timeout, an unknown host, as "status 400" with the socket's error code), or it
 * answered 408, 429 or 5xx. Such a failure passes; a registry that answers 4xx (an unknown schema
 * id, an incompatible schema) has said something about the request, and that stays true. The
 * same for kes's own registry calls (RegistryHttp).
 */
export function isRegistryUnavailable(err: unknown): boolean {
  for (const cause of errorCauses(err)) {
    if (cause instanceof RegistryHttpError) return cause.unavailable;
    const { name, status, message } = cause;
    if (name !== 'ResponseError' || typeof status !== 'number') continue;
    if (status >= 500 || status === 408 || status === 429) return true;
    if (typeof message === 'string' && NO_ANSWER.test(message)) return true;
  }
  return false;
}

/**
 * How the client words a request that got no HTTP answer at all: "status 400" and the socket's
 * error, or nothing after the status (a host name with several addresses, each refused, fails with
 * an AggregateError whose message is empty).
 */
const NO_ANSWER =
  /status 400$|status \d+: (?:(?:(?:connect|read|write|getaddrinfo) )?E[A-Z]{3,}|socket hang up|.*timeout)/i;
