/**
 * Record headers of the CloudEvents Kafka binary binding (https://github.com/cloudevents/spec,
 * kafka-protocol-binding): context attributes as `ce_<name>` headers, the data's media type as
 * `content-type`. kes adds the extensions `sequence` (aggregate version), `correlationid` and
 * `causationid` (the command that caused an event) and, on commands, `expectedversion`.
 */
export const CloudEventHeaders = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  contentType: 'content-type',
  sequence: 'ce_sequence',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  expectedVersion: 'ce_expectedversion',
} as const;

export const SPEC_VERSION = '1.0';
export const AVRO_CONTENT_TYPE = 'application/avro';

export interface CloudEventAttributes {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject?: string;
  readonly time: number;
  readonly sequence?: number;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly expectedVersion?: number;
}

/** The headers of a record carrying an Avro-encoded CloudEvent. */
export function cloudEventHeaders(a: CloudEventAttributes): Record<string, string> {
  const H = CloudEventHeaders;
  return {
    [H.specversion]: SPEC_VERSION,
    [H.id]: a.id,
    [H.type]: a.type,
    [H.source]: a.source,
    ...(a.subject !== undefined ? { [H.subject]: a.subject } : {}),
    [H.time]: new Date(a.time).toISOString(),
    [H.contentType]: AVRO_CONTENT_TYPE,
    ...(a.sequence !== undefined ? { [H.sequence]: String(a.sequence) } : {}),
    ...(a.correlationId !== undefined ? { [H.correlationId]: a.correlationId } : {}),
    ...(a.causationId !== undefined ? { [H.causationId]: a.causationId } : {}),
    ...(a.expectedVersion !== undefined ? { [H.expectedVersion]: String(a.expectedVersion) } : {}),
  };
}
