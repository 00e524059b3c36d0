import { beforeAll, expect, it } from 'vitest';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { consumeAll } from '../support/consumeAll.js';
import { run } from '../support/run.js';

/**
 * librdkafka's kcat against the embedded broker and Kafka alike: metadata, produce with keys and
 * headers, consume to the end, consume in a group, transactions, and the protocol features
 * librdkafka enables. Topics are created up front: neither broker creates them on its own.
 */
const TOPICS = [
  { topic: 'listed', numPartitions: 3 },
  { topic: 'from-kcat' },
  { topic: 'from-kafkajs' },
  { topic: 'grouped', numPartitions: 2 },
  { topic: 'gzipped' },
  { topic: 'kcat-txn' },
  { topic: 'kcat-isolation' },
];

forEachBroker('kcat (librdkafka)', {}, (t: BrokerTarget) => {
  const kcat = (args: string[], input?: string, timeoutMs?: number) =>
    run('kcat', ['-b', t.bootstrap, ...args], { input, timeoutMs });

  beforeAll(async () => {
    const admin = t.kafka().admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: TOPICS });
    await admin.disconnect();
  });

  it('enables MsgVer2, BrokerGroupCoordinator and ApiVersion, and lists the broker and topics', async () => {
    const features = await kcat(['-L', '-d', 'feature']);
    expect(features.code).toBe(0);
    const enabled = [...features.stderr.matchAll(/Enabling feature (\w+)/g)].map((m) => m[1]);
    expect(enabled).toEqual(expect.arrayContaining(['MsgVer2', 'BrokerGroupCoordinator', 'ApiVersion']));
    expect(features.stdout).toMatch(/1 brokers:\s+broker 1 at 127\.0\.0\.1:\d+ \(controller\)/);
    expect(features.stdout).toMatch(/topic "listed" with 3 partitions:/);
    expect(features.stdout).toMatch(/partition 2, leader 1, replicas: 1, isrs: 1/);
  });

  it('produces keys and headers that KafkaJS reads exactly', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `key-${i}:value ${i} ✓`).join('\n');
    const produced = await kcat(
      ['-P', '-t', 'from-kcat', '-K:', '-H', 'source=kcat', '-H', 'dup=1', '-H', 'dup=2'],
      lines,
    );
    expect(produced.code).toBe(0);
    const messages = await consumeAll(t.kafka(), 'from-kcat', 100);
    expect(messages.map((m) => [m.key, m.value])).toEqual(
      Array.from({ length: 100 }, (_, i) => [`key-${i}`, `value ${i} ✓`]),
    );
    expect(messages[0]!.headers).toEqual({ source: ['kcat'], dup: ['1', '2'] });
  });

  it('reads to the end exactly what KafkaJS produced', async () => {
    const producer = t.kafka().producer();
    await producer.connect();
    await producer.send({
      topic: 'from-kafkajs',
      messages: [
        { key: 'a', value: 'first', headers: { h1: 'x' } },
        { key: null, value: 'no key' },
        { key: 'c', value: null },
        { key: 'd', value: 'multi', headers: { m: ['1', '2'] } },
      ],
    });
    await producer.disconnect();
    const consumed = await kcat(['-C', '-t', 'from-kafkajs', '-e', '-f', '%p %o %k|%s|%h\\n', '-Z']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual([
      '0 0 a|first|h1=x',
      '0 1 NULL|no key|',
      '0 2 c|NULL|',
      '0 3 d|multi|m=1,m=2',
    ]);
    expect(consumed.stderr).toMatch(/Reached end of topic from-kafkajs \[0\] at offset 4/);
  });

  it('consumes in a group with -G and commits its offsets', async () => {
    const admin = t.kafka().admin();
    await admin.connect();
    const producer = t.kafka().producer();
    await producer.connect();
    await producer.send({
      topic: 'grouped',
      messages: Array.from({ length: 20 }, (_, i) => ({ value: `g${i}`, partition: i % 2 })),
    });
    await producer.disconnect();
    const consumed = await kcat(
      [
        '-G',
        'kcat-group',
        '-X',
        'auto.offset.reset=earliest',
        '-X',
        'enable.auto.commit=true',
        '-X',
        'auto.commit.interval.ms=100',
        '-e',
        '-f',
        '%s\\n',
        'grouped',
      ],
      undefined,
      60_000,
    );
    expect(consumed.code).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `g${i}`).sort(),
    );
    const offsets = await admin.fetchOffsets({ groupId: 'kcat-group', topics: ['grouped'] });
    expect(offsets[0]!.partitions.map((p) => p.offset).sort()).toEqual(['10', '10']);
    await admin.disconnect();
  });

  it('produces gzip-compressed batches that KafkaJS reads', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `z${i}`).join('\n');
    expect((await kcat(['-P', '-t', 'gzipped', '-z', 'gzip'], lines)).code).toBe(0);
    const messages = await consumeAll(t.kafka(), 'gzipped', 500);
    expect(messages.map((m) => m.value)).toEqual(Array.from({ length: 500 }, (_, i) => `z${i}`));
  });

  it('enables IdempotentProducer (InitProducerId) as well', async () => {
    const features = await kcat(['-L', '-d', 'feature']);
    expect([...features.stderr.matchAll(/Enabling feature (\w+)/g)].map((m) => m[1])).toContain(
      'IdempotentProducer',
    );
  });

  it('produces committed data with -X transactional.id', async () => {
    const produced = await kcat(
      ['-P', '-t', 'kcat-txn', '-X', 'transactional.id=kcat-producer', '-K:'],
      'k1:v1\nk2:v2\n',
    );
    expect(produced.code).toBe(0);
    expect(produced.stderr).toMatch(/Transaction successfully committed/);
    const messages = await consumeAll(t.kafka(), 'kcat-txn', 2);
    expect(messages.map((m) => [m.key, m.value])).toEqual([
      ['k1', 'v1'],
      ['k2', 'v2'],
    ]);
  });

  it('does not show aborted data with -X isolation.level=read_committed, and stops at an open transaction', async () => {
    const producer = t
      .kafka()
      .producer({ transactionalId: 'for-kcat', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (const [value, commit] of [
      ['committed-1', true],
      ['aborted-1', false],
      ['committed-2', true],
    ] as const) {
      const txn = await producer.transaction();
      await txn.send({ topic: 'kcat-isolation', messages: [{ value }] });
      await (commit ? txn.commit() : txn.abort());
    }
    const open = await producer.transaction();
    await open.send({ topic: 'kcat-isolation', messages: [{ value: 'open-1' }] });

    const committed = await kcat([
      '-C',
      '-t',
      'kcat-isolation',
      '-e',
      '-X',
      'isolation.level=read_committed',
      '-f',
      '%o %s\n',
    ]);
    expect(committed.code).toBe(0);
    expect(committed.stdout.trim().split('\n')).toEqual(['0 committed-1', '4 committed-2']);
    // librdkafka's end of partition under read_committed is the last stable offset: the open transaction.
    expect(committed.stderr).toMatch(/Reached end of topic kcat-isolation \[0\] at offset 6/);

    const uncommitted = await kcat([
      '-C',
      '-t',
      'kcat-isolation',
      '-e',
      '-X',
      'isolation.level=read_uncommitted',
      '-f',
      '%o %s\n',
    ]);
    expect(uncommitted.stdout.trim().split('\n')).toEqual([
      '0 committed-1',
      '2 aborted-1',
      '4 committed-2',
      '6 open-1',
    ]);
    await open.abort();
    await producer.disconnect();
  });
});
