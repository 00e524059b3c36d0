import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';

/** One partition's committed position, as OffsetCommit stores it and OffsetFetch returns it. */
export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The leader epoch the client read at (OffsetCommit v6+), -1 if unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
}

/**
 * The durable facts about groups, one record per change:
 * - `commit`: the offsets of one OffsetCommit (they become visible together);
 * - `generation`: a group started a new generation (so generations keep increasing across restarts);
 * - `deleteGroup`: DeleteGroups removed the group and its offsets;
 * - `deleteTopic`: a topic was deleted, and every group's offsets for it with it;
 * - `txnCommit`: offsets a transactional producer sent (TxnOffsetCommit), pending until its
 *   transaction ends;
 * - `txnEnd`: that transaction ended: its pending offsets become committed, or are dropped.
 */
export type JournalRecord =
  | { readonly type: 'commit'; readonly groupId: string; readonly offsets: readonly CommittedOffset[] }
  | {
      readonly type: 'generation';
      readonly groupId: string;
      readonly generationId: number;
      readonly protocolType: string;
    }
  | { readonly type: 'deleteGroup'; readonly groupId: string }
  | { readonly type: 'deleteTopic'; readonly topic: string }
  | {
      readonly type: 'txnCommit';
      readonly groupId: string;
      readonly producerId: bigint;
      readonly offsets: readonly CommittedOffset[];
    }
  | {
      readonly type: 'txnEnd';
      readonly groupId: string;
      readonly producerId: bigint;
      readonly commit: boolean;
    };

/** The tag (int8) a record starts with, by type. */
const TYPE_TAGS = {
  commit: 1,
  generation: 2,
  deleteGroup: 3,
  deleteTopic: 4,
  txnCommit: 5,
  txnEnd: 6,
} as const;

function writeOffsets(w: Writer, offsets: readonly CommittedOffset[]): void {
  w.uvarint(offsets.length);
  for (const o of offsets) {
    w.compactString(o.topic)
      .int32(o.partition)
      .int64(o.offset)
      .int32(o.leaderEpoch)
      .compactString(o.metadata)
      .int64(BigInt(o.commitTimestamp));
  }
}

function readOffsets(r: Reader): CommittedOffset[] {
  return Array.from({ length: r.uvarint() }, () => ({
    topic: r.compactString(),
    partition: r.int32(),
    offset: r.int64(),
    leaderEpoch: r.int32(),
    metadata: r.compactString(),
    commitTimestamp: Number(r.int64()),
  }));
}

/** A record's payload; framing (length, CRC) belongs to the journal file. */
export function encodeJournalRecord(record: JournalRecord): Buffer {
  const w = new Writer();
  w.int8(TYPE_TAGS[record.type]);
  switch (record.type) {
    case 'commit':
      writeOffsets(w.compactString(record.groupId), record.offsets);
      break;
    case 'txnCommit':
      writeOffsets(w.compactString(record.groupId).int64(record.producerId), record.offsets);
      break;
    case 'txnEnd':
      w.compactString(record.groupId).int64(record.producerId).bool(record.commit);
      break;
    case 'generation':
      w.compactString(record.groupId).int32(record.generationId).compactString(record.protocolType);
      break;
    case 'deleteGroup':
      w.compactString(record.groupId);
      break;
    case 'deleteTopic':
      w.compactString(record.topic);
      break;
  }
  return w.toBuffer();
}

/** Decodes a payload written by encodeJournalRecord; throws on anything else. */
export function decodeJournalRecord(payload: Buffer): JournalRecord {
  const r = new Reader(payload);
  const code = r.int8();
  let record: JournalRecord;
  switch (code) {
    case TYPE_TAGS.commit: {
      const groupId = r.compactString();
      record = { type: 'commit', groupId, offsets: readOffsets(r) };
      break;
    }
    case TYPE_TAGS.txnCommit: {
      const groupId = r.compactString();
      const producerId = r.int64();
      record = { type: 'txnCommit', groupId, producerId, offsets: readOffsets(r) };
      break;
    }
    case TYPE_TAGS.txnEnd:
      record = { type: 'txnEnd', groupId: r.compactString(), producerId: r.int64(), commit: r.bool() };
      break;
    case TYPE_TAGS.generation:
      record = {
        type: 'generation',
        groupId: r.compactString(),
        generationId: r.int32(),
        protocolType: r.compactString(),
      };
      break;
    case TYPE_TAGS.deleteGroup:
      record = { type: 'deleteGroup', groupId: r.compactString() };
      break;
    case TYPE_TAGS.deleteTopic:
      record = { type: 'deleteTopic', topic: r.compactString() };
      break;
    default:
      throw new Error(`unknown journal record type ${code}`);
  }
  if (r.remaining !== 0) throw new Error(`${r.remaining} unexpected bytes after a journal record`);
  return record;
}
