import * as fs from 'node:fs';
import * as path from 'node:path';
import { YIELD_EVERY_BYTES, yieldToEventLoop } from './buildOffsetMap.js';
import type { CleaningPass } from './cleaningPass.js';
import type { Segment } from './segment.js';
import { cleanedFileName } from './segmentSwap.js';

/** Output is written in chunks of about this size. */
const WRITE_CHUNK_BYTES = 1024 * 1024;

export interface CleanedGroup {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly recordsRemoved: number;
  /** Whether any batch was dropped or rewritten. */
  readonly changed: boolean;
}

/**
 * Writes the cleaned contents of `group` (adjacent closed segments, followed by one based at
 * `end`) to `<base>-<end>.log.cleaned` in `dir` and fsyncs it, ready for the swap (segmentSwap.ts).
 * Reads run between yields to the event loop and writes are asynchronous, so the broker keeps
 * serving. Returns undefined, leaving no file, when `proceed` turns false on the way (the group
 * changed or the cleaner stops).
 */
export async function cleanSegments(
  dir: string,
  group: readonly Segment[],
  end: bigint,
  pass: CleaningPass,
  proceed: () => boolean,
): Promise<CleanedGroup | undefined> {
  const file = path.join(dir, cleanedFileName(group[0]!.baseOffset, end));
  const handle = await fs.promises.open(file, 'w');
  let complete = false;
  try {
    let position = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      for (let done = 0; done < data.length;) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
      position += data.length;
    };
    let bytesBefore = 0;
    let recordsRemoved = 0;
    let changed = false;
    let sinceYield = 0;
    if (!proceed()) return undefined;
    for (const segment of group) {
      bytesBefore += segment.size;
      for (const at of segment.batchesFrom(0)) {
        const original = segment.readBatch(at);
        const outcome = await pass.clean(original, at.header);
        recordsRemoved += outcome.removedRecords;
        if (outcome.batch !== original) changed = true;
        if (outcome.batch) {
          pending.push(outcome.batch);
          pendingBytes += outcome.batch.length;
        }
        sinceYield += at.header.size;
        if (pendingBytes >= WRITE_CHUNK_BYTES) await flush();
        if (sinceYield >= YIELD_EVERY_BYTES) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
        if (!proceed()) return undefined;
      }
    }
    await flush();
    await handle.sync();
    complete = true;
    return { bytesBefore, bytesAfter: position, recordsRemoved, changed };
  } finally {
    await handle.close();
    if (!complete) await fs.promises.rm(file, { force: true });
  }
}
