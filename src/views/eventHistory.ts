import { CloudEventHeaders } from '../commands/cloudEvents.js';
import type { Processor } from '../processor/processor.js';
import { compositeKey, compositeRange } from '../state/compositeKey.js';
import { traceKey } from './traceKey.js';
import { sourcePosition } from './viewProcessor.js';
import { noteApplied } from './viewProgress.js';

/** One event of an aggregate's history as stored: its record, metadata and Avro bytes. */
export interface HistoryEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The record value (Confluent wire format), base64. */
  readonly value: string;
}

const SEQUENCE_DIGITS = 12;
/** A domain's name: the start of its keys, before a `/` no name contains. */
const DOMAIN_NAME = /^[a-z][a-z0-9-]*$/;

function domainStart(domain: string): string {
  if (!DOMAIN_NAME.test(domain)) throw new Error(`${JSON.stringify(domain)} is not a domain name`);
  return `${domain}/`;
}

/**
 * The key of an aggregate's event: the domain, `/`, then the composite key of the aggregate id and
 * the zero-padded sequence (`accounts/A-1\0000000000007`), so an aggregate's events are one scan
 * in order, and the scan of one aggregate lists no other's, whatever its id contains.
 */
export function historyKey(domain: string, aggregateId: string, sequence: number): string {
  return domainStart(domain) + compositeKey(aggregateId, String(sequence).padStart(SEQUENCE_DIGITS, '0'));
}

/** The bounds of the keys of every aggregate of a domain: `<domain>/` up to the next character. */
export function domainRange(domain: string): { gte: string; lt: string } {
  const start = domainStart(domain);
  return { gte: start, lt: `${domain}0` };
}

/** The bounds of the scan listing an aggregate's events, and no other aggregate's. */
export function historyRange(domain: string, aggregateId: string): { gte: string; lt: string } {
  const start = domainStart(domain);
  const { gte, lt } = compositeRange(aggregateId);
  return { gte: start + gte, lt: start + lt };
}

/**
 * The event history (audit log) of every aggregate: each event of the events topics it reads,
 * stored under its aggregate and version, so an aggregate's events are one range read in order.
 * The value keeps the record as written (bytes and headers); it is decoded when read, with the
 * reader's current schema. An event already stored (a replay) is written again unchanged.
 * Beside each event it writes the trace index (traceKey.ts): a key per id the event names.
 */
export function eventHistory(options: { readonly name: string; readonly store: string }): Processor {
  return {
    name: options.name,
    async process(record, context) {
      const store = context.store(options.store);
      await noteApplied(store, sourcePosition(record));
      if (record.value === null) return;
      const H = CloudEventHeaders;
      const sequence = Number(record.headers[H.sequence]);
      const type = record.headers[H.type];
      const aggregateId = record.headers[H.subject] ?? record.key;
      if (!type || !aggregateId || !Number.isSafeInteger(sequence) || sequence < 1) {
        throw new Error('an event without ce_type, ce_subject or ce_sequence');
      }
      const domain = type.split('.')[1]!;
      const entry: HistoryEntry = {
        topic: record.topic,
        partition: record.partition,
        offset: Number(record.offset),
        timestamp: record.timestamp,
        headers: record.headers,
        value: record.value.toString('base64'),
      };
      const key = historyKey(domain, aggregateId, sequence);
      store.put(key, Buffer.from(JSON.stringify(entry)));
      // The trace index: the event under each id it names — its correlation id and, when it is
      // another, its causation id — pointing at its history key (the same partition: one task
      // writes both). An event is read back by the ids that name it, not by its own.
      const pointer = Buffer.from(JSON.stringify(key));
      const correlation = record.headers[H.correlationId];
      const causation = record.headers[H.causationId];
      if (correlation)
        store.put(traceKey(correlation, 'correlation', domain, aggregateId, sequence), pointer);
      if (causation && causation !== correlation) {
        store.put(traceKey(causation, 'causation', domain, aggregateId, sequence), pointer);
      }
    },
  };
}
