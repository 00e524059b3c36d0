import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { DecodedRecord } from './recordDecoder.js';
import { tailJson, tailRecord } from './tailRecord.js';

const message = (value: Buffer | null, headers: KafkaMessage['headers'] = {}): KafkaMessage => ({
  key: Buffer.from('k-1'),
  value,
  timestamp: '1700000000000',
  attributes: 0,
  offset: '12',
  headers,
});

/** A serde that knows one schema id (1) and refuses any other, as a registry would. */
const serde = {
  async decode(buffer: Buffer): Promise<DecodedRecord> {
    if (buffer.readInt32BE(1) !== 1) throw new Error('unknown schema id');
    return { type: 'kes.stock.ProductAdded', schemaId: 1, writerVersion: 1, version: 1, value: { n: 7n } };
  },
};

const framed = (id: number) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), Buffer.from([2])]);

describe('tail records', () => {
  it('decode a value of a known schema, with its type, headers and key as text', async () => {
    const record = await tailRecord(
      serde,
      'stock.events',
      3,
      message(framed(1), { ce_id: Buffer.from('e-1'), multi: [Buffer.from('a'), Buffer.from('b')] }),
    );
    expect(record).toEqual({
      topic: 'stock.events',
      partition: 3,
      offset: '12',
      timestamp: '1700000000000',
      key: 'k-1',
      headers: { ce_id: 'e-1', multi: ['a', 'b'] },
      type: 'kes.stock.ProductAdded',
      value: { n: 7n },
    });
    expect(JSON.parse(tailJson(record)).value).toEqual({ n: '7' });
  });

  it('show anything else as text, with no type, and a tombstone as null', async () => {
    expect(await tailRecord(serde, 't', 0, message(Buffer.from('plain')))).toMatchObject({
      type: null,
      value: 'plain',
    });
    expect((await tailRecord(serde, 't', 0, message(framed(2)))).type).toBeNull();
    expect(await tailRecord(serde, 't', 0, message(null))).toMatchObject({ type: null, value: null });
  });
});
