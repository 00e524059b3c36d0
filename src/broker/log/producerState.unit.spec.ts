import { describe, expect, it } from 'vitest';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { Attributes, type BatchHeader } from '../protocol/recordBatch.js';
import { addSequence, ProducerState } from './producerState.js';

const header = (
  producerId: bigint,
  producerEpoch: number,
  baseSequence: number,
  count = 1,
  transactional = false,
): BatchHeader => ({
  baseOffset: 0n,
  size: 100,
  magic: 2,
  crc: 0,
  attributes: transactional ? Attributes.TRANSACTIONAL : 0,
  lastOffsetDelta: count - 1,
  baseTimestamp: 0,
  maxTimestamp: 0,
  producerId,
  producerEpoch,
  baseSequence,
  recordCount: count,
});

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof KafkaError) return err.code;
    throw err;
  }
  return undefined;
}

/** Appends as the log would: check, then record at the next offsets. */
function appendTo(state: ProducerState, h: BatchHeader, at: { next: bigint }) {
  const duplicate = state.check(h);
  if (duplicate) return duplicate;
  const base = at.next;
  at.next += BigInt(h.recordCount);
  state.onAppend(h, base, base + BigInt(h.lastOffsetDelta));
  return undefined;
}

describe('ProducerState', () => {
  it('wraps sequences past INT32_MAX to 0', () => {
    expect(addSequence(5, 3)).toBe(8);
    expect(addSequence(0x7fffffff, 1)).toBe(0);
    expect(addSequence(0x7ffffffe, 3)).toBe(1);
  });

  it('accepts continuous sequences and answers a retry of any of the last five batches with its offsets', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    for (let i = 0; i < 7; i++) expect(appendTo(state, header(1n, 0, i * 2, 2), at)).toBeUndefined();
    expect(state.check(header(1n, 0, 12, 2))).toEqual({
      firstSeq: 12,
      lastSeq: 13,
      baseOffset: 12n,
      lastOffset: 13n,
    });
    expect(state.check(header(1n, 0, 4, 2))).toEqual({
      firstSeq: 4,
      lastSeq: 5,
      baseOffset: 4n,
      lastOffset: 5n,
    });
    // Older than the five kept: no longer recognised, so it is out of sequence.
    expect(codeOf(() => state.check(header(1n, 0, 2, 2)))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  });

  it('refuses a gap with 45 and an older epoch with 47; a new epoch restarts at 0', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    appendTo(state, header(1n, 3, 0, 5), at);
    expect(codeOf(() => state.check(header(1n, 3, 6)))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(codeOf(() => state.check(header(1n, 2, 5)))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(codeOf(() => state.check(header(1n, 4, 5)))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(state.check(header(1n, 4, 0))).toBeUndefined();
    // Producer id -1 (a plain producer) is never checked; an unknown producer is accepted.
    expect(state.check(header(-1n, -1, -1))).toBeUndefined();
    expect(state.check(header(9n, 0, 42))).toBeUndefined();
  });

  it('tracks open transactions for the last stable offset and indexes aborted ones', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    appendTo(state, header(1n, 0, 0, 2, true), at); // 0-1
    appendTo(state, header(2n, 0, 0, 1, true), at); // 2
    expect(state.firstUnstableOffset()).toBe(0n);
    state.onMarker(1n, 0, false, 3n);
    at.next = 4n;
    expect(state.firstUnstableOffset()).toBe(2n);
    appendTo(state, header(1n, 0, 2, 1, true), at); // 4
    state.onMarker(2n, 0, true, 5n);
    expect(state.firstUnstableOffset()).toBe(4n);
    state.onMarker(1n, 0, false, 6n);
    expect(state.firstUnstableOffset()).toBeUndefined();
    expect(state.abortedTransactions()).toEqual([
      { producerId: 1n, firstOffset: 0n, lastOffset: 3n },
      { producerId: 1n, firstOffset: 4n, lastOffset: 6n },
    ]);
    expect(state.abortedTransactions(4n)).toEqual([{ producerId: 1n, firstOffset: 4n, lastOffset: 6n }]);
    expect(state.abortedTransactions(0n, 4n)).toEqual([{ producerId: 1n, firstOffset: 0n, lastOffset: 3n }]);
    state.truncateBelow(5n);
    expect(state.abortedTransactions()).toHaveLength(1);
  });

  it('lists aborted transactions in the order they were aborted, as Kafka does, not by first offset', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    appendTo(state, header(1n, 0, 0, 1, true), at); // 0
    appendTo(state, header(2n, 0, 0, 1, true), at); // 1
    state.onMarker(2n, 0, false, 2n);
    state.onMarker(1n, 0, false, 3n);
    expect(state.abortedTransactions()).toEqual([
      { producerId: 2n, firstOffset: 1n, lastOffset: 2n },
      { producerId: 1n, firstOffset: 0n, lastOffset: 3n },
    ]);
    // The order outlives a restart: the snapshot keeps it.
    const restored = ProducerState.fromSnapshot(state.snapshot(4n));
    expect(restored.abortedTransactions().map((t) => t.producerId)).toEqual([2n, 1n]);
  });

  it('fences: a marker with a newer epoch makes the old epoch stale', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    appendTo(state, header(1n, 0, 0, 1, true), at);
    state.onMarker(1n, 1, false, 1n);
    expect(codeOf(() => state.check(header(1n, 0, 1, 1, true)))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(state.check(header(1n, 1, 0, 1, true))).toBeUndefined();
  });

  it('survives a snapshot round trip', () => {
    const state = new ProducerState();
    const at = { next: 0n };
    appendTo(state, header(1n, 0, 0, 2, true), at);
    appendTo(state, header(2n, 5, 0, 1), at);
    state.onMarker(1n, 0, false, 3n);
    const copy = ProducerState.fromSnapshot(JSON.parse(JSON.stringify(state.snapshot(4n))));
    expect(copy.snapshot(4n)).toEqual(state.snapshot(4n));
    expect(copy.check(header(2n, 5, 0))).toEqual({ firstSeq: 0, lastSeq: 0, baseOffset: 2n, lastOffset: 2n });
  });

  it('forgets idle producers without an open transaction', () => {
    const state = new ProducerState();
    state.onAppend(header(1n, 0, 0), 0n, 0n, 1000);
    state.onAppend(header(2n, 0, 0, 1, true), 1n, 1n, 1000);
    state.expire(1000 + 61_000, 60_000);
    expect(state.check(header(1n, 0, 7))).toBeUndefined(); // unknown again: accepted as it comes
    expect(state.hasOpenTransaction(2n)).toBe(true);
  });
});
