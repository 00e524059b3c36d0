import { describe, expect, it } from 'vitest';
import { type FetchedMessage, filterAbortedMessages } from './filterAbortedMessages.js';

/**
 * Partitions written as KafkaJS decodes them: one record per entry, offsets counting from `from`,
 * producer ids and offsets as decimal strings. `data` is a transactional record, `plain` one with
 * no transaction, `abort`/`commit` the control records a transaction ends with.
 */
type Entry =
  | { data: string; producer: number }
  | { plain: string; producer?: number }
  | { abort: number }
  | { commit: number };

interface Decoded extends FetchedMessage {
  readonly offset: string;
  readonly label: string;
}

const ABORT_KEY = Buffer.from([0, 0, 0, 0]);
const COMMIT_KEY = Buffer.from([0, 0, 0, 1]);

function decode(entries: Entry[], from = 0n): Decoded[] {
  return entries.map((entry, i): Decoded => {
    const offset = String(from + BigInt(i));
    if ('data' in entry) {
      const batchContext = { producerId: String(entry.producer), inTransaction: true, isControlBatch: false };
      return { offset, label: entry.data, key: null, isControlRecord: false, batchContext };
    }
    if ('plain' in entry) {
      const batchContext = { producerId: String(entry.producer ?? -1), inTransaction: false };
      return { offset, label: entry.plain, key: null, isControlRecord: false, batchContext };
    }
    const abort = 'abort' in entry;
    const producerId = String(abort ? entry.abort : entry.commit);
    return {
      offset,
      label: `${abort ? 'ABORT' : 'COMMIT'}(${producerId})`,
      key: abort ? ABORT_KEY : COMMIT_KEY,
      isControlRecord: true,
      batchContext: { producerId, inTransaction: true, isControlBatch: true },
    };
  });
}

const aborted = (...list: [producer: number, firstOffset: number | bigint][]) =>
  list.map(([producer, firstOffset]) => ({ producerId: String(producer), firstOffset: String(firstOffset) }));

const kept = (messages: Decoded[], abortedTransactions: ReturnType<typeof aborted>) =>
  filterAbortedMessages({ messages, abortedTransactions }).map((m) => m.label);

describe('filterAbortedMessages', () => {
  it('reads the aborted list in any order: Kafka lists transactions in the order they were aborted', () => {
    // p1 starts first, p2 aborts first: Kafka sends p2's transaction before p1's.
    const messages = decode([
      { data: 'p1-a', producer: 1 },
      { data: 'p2-a', producer: 2 },
      { abort: 2 },
      { data: 'p1-b', producer: 1 },
      { abort: 1 },
      { data: 'p2-c', producer: 2 },
      { commit: 2 },
    ]);
    expect(kept(messages, aborted([2, 1], [1, 0]))).toEqual(['ABORT(2)', 'ABORT(1)', 'p2-c', 'COMMIT(2)']);
    expect(kept(messages, aborted([1, 0], [2, 1]))).toEqual(['ABORT(2)', 'ABORT(1)', 'p2-c', 'COMMIT(2)']);
  });

  it('starts every aborted transaction that began before a record, not one per record', () => {
    // The fetch starts at offset 10, inside two aborted transactions begun at 3 and 7.
    const messages = decode(
      [{ data: 'p2-x', producer: 2 }, { data: 'p1-x', producer: 1 }, { abort: 1 }, { abort: 2 }],
      10n,
    );
    expect(kept(messages, aborted([1, 3], [2, 7]))).toEqual(['ABORT(1)', 'ABORT(2)']);
  });

  it('keeps the committed one of two interleaved transactions and drops the aborted one', () => {
    const messages = decode([
      { data: 'p1-a', producer: 1 },
      { data: 'p2-a', producer: 2 },
      { data: 'p1-b', producer: 1 },
      { data: 'p2-b', producer: 2 },
      { commit: 2 },
      { abort: 1 },
    ]);
    expect(kept(messages, aborted([1, 0]))).toEqual(['p2-a', 'p2-b', 'COMMIT(2)', 'ABORT(1)']);
  });

  it("ends a producer's aborted span at its ABORT marker: its later transactions are judged afresh", () => {
    const messages = decode([
      { data: 'first', producer: 1 },
      { abort: 1 },
      { data: 'second', producer: 1 },
      { commit: 1 },
      { data: 'third', producer: 1 },
      { abort: 1 },
      { data: 'fourth', producer: 1 },
      { commit: 1 },
    ]);
    expect(kept(messages, aborted([1, 4], [1, 0]))).toEqual([
      'ABORT(1)',
      'second',
      'COMMIT(1)',
      'ABORT(1)',
      'fourth',
      'COMMIT(1)',
    ]);
  });

  it('keeps records written outside transactions, in an aborted span or not', () => {
    const messages = decode([
      { plain: 'before' },
      { data: 'p1-a', producer: 1 },
      { plain: 'during' },
      { plain: 'idempotent', producer: 1 },
      { abort: 1 },
      { plain: 'after' },
    ]);
    expect(kept(messages, aborted([1, 1]))).toEqual(['before', 'during', 'idempotent', 'ABORT(1)', 'after']);
  });

  it('takes only a control record as a marker, not data whose key is 00 00 00 00', () => {
    const [first, lookalike, last, marker] = decode([
      { data: 'p1-a', producer: 1 },
      { data: 'lookalike', producer: 1 },
      { data: 'p1-b', producer: 1 },
      { abort: 1 },
    ]);
    const messages = [first!, { ...lookalike!, key: ABORT_KEY }, last!, marker!];
    expect(kept(messages, aborted([1, 0]))).toEqual(['ABORT(1)']);
  });

  it('compares offsets and producer ids as 64-bit integers', () => {
    // 2^53 + 1 rounds to 2^53 as a double: the transaction would start one record early.
    const from = 2n ** 53n;
    const messages = decode(
      [{ data: 'kept', producer: 1 }, { data: 'dropped', producer: 1 }, { abort: 1 }],
      from,
    );
    expect(kept(messages, aborted([1, from + 1n]))).toEqual(['kept', 'ABORT(1)']);
    const big = { producerId: '9007199254740993', firstOffset: '0' };
    const ofBig = decode([
      { data: 'big', producer: 0 },
      { data: 'other', producer: 0 },
    ]).map((m, i) => ({
      ...m,
      batchContext: { ...m.batchContext!, producerId: i === 0 ? '9007199254740993' : '9007199254740992' },
    }));
    expect(
      filterAbortedMessages({ messages: ofBig, abortedTransactions: [big] }).map((m) => m.label),
    ).toEqual(['other']);
  });

  it('hands the same list back when nothing was aborted', () => {
    const messages = decode([{ data: 'p1-a', producer: 1 }, { commit: 1 }]);
    expect(filterAbortedMessages({ messages, abortedTransactions: [] })).toBe(messages);
    expect(filterAbortedMessages({ messages, abortedTransactions: undefined })).toBe(messages);
  });
});
