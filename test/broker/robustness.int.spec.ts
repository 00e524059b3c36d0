import * as net from 'node:net';
import { expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { ApiVersions } from '../../src/broker/protocol/messages/apiVersions.js';
import { CreateTopics } from '../../src/broker/protocol/messages/createTopics.js';
import { DescribeConfigs } from '../../src/broker/protocol/messages/describeConfigs.js';
import { ListOffsets } from '../../src/broker/protocol/messages/listOffsets.js';
import { Metadata } from '../../src/broker/protocol/messages/metadata.js';
import { Reader } from '../../src/broker/protocol/reader.js';
import { type BrokerTarget, forEachBroker } from '../support/brokerTargets.js';
import { RawClient } from '../support/rawClient.js';
import { uniqueTopic } from '../support/wireRequests.js';

/**
 * Requests no client should send, on both brokers alike: an answer with a Kafka error code where
 * Kafka gives one, a closed connection where Kafka closes it, and a broker that goes on serving.
 */
forEachBroker('broker robustness', {}, (t: BrokerTarget) => {
  /** The broker still serves a normal client. */
  async function stillServes() {
    const client = await RawClient.connect(t.port);
    const response = await client.request(Metadata, 4, { topics: null, allowAutoTopicCreation: false });
    client.close();
    expect(response.brokers[0]!.nodeId).toBe(1);
  }

  async function expectClosedWithoutAnswer(client: RawClient) {
    let answered = false;
    client.socket.on('data', () => (answered = true));
    await client.closed;
    expect(answered).toBe(false);
  }

  it('answers ApiVersions at a version above its own with UNSUPPORTED_VERSION and the v0 body', async () => {
    const client = await RawClient.connect(t.port);
    const response = client.nextFrame();
    // A v99 request: the body is whatever a future client sends; the broker must not need it.
    const frame = client.frame(ApiVersions, 3, { clientSoftwareName: 'future', clientSoftwareVersion: '9' });
    frame.writeInt16BE(99, 6);
    client.write(frame);
    const r = new Reader(await response);
    expect(r.int32()).toBeGreaterThan(0); // correlation id, response header v0
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const count = r.int32();
    const ranges = Array.from({ length: count }, () => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    expect(ranges).toContainEqual({ key: 18, min: 0, max: expect.any(Number) });
    expect(r.remaining).toBe(0); // v0 body: no throttle time
    // The connection stays usable: the client retries at a version the broker speaks.
    const v3 = await client.request(ApiVersions, 3, {
      clientSoftwareName: 'kes-test',
      clientSoftwareVersion: '1',
    });
    expect(v3.errorCode).toBe(0);
    // Produce at least over the versions every client here uses.
    const produce = v3.apiKeys.find((a) => a.apiKey === 0)!;
    expect(produce.minVersion).toBeLessThanOrEqual(3);
    expect(produce.maxVersion).toBeGreaterThanOrEqual(7);
    client.close();
  });

  it('closes a connection that sends garbage, and only that one', async () => {
    const bystander = await RawClient.connect(t.port);
    const client = await RawClient.connect(t.port);
    client.write(Buffer.from('GET / HTTP/1.1\r\nHost: kafka\r\n\r\n'));
    await expectClosedWithoutAnswer(client);
    const meta = await bystander.request(Metadata, 1, { topics: [], allowAutoTopicCreation: false });
    expect(meta.controllerId).toBe(1);
    bystander.close();
    await stillServes();
  });

  it('closes a connection whose frame is over the maximum request size', async () => {
    const client = await RawClient.connect(t.port);
    // Over socket.request.max.bytes, 100 MiB on both.
    const header = Buffer.alloc(4);
    header.writeInt32BE(200 * 1024 * 1024);
    client.write(header);
    await expectClosedWithoutAnswer(client);
    await stillServes();
  });

  it('closes a connection that uses an unknown API key or an unsupported version', async () => {
    for (const [key, version] of [
      [999, 0],
      [3, 77],
    ] as const) {
      const client = await RawClient.connect(t.port);
      const frame = client.frame(Metadata, 1, { topics: [], allowAutoTopicCreation: false });
      frame.writeInt16BE(key, 4);
      frame.writeInt16BE(version, 6);
      client.write(frame);
      await expectClosedWithoutAnswer(client);
    }
    await stillServes();
  });

  it('closes a connection whose request body is truncated', async () => {
    const client = await RawClient.connect(t.port);
    const frame = client.frame(Metadata, 4, { topics: [{ name: 'abc' }], allowAutoTopicCreation: false });
    const cut = frame.subarray(0, frame.length - 4);
    cut.writeInt32BE(cut.length - 4, 0);
    client.write(cut);
    await expectClosedWithoutAnswer(client);
    await stillServes();
  });

  it('survives random bytes from many connections', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const socket = net.connect(t.port, '127.0.0.1');
        socket.on('error', () => {});
        await new Promise((resolve) => socket.once('connect', resolve));
        const bytes = Buffer.from(Array.from({ length: 1 + (random() % 200) }, () => random() & 0xff));
        socket.end(bytes);
        await new Promise((resolve) => socket.once('close', resolve));
      }),
    );
    await stillServes();
  });

  it('serves hundreds of concurrent connections', async () => {
    const clients = await Promise.all(Array.from({ length: 300 }, () => RawClient.connect(t.port)));
    const answers = await Promise.all(
      clients.map((c) => c.request(Metadata, 4, { topics: null, allowAutoTopicCreation: false })),
    );
    expect(answers.every((a) => a.brokers.length === 1)).toBe(true);
    for (const c of clients) c.close();
  });

  it('answers pipelined requests in order on one connection', async () => {
    const client = await RawClient.connect(t.port);
    const frames = Array.from({ length: 20 }, (_, i) =>
      client.frame(Metadata, 4, { topics: [], allowAutoTopicCreation: false }, 1000 + i),
    );
    const responses = Array.from({ length: 20 }, () => client.nextFrame());
    client.write(Buffer.concat(frames));
    const ids = (await Promise.all(responses)).map((f) => f.readInt32BE(0));
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + i));
    client.close();
  });

  it('answers a topic named twice in one CreateTopics once, with INVALID_REQUEST', async () => {
    const client = await RawClient.connect(t.port);
    const name = uniqueTopic('twice');
    const topic = { name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] };
    const response = await client.request(CreateTopics, 3, {
      topics: [topic, topic],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(response.topics.map((x) => [x.name, x.errorCode])).toEqual([[name, ErrorCode.INVALID_REQUEST]]);
    client.close();
  });

  it('refuses Metadata for unknown and invalid topics without creating them', async () => {
    const client = await RawClient.connect(t.port);
    const name = uniqueTopic('unknown');
    const ask = () =>
      client.request(Metadata, 4, {
        topics: [{ name }, { name: 'bad name!' }],
        allowAutoTopicCreation: true,
      });
    const first = await ask();
    // The order of topics in the answer is not the request's on Kafka.
    const byName = new Map(first.topics.map((x) => [x.name, [x.errorCode, x.partitions.length]]));
    expect(byName).toEqual(
      new Map([
        [name, [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0]],
        ['bad name!', [ErrorCode.INVALID_TOPIC_EXCEPTION, 0]],
      ]),
    );
    expect((await ask()).topics.find((x) => x.name === name)!.errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    client.close();
  });

  it('answers DescribeConfigs for other brokers and unknown resource types with INVALID_REQUEST', async () => {
    const client = await RawClient.connect(t.port);
    const describe = async (resourceType: number, resourceName: string) =>
      (
        await client.request(DescribeConfigs, 1, {
          resources: [{ resourceType, resourceName, configurationKeys: ['num.partitions'] }],
          includeSynonyms: false,
        })
      ).results[0]!;
    expect((await describe(4, '2')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await describe(4, 'abc')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await describe(7, 'x')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    // An empty broker name asks for the cluster-wide dynamic defaults: none are set.
    expect(await describe(4, '')).toMatchObject({ errorCode: 0, configs: [] });
    client.close();
  });

  it('answers ListOffsets for a negative partition or unknown topic per partition', async () => {
    const client = await RawClient.connect(t.port);
    const response = await client.request(ListOffsets, 2, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: uniqueTopic('none'), partitions: [{ partitionIndex: -1, timestamp: -1n }] }],
    });
    expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    client.close();
  });
});
