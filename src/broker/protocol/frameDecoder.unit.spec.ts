import { describe, expect, it } from 'vitest';
import { FrameDecoder } from './frameDecoder.js';
import { ProtocolError } from './protocolError.js';

const frame = (body: Buffer) => {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
};

describe('FrameDecoder', () => {
  it('reassembles frames split across reads and splits frames sharing a read', () => {
    const a = Buffer.alloc(12, 1);
    const b = Buffer.alloc(30, 2);
    const stream = Buffer.concat([frame(a), frame(b)]);
    const decoder = new FrameDecoder(1000);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 5) out.push(...decoder.push(stream.subarray(i, i + 5)));
    expect(out).toEqual([a, b]);
    expect(new FrameDecoder(1000).push(stream)).toEqual([a, b]);
  });

  it('rejects sizes beyond the limit or below the smallest request from the first four bytes', () => {
    expect(() => new FrameDecoder(100).push(Buffer.from([0, 0, 1, 0]))).toThrow(ProtocolError);
    expect(() => new FrameDecoder(100).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(ProtocolError);
    expect(() => new FrameDecoder(100).push(Buffer.from([0, 0, 0, 2]))).toThrow(ProtocolError);
    // "GET " as a size is about 1.2 GB: an HTTP request is refused before anything is buffered.
    expect(() => new FrameDecoder(100 * 1024 * 1024).push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(
      /frame size/,
    );
  });
});
