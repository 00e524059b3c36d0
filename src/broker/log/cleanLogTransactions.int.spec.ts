import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Attributes, type BatchHeader } from '../protocol/recordBatch.js';
import type { AbortedTransaction } from './abortedTransaction.js';
import { CleanerMemory } from './cleanerMemory.js';
import { cleanLog } from './cleanLog.js';
import {
  appendRecords,
  batches,
  batchOf,
  configOf,
  type KV,
  marker,
  openLog,
  options,
  records,
  T0,
  writeSegments,
} from './testing/cleanerTestKit.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kes-clean-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cleanLog and transactions', () => {
  it('removes aborted transactions, and markers once their data is gone and delete.retention.ms passed', async () => {
    const config = configOf({ 'delete.retention.ms': '1000' });
    const txn = { producerId: 7n, producerEpoch: 0 };
    const transactional = Attributes.TRANSACTIONAL;
    // Offsets: 0 y=plain; 1-2 aborted {x, y}; 3 ABORT; 4 committed x; 5 COMMIT; 6 x=plain.
    await writeSegments(dir, [
      [
        await batchOf([['y', 'plain']]),
        await batchOf(
          [
            ['x', 'aborted'],
            ['y', 'aborted'],
          ],
          T0,
          transactional,
          { ...txn, baseSequence: 0 },
        ),
        await marker(7n, false),
        await batchOf([['x', 'committed']], T0, transactional, { ...txn, baseSequence: 2 }),
        await marker(7n, true),
      ],
    ]);
    const log = openLog(dir, config);
    let aborted: AbortedTransaction[] = [{ producerId: 7n, firstOffset: 1n, lastOffset: 3n }];
    log.abortedTransactions = () => aborted;
    const memory = new CleanerMemory();
    const kinds = () =>
      batches(log).map((b) =>
        b.header.attributes & Attributes.CONTROL
          ? `marker@${b.header.baseOffset}`
          : `data@${b.header.baseOffset}`,
      );

    await cleanLog(log, config, memory, options(T0));
    // The aborted y did not shadow the committed one before it.
    expect(await records(log)).toEqual([
      { offset: 0n, key: 'y', value: 'plain' },
      { offset: 4n, key: 'x', value: 'committed' },
    ]);
    expect(kinds()).toEqual(['data@0', 'marker@3', 'data@4', 'marker@5']);
    await cleanLog(log, config, memory, options(T0 + 5_000));
    // The ABORT marker stays while the partition lists its transaction.
    expect(kinds()).toEqual(['data@0', 'marker@3', 'data@4', 'marker@5']);

    // A later plain x supersedes the committed one: the COMMIT marker's data is gone.
    const plain = await batchOf([['x', 'plain']]);
    log.append(plain.buf, plain.header, T0);
    log.roll();
    aborted = [];
    await cleanLog(log, config, memory, options(T0 + 10_000));
    // Unlisted, the ABORT marker goes: its data has been gone since the first pass.
    expect(kinds()).toEqual(['data@0', 'marker@5', 'data@6']);
    await cleanLog(log, config, memory, options(T0 + 10_999));
    expect(kinds()).toEqual(['data@0', 'marker@5', 'data@6']);
    await cleanLog(log, config, memory, options(T0 + 11_000));
    expect(kinds()).toEqual(['data@0', 'data@6']);
    log.close();
  });

  it('works with the partition transaction state: open transactions bound the range, aborted data goes', async () => {
    const config = configOf({ 'delete.retention.ms': '1000', 'segment.bytes': '100000' });
    const log = openLog(dir, config);
    const txn = (producerId: bigint, baseSequence: number, records: KV[]) =>
      batchOf(records, T0, Attributes.TRANSACTIONAL, { producerId, producerEpoch: 0, baseSequence });
    const put = async (batch: Promise<{ buf: Buffer; header: BatchHeader }>) => {
      const { buf, header } = await batch;
      return log.append(buf, header, T0).baseOffset;
    };
    await appendRecords(log, [['k', 'plain']]); // 0
    await put(txn(1n, 0, [['k', 'aborted']])); // 1
    log.appendMarker(1n, 0, false, 0, T0); // 2: ABORT
    await put(txn(2n, 0, [['j', 'committed']])); // 3
    log.appendMarker(2n, 0, true, 0, T0); // 4: COMMIT
    log.roll();
    await put(txn(3n, 0, [['k', 'open']])); // 5, still open
    log.roll();
    await appendRecords(log, [['j', 'later']]); // 6
    log.roll();
    expect(log.lastStableOffset).toBe(5n);
    expect(log.abortedTransactions()).toEqual([{ producerId: 1n, firstOffset: 1n, lastOffset: 2n }]);

    const memory = new CleanerMemory();
    // The open transaction at 5 holds the cleanable range below its segment.
    expect(await cleanLog(log, config, memory, options(T0))).toMatchObject({ cleanedEnd: 5n });
    // The aborted data is gone, so read_committed readers no longer need its index entry.
    expect(log.abortedTransactions()).toEqual([]);
    expect(await records(log)).toEqual([
      { offset: 0n, key: 'k', value: 'plain' },
      { offset: 3n, key: 'j', value: 'committed' },
      { offset: 5n, key: 'k', value: 'open' },
      { offset: 6n, key: 'j', value: 'later' },
    ]);
    log.appendMarker(3n, 0, true, 0, T0); // 7: COMMIT
    log.roll();
    expect(log.lastStableOffset).toBe(log.highWatermark);
    await cleanLog(log, config, memory, options(T0 + 100));
    await cleanLog(log, config, memory, options(T0 + 5_000));
    const markers = batches(log)
      .filter((b) => b.header.attributes & Attributes.CONTROL)
      .map((b) => b.header.baseOffset);
    // The ABORT marker went delete.retention.ms after its data and index entry; so did the COMMIT
    // marker of the superseded transaction; the one whose data is still there stays.
    expect(markers).toEqual([7n]);
    expect(await records(log)).toEqual([
      { offset: 5n, key: 'k', value: 'open' },
      { offset: 6n, key: 'j', value: 'later' },
    ]);
    log.close();
  });
});
