import { expect } from 'vitest';
import { RawClient } from './rawClient.js';
import { listOffset } from './wireRequests.js';

/** The high watermark and last stable offset of partition 0, from ListOffsets. */
export async function ends(port: number, topic: string) {
  const client = await RawClient.connect(port);
  try {
    return {
      high: (await listOffset(client, topic, -1n, { isolationLevel: 0 })).offset,
      stable: (await listOffset(client, topic, -1n, { isolationLevel: 1 })).offset,
    };
  } finally {
    client.close();
  }
}

/**
 * Waits until partition 0's ends are as expected (at most 10 s), and fails saying what they were.
 * Kafka writes transaction markers just after EndTxn answers: this is how a test waits for them.
 */
export async function untilEnds(port: number, topic: string, expected: { high: bigint; stable: bigint }) {
  const deadline = Date.now() + 10_000;
  let now = await ends(port, topic);
  while ((now.high !== expected.high || now.stable !== expected.stable) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    now = await ends(port, topic);
  }
  expect(now).toEqual(expected);
}
