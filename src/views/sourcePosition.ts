/**
 * Where an event was first written, `<topic>:<partition>:<offset>` — the token a command result
 * carries (`position`) and a query's `?after=` waits for. A record re-keyed through a repartition
 * topic carries the position of the event it came from in the `kes.source` header.
 */
export interface SourcePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export const SOURCE_HEADER = 'kes.source';

export function formatPosition(p: SourcePosition): string {
  return `${p.topic}:${p.partition}:${p.offset}`;
}

/** Parses a position token; undefined when malformed. */
export function parsePosition(token: string): SourcePosition | undefined {
  const match = /^(.+):(\d{1,9}):(\d{1,15})$/.exec(token);
  if (!match) return undefined;
  return { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) };
}

/** `<topic>:<partition>`: the source partition a position belongs to. */
export function sourceOf(p: Pick<SourcePosition, 'topic' | 'partition'>): string {
  return `${p.topic}:${p.partition}`;
}
