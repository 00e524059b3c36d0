import type { Kafka, Message } from 'kafkajs';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { isControl } from '../../src/broker/protocol/recordBatch.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { RawClient } from '../support/rawClient.js';
import { transactional } from '../support/transactionalClients.js';
import { batchesIn, fetchPartition, listOffset, untilLed } from '../support/wireRequests.js';

/**
 * Log compaction left to the broker's own cleaner, with the same assertions on the embedded
 * broker and on Kafka: no test hook, only topic configs small enough that segments roll and the
 * cleaner runs within seconds (segment.ms, min.cleanable.dirty.ratio, delete.retention.ms,
 * min.compaction.lag.ms) and a short cleaner back-off. Segments roll only when a record arrives
 * after segment.ms, and a log is cleaned again only once it has something to clean, so the waits
 * keep writing one "tick" record (always the same key, compacted like the rest) until what they
 * wait for is seen. The embedded-only compaction.int.spec.ts drives the cleaner through its hook.
 */

const SEGMENT_MS = 500;
const DELETE_RETENTION_MS = 5000;
const TICK = 'tick';

const compacted = {
  'cleanup.policy': 'compact',
  'segment.ms': String(SEGMENT_MS),
  'min.cleanable.dirty.ratio': '0.01',
  'delete.retention.ms': String(DELETE_RETENTION_MS),
  'min.compaction.lag.ms': '0',
};

/** A record as the log holds it: data, or a transaction marker (control). */
interface Stored {
  offset: bigint;
  key: string | null;
  value: string | null;
  control: boolean;
}

/** Every record of partition 0 from the log start, read uncommitted, markers included. */
async function readLog(client: RawClient, topic: string): Promise<Stored[]> {
  const end = (await listOffset(client, topic, -1n)).offset;
  const out: Stored[] = [];
  // Kafka reads one segment per fetch: go on from the last offset returned.
  for (let next = 0n; next < end;) {
    const fetched = await fetchPartition(client, topic, 0, next);
    if (fetched.errorCode !== 0) throw new Error(`fetch at ${next} failed with ${fetched.errorCode}`);
    const batches = await batchesIn(fetched.records ?? Buffer.alloc(0));
    if (batches.length === 0) throw new Error(`no batch at ${next}, below the end ${end}`);
    for (const { header, records } of batches) {
      for (const r of records) {
        if (r.offset < next) continue;
        out.push({
          offset: r.offset,
          key: r.key?.toString() ?? null,
          value: r.value?.toString() ?? null,
          control: isControl(header.attributes),
        });
      }
      next = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

forEachBroker('log compaction by time and config', { cleanerIntervalMs: 200 }, (target: BrokerTarget) => {
  let kafka: Kafka;
  const clients: RawClient[] = [];
  beforeAll(() => {
    kafka = target.kafka('compaction-test');
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  let topics = 0;
  async function compactedTopic(prefix: string): Promise<{ topic: string; client: RawClient }> {
    const topic = `${prefix}-${++topics}-${process.pid}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: Object.entries(compacted).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    await admin.disconnect();
    const client = await RawClient.connect(target.port);
    clients.push(client);
    await untilLed(client, topic, 1);
    return { topic, client };
  }

  /** Sends each chunk as one batch; returns every write by offset. */
  async function produce(topic: string, chunks: Message[][]): Promise<Map<bigint, Message>> {
    const writes = new Map<bigint, Message>();
    const producer = kafka.producer();
    await producer.connect();
    for (const messages of chunks) {
      const [meta] = await producer.send({ topic, messages });
      messages.forEach((m, i) => writes.set(BigInt(meta!.baseOffset!) + BigInt(i), m));
    }
    await producer.disconnect();
    return writes;
  }

  /**
   * Reads the log until `done` holds for what it holds (at most 60 s), writing a tick record
   * once segment.ms has passed since the last one, so that the segment before it rolls and the
   * cleaner has a dirty segment to clean. Fails showing the last log read.
   */
  async function untilLog(
    client: RawClient,
    topic: string,
    done: (log: Stored[]) => boolean,
  ): Promise<Stored[]> {
    const deadline = Date.now() + 60_000;
    const producer = kafka.producer();
    await producer.connect();
    let lastTick = 0;
    try {
      for (;;) {
        if (Date.now() - lastTick > SEGMENT_MS) {
          await producer.send({ topic, messages: [{ key: TICK, value: String(Date.now()) }] });
          lastTick = Date.now();
        }
        const log = await readLog(client, topic);
        if (done(log)) return log;
        if (Date.now() > deadline) {
          const shown = log.map((r) => `${r.offset}:${r.control ? 'marker' : `${r.key}=${r.value}`}`);
          throw new Error(`the log of ${topic} is still ${shown.join(' ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** The log without the tick records. */
  const data = (log: Stored[]) => log.filter((r) => r.key !== TICK);
  const show = (log: Stored[]) =>
    data(log).map((r) => `${r.offset}:${r.control ? 'marker' : `${r.key}=${r.value}`}`);

  it('keeps the last value of each key at its offset, then drops tombstones after delete.retention.ms', async () => {
    const { topic, client } = await compactedTopic('compact-time');
    const key = (k: string, value: string | null): Message => ({ key: k, value });
    const writes = await produce(topic, [
      [key('a', 'a1'), key('b', 'b1'), key('c', 'c1'), key('d', 'd1')], // 0-3
      [key('a', 'a2'), key('b', 'b2')], // 4-5
      [key('c', null), key('a', 'a3')], // 6-7: c deleted
      [key('d', 'd2'), key('e', 'e1'), key('b', null)], // 8-10: b deleted
    ]);
    expect([...writes.keys()]).toEqual(Array.from({ length: 11 }, (_, i) => BigInt(i)));

    // The first pass keeps the latest write of each key, tombstones included.
    const cleaned = await untilLog(client, topic, (log) => show(log).length === 5);
    expect(show(cleaned)).toEqual(['6:c=null', '7:a=a3', '8:d=d2', '9:e=e1', '10:b=null']);
    // The tombstones go delete.retention.ms after the pass that first kept them.
    const expired = await untilLog(client, topic, (log) => show(log).length === 3);
    expect(show(expired)).toEqual(['7:a=a3', '8:d=d2', '9:e=e1']);
  }, 150_000);

  it('removes an aborted transaction and, later, its marker; keeps a committed one', async () => {
    const { topic, client } = await compactedTopic('compact-txn');
    const producer = await transactional(kafka, `compact-txn-${topics}-${process.pid}`);
    const send = async (messages: Message[], commit: boolean) => {
      const txn = await producer.transaction();
      await txn.send({ topic, messages });
      await (commit ? txn.commit() : txn.abort());
    };
    await send([{ key: 'x', value: 'x1' }], true); // 0, marker 1
    await send(
      [
        { key: 'y', value: 'y1' },
        { key: 'x', value: 'x-aborted' },
      ],
      false,
    ); // 2-3, marker 4
    // Kafka's cleaner keeps the last batch of every producer it still tracks (for a producer
    // whose last transaction was aborted, that marker): the producer ends with a commit.
    await send([{ key: 'z', value: 'z1' }], true); // 5, marker 6
    await producer.disconnect();
    // The aborted records go in the first pass; their marker once they are gone and
    // delete.retention.ms has passed. Committed records keep their markers.
    const cleaned = await untilLog(client, topic, (log) => show(log).length === 4);
    expect(show(cleaned)).toEqual(['0:x=x1', '1:marker', '5:z=z1', '6:marker']);
  }, 150_000);
});
