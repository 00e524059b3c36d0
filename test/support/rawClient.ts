import * as net from 'node:net';
import { type Api, decodeResponse, encodeRequest, isFlexible } from '../../src/broker/protocol/api.js';
import { Writer } from '../../src/broker/protocol/writer.js';

/**
 * A minimal Kafka client over a raw socket, built on the broker's own codecs: for tests that
 * need exact control of what is sent (versions, malformed frames, sequence numbers).
 */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting: ((frame: Buffer) => void)[] = [];
  private correlationId = 1;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (data) => {
      this.buffered = Buffer.concat([this.buffered, data]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends raw bytes as they are. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Frames a request (header v1, or v2 for flexible versions) and returns it without sending. */
  frame<Req>(api: Api<Req>, version: number, request: Req, correlationId = this.correlationId++): Buffer {
    const w = new Writer();
    w.int16(api.key).int16(version).int32(correlationId).nullableString('raw-client');
    if (isFlexible(api, version)) w.uvarint(0);
    encodeRequest(api, version, request, w);
    const body = w.toBuffer();
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    return Buffer.concat([size, body]);
  }

  /** Sends a request and resolves with the decoded response. */
  async request<Req, Res>(api: Api<Req, Res>, version: number, request: Req): Promise<Res> {
    const frame = await this.requestFrame(api, version, request);
    const headerSize = isFlexible(api, version) && api.key !== 18 ? 5 : 4;
    return decodeResponse(api, version, frame.subarray(headerSize));
  }

  /** Sends a request and resolves with the raw response frame (correlation id included). */
  requestFrame<Req>(api: Api<Req>, version: number, request: Req): Promise<Buffer> {
    const response = this.nextFrame();
    this.write(this.frame(api, version, request));
    return response;
  }

  nextFrame(): Promise<Buffer> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}
