/**
 * Captures request and response frames exchanged by real clients (KafkaJS, kcat, kafka-python) with the
 * embedded broker, through a recording proxy, and saves the first frame of each (client, API,
 * version) as a fixture for the codec tests in src/broker/protocol/fixtures.
 *
 *   npx tsx test/tools/captureFixtures.ts
 *
 * Fixtures are committed; run this again only to refresh them (e.g. after adding an API).
 */
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../../src/kafka/kafkaJsFixes.js';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { startBroker } from '../../src/broker/index.js';
import { run } from '../support/run.js';
import { tempDir } from '../support/tempDir.js';

const outDir = path.resolve(import.meta.dirname, '../../src/broker/protocol/fixtures');

interface Fixture {
  client: string;
  apiKey: number;
  apiVersion: number;
  request: string;
  response: string | null;
}

const fixtures = new Map<string, Fixture>();
let currentClient = 'none';

function splitFrames(onFrame: (frame: Buffer) => void) {
  let buffered = Buffer.alloc(0);
  return (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = buffered.readInt32BE(0);
      onFrame(buffered.subarray(4, 4 + size));
      buffered = buffered.subarray(4 + size);
    }
  };
}

/** A TCP proxy to the broker that records the frames passing through it. */
function createProxy(targetPort: () => number): net.Server {
  return net.createServer((client) => {
    const upstream = net.connect(targetPort(), '127.0.0.1');
    const pending = new Map<number, Fixture>();
    client.on(
      'data',
      splitFrames((frame) => {
        const apiKey = frame.readInt16BE(0);
        const apiVersion = frame.readInt16BE(2);
        const key = `${currentClient}-${apiKey}-${apiVersion}`;
        if (fixtures.has(key)) return;
        const fixture = {
          client: currentClient,
          apiKey,
          apiVersion,
          request: frame.toString('hex'),
          response: null,
        };
        fixtures.set(key, fixture);
        pending.set(frame.readInt32BE(4), fixture);
      }),
    );
    upstream.on(
      'data',
      splitFrames((frame) => {
        const fixture = pending.get(frame.readInt32BE(0));
        if (fixture) fixture.response = frame.toString('hex');
      }),
    );
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
}

function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

async function main() {
  const dir = tempDir('kes-capture-');
  // The proxy's port is advertised, so clients keep talking through it after Metadata: bind the
  // proxy first, then start the broker knowing that port.
  let brokerPort = 0;
  const proxy = createProxy(() => brokerPort);
  const proxyPort = await listen(proxy);
  const broker = await startBroker({
    port: 0,
    dataDir: dir.path,
    advertisedPort: proxyPort,
    groupInitialRebalanceDelayMs: 0,
    logger: pino({ level: 'warn' }),
  });
  brokerPort = broker.port;

  currentClient = 'kafkajs';
  const kafka = new Kafka({
    clientId: 'fixture',
    brokers: [`127.0.0.1:${proxyPort}`],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'fixture', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] },
    ],
  });
  await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: 2, name: 'fixture' }] });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'fixture',
    messages: [
      { key: 'k', value: 'v', headers: { h: 'x' }, partition: 0, timestamp: '1700000000000' },
      { key: null, value: null, partition: 0, timestamp: '1700000000001' },
    ],
  });
  await producer.send({
    topic: 'fixture',
    compression: CompressionTypes.GZIP,
    messages: [{ value: 'zipped', partition: 1, timestamp: '1700000000002' }],
  });
  await admin.fetchTopicOffsets('fixture');
  await admin.deleteTopicRecords({ topic: 'fixture', partitions: [{ partition: 1, offset: '0' }] });
  const consumer = kafka.consumer({ groupId: 'fixture-group', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'fixture', fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async () => void (++seen === 3 && resolve()) });
  });
  await consumer.disconnect();
  await admin.describeGroups(['fixture-group']);
  await admin.listGroups();
  await admin.fetchOffsets({ groupId: 'fixture-group', topics: ['fixture'] });
  await admin.deleteGroups(['fixture-group']);
  await admin.deleteTopics({ topics: ['fixture'] });
  await producer.disconnect();
  await admin.disconnect();

  currentClient = 'kcat';
  const bootstrap = `127.0.0.1:${proxyPort}`;
  // The proxy runs in this process: the clients must run asynchronously.
  await run('kcat', ['-b', bootstrap, '-L']);
  await run('kcat', ['-b', bootstrap, '-P', '-t', 'fixture-kcat', '-K:', '-H', 'a=b'], { input: 'k:v\n' });
  await run('kcat', ['-b', bootstrap, '-C', '-t', 'fixture-kcat', '-e', '-o', 'beginning']);
  await run('kcat', [
    '-b',
    bootstrap,
    '-G',
    'fixture-kcat-group',
    '-X',
    'auto.offset.reset=earliest',
    '-e',
    'fixture-kcat',
  ]);

  currentClient = 'kafka-python';
  await run('/usr/bin/python3', [
    path.resolve(import.meta.dirname, '../broker/python/roundtrip.py'),
    bootstrap,
    'fixture-python',
    'fixture-python-group',
    '3',
  ]);

  proxy.close();
  await broker.close();
  dir.remove();

  fs.mkdirSync(outDir, { recursive: true });
  for (const fixture of fixtures.values()) {
    if (fixture.response === null) continue;
    const name = `${fixture.client}-${fixture.apiKey}-v${fixture.apiVersion}.json`;
    fs.writeFileSync(path.join(outDir, name), `${JSON.stringify(fixture, null, 2)}\n`);
  }
  console.log(`wrote ${fixtures.size} fixtures to ${path.relative(process.cwd(), outDir)}`);
}

void main();
