import { defineApi } from '../api.js';
import { array, bytes, field, int16, int32, int64, int8, string, struct } from '../schema.js';

/**
 * Fetch (1), v4-11. v4 is the floor: isolation_level, last_stable_offset, aborted_transactions.
 * v5: log_start_offset. v7: fetch sessions (KIP-227; the broker answers session id 0, so every
 * fetch is a full one). v9: current_leader_epoch. v11: rack_id, preferred_read_replica.
 */
export const Fetch = defineApi({
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  flexibleFrom: 12,
  request: struct({
    replicaId: int32,
    maxWaitMs: int32,
    minBytes: int32,
    maxBytes: field(int32, { versions: '3+', default: 0x7fffffff }),
    isolationLevel: field(int8, { versions: '4+' }),
    sessionId: field(int32, { versions: '7+' }),
    sessionEpoch: field(int32, { versions: '7+', default: -1 }),
    topics: array(
      struct({
        topic: string,
        partitions: array(
          struct({
            partition: int32,
            currentLeaderEpoch: field(int32, { versions: '9+', default: -1 }),
            fetchOffset: int64,
            logStartOffset: field(int64, { versions: '5+', default: -1n }),
            partitionMaxBytes: int32,
          }),
        ),
      }),
    ),
    forgottenTopicsData: field(array(struct({ topic: string, partitions: array(int32) })), {
      versions: '7+',
    }),
    rackId: field(string, { versions: '11+' }),
  }),
  response: struct({
    throttleTimeMs: field(int32, { versions: '1+' }),
    errorCode: field(int16, { versions: '7+' }),
    sessionId: field(int32, { versions: '7+' }),
    responses: array(
      struct({
        topic: string,
        partitions: array(
          struct({
            partitionIndex: int32,
            errorCode: int16,
            highWatermark: int64,
            lastStableOffset: field(int64, { versions: '4+', default: -1n }),
            logStartOffset: field(int64, { versions: '5+', default: -1n }),
            abortedTransactions: field(array(struct({ producerId: int64, firstOffset: int64 })), {
              versions: '4+',
              nullable: '4+',
            }),
            preferredReadReplica: field(int32, { versions: '11+', default: -1 }),
            records: field(bytes, { nullable: '0+' }),
          }),
        ),
      }),
    ),
  }),
});
