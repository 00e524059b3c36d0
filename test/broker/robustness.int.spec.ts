import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/broker/protocol/errorCodes.js';
import { ApiVersions } from '../../src/broker/protocol/messages/apiVersions.js';
import { Metadata } from '../../src/broker/protocol/messages/metadata.js';
import { Reader } from '../../src/broker/protocol/reader.js';
import { startTestBroker, type TestBroker } from '../support/embeddedBroker.js';
import { RawClient } from '../support/rawClient.js';

let t: TestBroker;

beforeAll(async () => {
  t = await startTestBroker({ maxRequestBytes: 1024 * 1024 });
});
afterAll(() => t.stop());

/** The broker still serves a normal client. */
async function stillServes() {
  const client = await RawClient.connect(t.broker.port);
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

describe('broker robustness', () => {
  it('answers ApiVersions at a version above its own with UNSUPPORTED_VERSION and the v0 body', async () => {
    const client = await RawClient.connect(t.broker.port);
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
    expect(ranges).toContainEqual({ key: 18, min: 0, max: 3 });
    expect(r.remaining).toBe(0); // v0 body: no throttle time
    // The connection stays usable: the client retries at a version the broker speaks.
    const v3 = await client.request(ApiVersions, 3, {
      clientSoftwareName: 'kes-test',
      clientSoftwareVersion: '1',
    });
    expect(v3.errorCode).toBe(0);
    expect(v3.apiKeys.find((a) => a.apiKey === 0)).toEqual({ apiKey: 0, minVersion: 3, maxVersion: 7 });
    client.close();
  });

  it('closes a connection that sends garbage, and only that one', async () => {
    const bystander = await RawClient.connect(t.broker.port);
    const client = await RawClient.connect(t.broker.port);
    client.write(Buffer.from('GET / HTTP/1.1\r\nHost: kafka\r\n\r\n'));
    await expectClosedWithoutAnswer(client);
    const meta = await bystander.request(Metadata, 1, { topics: [], allowAutoTopicCreation: false });
    expect(meta.controllerId).toBe(1);
    bystander.close();
    await stillServes();
  });

  it('closes a connection whose frame is over the maximum request size', async () => {
    const client = await RawClient.connect(t.broker.port);
    const header = Buffer.alloc(4);
    header.writeInt32BE(2 * 1024 * 1024);
    client.write(header);
    await expectClosedWithoutAnswer(client);
    await stillServes();
  });

  it('closes a connection that uses an unknown API key or an unsupported version', async () => {
    for (const [key, version] of [
      [999, 0],
      [3, 77],
      [0, 0], // Produce v0 predates record batches v2
    ] as const) {
      const client = await RawClient.connect(t.broker.port);
      const frame = client.frame(Metadata, 1, { topics: [], allowAutoTopicCreation: false });
      frame.writeInt16BE(key, 4);
      frame.writeInt16BE(version, 6);
      client.write(frame);
      await expectClosedWithoutAnswer(client);
    }
    await stillServes();
  });

  it('closes a connection whose request body is truncated', async () => {
    const client = await RawClient.connect(t.broker.port);
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
        const socket = net.connect(t.broker.port, '127.0.0.1');
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
    const clients = await Promise.all(Array.from({ length: 300 }, () => RawClient.connect(t.broker.port)));
    const answers = await Promise.all(
      clients.map((c) => c.request(Metadata, 4, { topics: null, allowAutoTopicCreation: false })),
    );
    expect(answers.every((a) => a.brokers.length === 1)).toBe(true);
    expect(t.broker.connectionCount()).toBeGreaterThanOrEqual(300);
    for (const c of clients) c.close();
  });

  it('answers pipelined requests in order on one connection', async () => {
    const client = await RawClient.connect(t.broker.port);
    const frames = Array.from({ length: 20 }, (_, i) =>
      client.frame(Metadata, 4, { topics: [], allowAutoTopicCreation: false }, 1000 + i),
    );
    const responses = Array.from({ length: 20 }, () => client.nextFrame());
    client.write(Buffer.concat(frames));
    const ids = (await Promise.all(responses)).map((f) => f.readInt32BE(0));
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + i));
    client.close();
  });
});
