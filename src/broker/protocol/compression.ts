import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

/**
 * Record batch compression codecs (attributes bits 0-2). Node's zlib provides gzip; the broker
 * stores batches in the other codecs as the producer sent them, without looking inside.
 */
export const Codec = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;
export type Codec = (typeof Codec)[keyof typeof Codec];

export const codecName = (codec: number) =>
  (['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)[codec] ?? `codec-${codec}`;

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/** Whether the broker can read inside batches of this codec (validate records, search timestamps). */
export const canDecompress = (codec: number) => codec === Codec.NONE || codec === Codec.GZIP;

export async function decompress(codec: number, data: Buffer): Promise<Buffer> {
  if (codec === Codec.NONE) return data;
  if (codec === Codec.GZIP) return gunzipAsync(data);
  throw new Error(`cannot decompress ${codecName(codec)}`);
}

export async function compress(codec: number, data: Buffer): Promise<Buffer> {
  if (codec === Codec.NONE) return data;
  if (codec === Codec.GZIP) return gzipAsync(data);
  throw new Error(`cannot compress ${codecName(codec)}`);
}
