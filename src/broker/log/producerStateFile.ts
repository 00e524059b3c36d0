import * as path from 'node:path';
import { isCommitMarker } from '../protocol/controlBatch.js';
import { isControl } from '../protocol/recordBatch.js';
import { readJson, writeJsonAtomic } from '../storage/atomicFile.js';
import {
  PRODUCER_SNAPSHOT_FORMAT_VERSION,
  ProducerState,
  type ProducerStateSnapshot,
} from './producerState.js';
import type { Segment } from './segment.js';

/**
 * A partition's producer state on disk: `producer-state.json`, a snapshot taken at a log end
 * offset. Snapshots are saved at every roll, checkpoint and close, so rebuilding the state replays
 * at most the active segment; without a usable snapshot the whole log is replayed.
 */
const PRODUCER_STATE_FILE = 'producer-state.json';
/** Producers idle this long with no open transaction are forgotten (producer.id.expiration.ms). */
const PRODUCER_EXPIRATION_MS = 24 * 60 * 60 * 1000;

export function saveProducerState(
  dir: string,
  state: ProducerState,
  logEndOffset: bigint,
  now = Date.now(),
): void {
  state.expire(now, PRODUCER_EXPIRATION_MS);
  writeJsonAtomic(path.join(dir, PRODUCER_STATE_FILE), state.snapshot(logEndOffset));
}

/**
 * The snapshot, if it lies within [logStartOffset, logEndOffset], plus every batch after it.
 * `segments` are the partition's, oldest first. Returns the state and how many batches it replayed.
 */
export function loadProducerState(
  dir: string,
  segments: readonly Segment[],
  logStartOffset: bigint,
  logEndOffset: bigint,
): { state: ProducerState; replayed: number } {
  const snapshot = readJson<ProducerStateSnapshot>(
    path.join(dir, PRODUCER_STATE_FILE),
    PRODUCER_SNAPSHOT_FORMAT_VERSION,
  );
  let state = new ProducerState();
  let from = logStartOffset;
  if (snapshot && BigInt(snapshot.offset) <= logEndOffset && BigInt(snapshot.offset) >= from) {
    state = ProducerState.fromSnapshot(snapshot);
    from = BigInt(snapshot.offset);
  }
  let replayed = 0;
  for (const segment of segments) {
    if (segment.nextOffset <= from) continue;
    for (const at of segment.batchesFrom(0)) {
      const { header } = at;
      if (header.baseOffset < from) continue;
      if (isControl(header.attributes)) {
        const commit = isCommitMarker(segment.readBatch(at));
        state.onMarker(header.producerId, header.producerEpoch, commit, header.baseOffset);
      } else {
        state.onAppend(header, header.baseOffset, header.baseOffset + BigInt(header.lastOffsetDelta));
      }
      replayed++;
    }
  }
  state.truncateBelow(logStartOffset);
  return { state, replayed };
}
