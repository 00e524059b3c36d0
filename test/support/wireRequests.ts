import type { RequestOf } from '../../src/broker/protocol/api.js';
import { CreateTopics } from '../../src/broker/protocol/messages/createTopics.js';
import { Fetch } from '../../src/broker/protocol/messages/fetch.js';
import { Metadata } from '../../src/broker/protocol/messages/metadata.js';
import { ListOffsets } from '../../src/broker/protocol/messages/listOffsets.js';
import { Produce } from '../../src/broker/protocol/messages/produce.js';
import {
  decodeRecords,
  encodeBatch,
  type NewRecord,
  readBatchHeader,
} from '../../src/broker/protocol/recordBatch.js';
import type { RawClient } from './rawClient.js';

/**
 * Raw requests for the conformance suites, at versions both the embedded broker and Kafka 4
 * serve (Kafka 4 dropped Produce below 3, Fetch below 4, ListOffsets 0 and CreateTopics below 2;
 * KIP-896).
 */

let topics = 0;
/** A topic name no other test of the run uses. */
export const uniqueTopic = (prefix: string) => `${prefix}-${++topics}-${process.pid}`;

export async function createTopic(
  client: RawClient,
  name: string,
  configs: Record<string, string> = {},
  numPartitions = 1,
): Promise<number> {
  const response = await client.request(CreateTopics, 3, {
    topics: [
      {
        name,
        numPartitions,
        replicationFactor: 1,
        assignments: [],
        configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
      },
    ],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  const errorCode = response.topics[0]!.errorCode;
  if (errorCode === 0) await untilLed(client, name, numPartitions);
  return errorCode;
}

/**
 * Waits until every partition of a new topic serves fetches: Kafka answers CreateTopics once the
 * controller has it; the broker learns of it, and becomes its leader, a moment later.
 */
export async function untilLed(client: RawClient, topic: string, partitions: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { topics } = await client.request(Metadata, 4, {
      topics: [{ name: topic }],
      allowAutoTopicCreation: false,
    });
    const led = topics[0]!.partitions.filter((p) => p.errorCode === 0 && p.leaderId >= 0);
    if (topics[0]!.errorCode === 0 && led.length === partitions) {
      const serving = await Promise.all(
        led.map(async (p) => (await fetchPartition(client, topic, p.partitionIndex, 0n)).errorCode === 0),
      );
      if (serving.every(Boolean)) return;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const batchOf = (...values: (string | null)[]) =>
  encodeBatch({
    records: values.map((v, i) => ({
      key: v === null ? null : Buffer.from(`k${i}`),
      value: v === null ? null : Buffer.from(v),
    })),
  });

export const recordsOf = (records: NewRecord[]) => encodeBatch({ records });

export async function produce(
  client: RawClient,
  topic: string,
  partition: number,
  records: Buffer | null,
  acks = -1,
  version = 7,
) {
  const request: RequestOf<typeof Produce> = {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  };
  const response = await client.request(Produce, version, request);
  return response.responses[0]!.partitionResponses[0]!;
}

export function fetchRequest(
  topic: string,
  partition: number,
  offset: bigint,
  extra: Partial<RequestOf<typeof Fetch>> = {},
): RequestOf<typeof Fetch> {
  return {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 50 * 1024 * 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: offset,
            logStartOffset: -1n,
            partitionMaxBytes: 1024 * 1024,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
    ...extra,
  };
}

export async function fetchPartition(client: RawClient, topic: string, partition: number, offset: bigint) {
  const response = await client.request(Fetch, 11, fetchRequest(topic, partition, offset));
  return response.responses[0]!.partitions[0]!;
}

/** Every batch in fetched record data, with its header and decoded records. */
export async function batchesIn(records: Buffer) {
  const out = [];
  for (let at = 0; at < records.length;) {
    const header = readBatchHeader(records, at);
    out.push({ header, records: await decodeRecords(records.subarray(at, at + header.size)) });
    at += header.size;
  }
  return out;
}

export async function listOffset(
  client: RawClient,
  topic: string,
  timestamp: bigint,
  { partition = 0, isolationLevel = 0, version = 3 } = {},
) {
  const response = await client.request(ListOffsets, version, {
    replicaId: -1,
    isolationLevel,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp }] }],
  });
  return response.topics[0]!.partitions[0]!;
}
