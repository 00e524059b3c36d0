import { ProtocolError } from './protocolError.js';

/**
 * Splits a byte stream into Kafka frames (int32 size, then that many bytes). A size below the
 * smallest possible request or above the limit is a protocol error, detected from the first four
 * bytes, before anything is buffered: so an HTTP request or random bytes sent to the Kafka port
 * cost nothing but the connection.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  /** The smallest request: api key, version, correlation id, client id length. */
  static readonly MIN_FRAME = 10;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes in; returns the complete frames now available (their bodies, without the size). */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekSize();
        if (size < FrameDecoder.MIN_FRAME || size > this.maxFrameBytes) {
          throw new ProtocolError(
            `frame size ${size} outside [${FrameDecoder.MIN_FRAME}, ${this.maxFrameBytes}] bytes`,
          );
        }
        this.expected = size;
        this.consume(4);
      }
      if (this.buffered < this.expected) break;
      frames.push(this.consume(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekSize(): number {
    const head = this.chunks[0]!;
    if (head.length >= 4) return head.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  private consume(n: number): Buffer {
    const head = this.chunks[0]!;
    if (head.length >= n) {
      const out = head.subarray(0, n);
      if (head.length === n) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
      this.buffered -= n;
      return out;
    }
    const all = Buffer.concat(this.chunks, this.buffered);
    const out = all.subarray(0, n);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.buffered -= n;
    return out;
  }
}
