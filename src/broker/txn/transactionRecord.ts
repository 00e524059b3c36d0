import type { JournalCodec } from '../storage/journal.js';
import type { TransactionState } from './transactionState.js';

/** A transactional id's coordinator state, as kept in memory and journaled on every change. */
export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  timeoutMs: number;
  state: TransactionState;
  /** "topic:partition" of every partition the open transaction wrote to. */
  partitions: Set<string>;
  /** Consumer groups whose offsets the open transaction commits. */
  groups: Set<string>;
  /** When the transaction became Ongoing (for its timeout). */
  startTime: number;
  lastUpdate: number;
}

/**
 * The transaction journal's records:
 * - `txn`: the whole metadata of one transactional id after a change (the latest wins);
 * - `producerIds`: the next producer id to hand out, so ids are never reused across restarts.
 */
export type TransactionRecord =
  | { readonly type: 'txn'; readonly metadata: TransactionMetadata }
  | { readonly type: 'producerIds'; readonly next: bigint };

interface Encoded {
  type: 'txn' | 'producerIds';
  next?: string;
  metadata?: {
    transactionalId: string;
    producerId: string;
    producerEpoch: number;
    timeoutMs: number;
    state: TransactionState;
    partitions: string[];
    groups: string[];
    startTime: number;
    lastUpdate: number;
  };
}

export const transactionJournalCodec: JournalCodec<TransactionRecord> = {
  name: 'transaction',
  magic: 'KESTXNLG',
  formatVersion: 1,
  encode(record) {
    const encoded: Encoded =
      record.type === 'producerIds'
        ? { type: 'producerIds', next: record.next.toString() }
        : {
            type: 'txn',
            metadata: {
              ...record.metadata,
              producerId: record.metadata.producerId.toString(),
              partitions: [...record.metadata.partitions],
              groups: [...record.metadata.groups],
            },
          };
    return Buffer.from(JSON.stringify(encoded), 'utf8');
  },
  decode(payload) {
    const encoded = JSON.parse(payload.toString('utf8')) as Encoded;
    if (encoded.type === 'producerIds' && encoded.next !== undefined) {
      return { type: 'producerIds', next: BigInt(encoded.next) };
    }
    const m = encoded.metadata;
    if (encoded.type !== 'txn' || !m) throw new Error(`unknown transaction record ${encoded.type}`);
    return {
      type: 'txn',
      metadata: {
        ...m,
        producerId: BigInt(m.producerId),
        partitions: new Set(m.partitions),
        groups: new Set(m.groups),
      },
    };
  },
};
