import * as path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { spawnScript } from '../support/spawnScript.js';
import { consumeAll } from '../support/consumeAll.js';

/**
 * Exactly once across a crash: a KafkaJS consume-transform-produce loop (sendOffsets in each
 * transaction, every third transaction aborted) is killed with SIGKILL midway and restarted.
 * The read_committed output must hold each input exactly once, and the group's committed offsets
 * must only ever reflect committed transactions. The same on the embedded broker and on Kafka.
 */
const INPUTS = 4000;
const PARTITIONS = 4;
const GROUP = 'transformer-group';
const transformer = path.join(import.meta.dirname, 'processes', 'transformer.ts');

forEachBroker('consume-transform-produce with transactions', {}, (t: BrokerTarget) => {
  beforeAll(async () => {
    const admin = t.kafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'inputs', numPartitions: PARTITIONS },
        { topic: 'outputs', numPartitions: PARTITIONS },
      ],
    });
    await admin.disconnect();
    const producer = t.kafka().producer();
    await producer.connect();
    for (let start = 0; start < INPUTS; start += 1000) {
      await producer.send({
        topic: 'inputs',
        messages: Array.from({ length: 1000 }, (_, i) => ({
          value: String(start + i),
          partition: (start + i) % PARTITIONS,
        })),
      });
    }
    await producer.disconnect();
  });

  /** Committed offsets of the group per input partition (-1 when none). */
  async function groupOffsets(): Promise<number[]> {
    const admin = t.kafka().admin();
    await admin.connect();
    const [topic] = await admin.fetchOffsets({ groupId: GROUP, topics: ['inputs'] });
    await admin.disconnect();
    return topic!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  }

  /** read_committed outputs, counted per input partition. */
  async function committedOutputs(expected: number) {
    const outputs = await consumeAll(t.kafka(), 'outputs', expected, { timeoutMs: 60_000 });
    const perPartition = Array.from({ length: PARTITIONS }, () => 0);
    for (const m of outputs) perPartition[Number(m.key!.split(':')[0])]!++;
    return { outputs, perPartition };
  }

  it('outputs every input exactly once across a SIGKILL and a restart, with offsets only from commits', async () => {
    const args = [t.bootstrap, 'inputs', 'outputs', GROUP, 'transformer-1', '100'];
    const first = spawnScript(transformer, args);
    await first.waitForLine(() => first.lines.filter((l) => 'committed' in l).length >= 20, 60_000);
    await first.kill();
    const aborted = first.lines.filter((l) => 'aborted' in l).length;
    expect(aborted).toBeGreaterThanOrEqual(9);

    // What the killed process committed: the group's offsets match its committed outputs
    // exactly, whatever it had open or aborted when it died.
    const atCrash = await groupOffsets();
    const committedSoFar = atCrash.reduce((sum, o) => sum + Math.max(o, 0), 0);
    expect(committedSoFar).toBeGreaterThan(0);
    expect(committedSoFar).toBeLessThan(INPUTS);
    const partial = await committedOutputs(committedSoFar);
    expect(partial.perPartition).toEqual(atCrash.map((o) => Math.max(o, 0)));

    const second = spawnScript(transformer, args);
    try {
      const deadline = Date.now() + 120_000;
      let offsets = await groupOffsets();
      while (offsets.some((o) => o !== INPUTS / PARTITIONS) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        offsets = await groupOffsets();
      }
      expect(offsets).toEqual(Array.from({ length: PARTITIONS }, () => INPUTS / PARTITIONS));
    } finally {
      await second.kill();
    }

    const { outputs } = await committedOutputs(INPUTS);
    const values = outputs.map((m) => m.value!);
    expect(values).toHaveLength(INPUTS);
    expect(new Set(values).size).toBe(INPUTS);
    expect(new Set(values)).toEqual(new Set(Array.from({ length: INPUTS }, (_, i) => `out-${i}`)));
    // Nothing more arrives: the total read_committed is exactly the inputs.
    const admin = t.kafka().admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets('outputs');
    await admin.disconnect();
    const dataAndMarkers = ends.reduce((sum, p) => sum + Number(p.high), 0);
    expect(dataAndMarkers).toBeGreaterThan(INPUTS);
  }, 240_000);
});
