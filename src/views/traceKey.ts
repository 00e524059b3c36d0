import { compositeKey, compositeRange, decodeCompositeKey } from '../state/compositeKey.js';

/**
 * How an event names an id: as its causation id (the command that appended it) or only as its
 * correlation id (the flow it is part of: the command that started it).
 */
export type TraceMatch = 'correlation' | 'causation';

/**
 * Where the trace index keys of the event history start: `#` is neither a domain name's first
 * character (the history's `<domain>/…` keys) nor U+0000 (a task's own keys, its progress), so
 * the index shares the store without meeting either.
 */
export const TRACE_KEY_START = '#';

const SEQUENCE_DIGITS = 12;

/**
 * The trace index key of an event found by `id`: `#`, then the composite key of the id, how it
 * matches, the domain, the aggregate id and the zero-padded sequence. One scan of the id
 * (`traceRange`) lists every event it names, and no other id's, whatever the ids contain.
 */
export function traceKey(
  id: string,
  match: TraceMatch,
  domain: string,
  aggregateId: string,
  sequence: number,
): string {
  const padded = String(sequence).padStart(SEQUENCE_DIGITS, '0');
  return TRACE_KEY_START + compositeKey(id, match, domain, aggregateId, padded);
}

/** The bounds of the scan listing the index keys of one id, and of no other. */
export function traceRange(id: string): { gte: string; lt: string } {
  const { gte, lt } = compositeRange(id);
  return { gte: TRACE_KEY_START + gte, lt: TRACE_KEY_START + lt };
}

/** The parts of a trace index key. */
export interface TraceKeyParts {
  readonly id: string;
  readonly match: TraceMatch;
  readonly domain: string;
  readonly aggregateId: string;
  readonly sequence: number;
}

const MATCHES: readonly string[] = ['correlation', 'causation'] satisfies TraceMatch[];

/** The parts of a key `traceKey` wrote; throws for any other key. */
export function parseTraceKey(key: string): TraceKeyParts {
  const parts = key.startsWith(TRACE_KEY_START) ? decodeCompositeKey(key.slice(1)) : [];
  const [id, match, domain, aggregateId, sequence] = parts;
  if (parts.length !== 5 || !MATCHES.includes(match!) || !/^\d+$/.test(sequence!)) {
    throw new Error(`not a trace key: ${JSON.stringify(key)}`);
  }
  return {
    id: id!,
    match: match as TraceMatch,
    domain: domain!,
    aggregateId: aggregateId!,
    sequence: Number(sequence),
  };
}
