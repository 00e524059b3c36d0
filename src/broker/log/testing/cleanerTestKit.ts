import pino from 'pino';
import {
  Attributes,
  type BatchHeader,
  decodeRecords,
  encodeBatch,
  type NewRecord,
  readBatchHeader,
} from '../../protocol/recordBatch.js';
import type { CleanLogOptions } from '../cleanLog.js';
import { PartitionLog } from '../partitionLog.js';
import { Segment } from '../segment.js';
import { resolveTopicConfig, type TopicConfig } from '../topicConfig.js';

/** Helpers for the log cleaner's tests: build logs of keyed records, read them back as consumers do. */

export const logger = pino({ level: 'silent' });
/** The clock of the tests: record timestamps and cleaner passes count from it. */
export const T0 = 1_700_000_000_000;

/** A compacted topic's config, with overrides. */
export const configOf = (configs: Record<string, string> = {}) =>
  resolveTopicConfig({ 'cleanup.policy': 'compact', ...configs }, {});

export const openLog = (dir: string, config: TopicConfig) => PartitionLog.open(dir, 't', 0, config, logger);

/** Options of a forced pass at `now`. */
export const options = (now: number, extra: Partial<CleanLogOptions> = {}): CleanLogOptions => ({
  now,
  force: true,
  maxOffsetMapEntries: 1_000_000,
  running: () => true,
  ...extra,
});

export type KV = [key: string, value: string | null];

export async function batchOf(records: KV[], timestamp = T0, attributes = 0, extra = {}) {
  const buf = await encodeBatch({
    records: records.map(([k, v], i): NewRecord => ({
      key: Buffer.from(k),
      value: v === null ? null : Buffer.from(v),
      timestamp: timestamp + i,
    })),
    attributes,
    ...extra,
  });
  return { buf, header: readBatchHeader(buf) };
}

export async function appendRecords(log: PartitionLog, records: KV[], timestamp = T0, attributes = 0) {
  const { buf, header } = await batchOf(records, timestamp, attributes);
  return log.append(buf, header, timestamp);
}

export interface Stored {
  offset: bigint;
  key: string;
  value: string | null;
}

/** Every batch from the log start, read as a consumer would (a read at a gap gets the next batch). */
export function batches(log: PartitionLog): { buf: Buffer; header: BatchHeader }[] {
  const out: { buf: Buffer; header: BatchHeader }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const data = log.read(offset, 1 << 20, log.highWatermark, true);
    if (data.length === 0) break;
    for (let at = 0; at < data.length;) {
      const header = readBatchHeader(data, at);
      out.push({ buf: data.subarray(at, at + header.size), header });
      offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
      at += header.size;
    }
  }
  return out;
}

export async function records(log: PartitionLog): Promise<Stored[]> {
  const out: Stored[] = [];
  for (const { buf, header } of batches(log)) {
    if (header.attributes & Attributes.CONTROL) continue;
    for (const r of await decodeRecords(buf)) {
      out.push({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null });
    }
  }
  return out;
}

/** The last record of each key, as compaction should leave them. */
export function latest(all: Stored[]): Stored[] {
  const byKey = new Map<string, Stored>();
  for (const r of all) byKey.set(r.key, r);
  return [...byKey.values()].sort((a, b) => (a.offset < b.offset ? -1 : 1));
}

/** 10 keys × 10 updates, one batch per round, each round at its own time. */
export async function fillUpdates(log: PartitionLog, rounds = 10, keys = 10): Promise<Stored[]> {
  const all: Stored[] = [];
  for (let round = 0; round < rounds; round++) {
    const kvs: KV[] = Array.from({ length: keys }, (_, k) => [`key-${k}`, `v${round}-${k}`]);
    // Shuffle the key order a little, so that the survivors are scattered within batches.
    if (round % 2) kvs.reverse();
    const { baseOffset } = await appendRecords(log, kvs, T0 + round * 1000);
    kvs.forEach(([key, value], i) => all.push({ offset: baseOffset + BigInt(i), key, value }));
  }
  return all;
}

/** A control batch (transaction marker) of one record, as the coordinator writes it. */
export function marker(producerId: bigint, commit: boolean) {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  return batchOf([], T0, Attributes.TRANSACTIONAL | Attributes.CONTROL, {
    records: [{ key, value, timestamp: T0 }],
    producerId,
    producerEpoch: 0,
  });
}

/** Writes segments straight to disk, offsets assigned in order, plus an empty active segment. */
export async function writeSegments(at: string, segments: { buf: Buffer; header: BatchHeader }[][]) {
  let next = 0n;
  for (const batchesOfSegment of segments) {
    const segment = Segment.create(at, next);
    for (const { buf } of batchesOfSegment) {
      buf.writeBigInt64BE(next, 0);
      const header = readBatchHeader(buf);
      segment.append(buf, header, 4096);
      next += BigInt(header.lastOffsetDelta) + 1n;
    }
    segment.saveIndex();
    segment.close();
  }
  Segment.create(at, next).close();
}
