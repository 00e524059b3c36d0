import type { RequestHeader } from '../protocol/requestHeader.js';

/**
 * Fault injection for tests, in the broker rather than in mocks (as franz-go's kfake ControlKey):
 * a rule intercepts the next matching request(s) of one API.
 *
 * - `drop-response`: handle the request, send nothing back (the client times out).
 * - `close-after`: handle the request, then close the connection instead of answering (the
 *   client sees a network error and retries: what a broker crash between append and ack looks like).
 * - `close-before`: close the connection without handling the request.
 * - `delay`: answer after `delayMs`.
 */
export type FaultAction = 'drop-response' | 'close-after' | 'close-before' | 'delay';

export interface FaultRule {
  apiKey: number;
  action: FaultAction;
  /** How many matching requests to intercept; default 1. */
  times?: number;
  delayMs?: number;
  /** Further narrows the match (e.g. a Produce to one topic). */
  match?: (request: unknown, header: RequestHeader) => boolean;
}

export class Faults {
  private rules: (FaultRule & { remaining: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules not yet used up. */
  get pending(): number {
    return this.rules.length;
  }

  /** The rule that applies to this request, consuming one of its uses. */
  take(header: RequestHeader, request: unknown): FaultRule | undefined {
    const rule = this.rules.find(
      (r) => r.apiKey === header.apiKey && r.remaining > 0 && (r.match?.(request, header) ?? true),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}
