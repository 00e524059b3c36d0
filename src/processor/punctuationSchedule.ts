import type { Punctuator } from './processor.js';

/**
 * When each punctuator of one task runs next, in wall-clock milliseconds. A task makes one when it
 * starts Running, so every punctuator first runs `intervalMs` after the task starts (as in Kafka
 * Streams); a punctuation that was late is not made up for: the next one comes `intervalMs`
 * after the late one started.
 */
export class PunctuationSchedule {
  private readonly next: number[];
  /** After a failure that may pass: no punctuation before this time. */
  private heldUntil = 0;

  constructor(
    private readonly punctuators: readonly Punctuator[],
    start: number,
  ) {
    checkPunctuators(punctuators);
    this.next = punctuators.map((p) => start + p.intervalMs);
  }

  /** The punctuator due at `now` (the one due the longest), unless held. */
  due(now: number): Punctuator | undefined {
    if (now < this.heldUntil) return undefined;
    let due: number | undefined;
    this.next.forEach((at, i) => {
      if (at <= now && (due === undefined || at < this.next[due]!)) due = i;
    });
    return due === undefined ? undefined : this.punctuators[due];
  }

  /** `punctuator` ran, started at `now`: next after its interval, or at once if it has more to do. */
  ran(punctuator: Punctuator, now: number, more: boolean): void {
    const i = this.punctuators.indexOf(punctuator);
    if (i < 0) throw new Error(`punctuator ${punctuator.name} is not in this schedule`);
    this.next[i] = more ? now : now + punctuator.intervalMs;
    this.heldUntil = 0;
  }

  /** A punctuation failed in a way that may pass: none runs before `until` (the task's backoff). */
  holdUntil(until: number): void {
    this.heldUntil = until;
  }
}

/** Throws unless every punctuator has a positive, finite interval. */
export function checkPunctuators(punctuators: readonly Punctuator[]): void {
  for (const p of punctuators) {
    if (!(p.intervalMs > 0) || !Number.isFinite(p.intervalMs)) {
      throw new Error(`punctuator ${p.name}: intervalMs must be a positive number, not ${p.intervalMs}`);
    }
  }
}
