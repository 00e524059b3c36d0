import { describe, expect, it } from 'vitest';
import { unansweredPartitions } from './idempotentSender.js';

describe('unansweredPartitions', () => {
  const batch = {
    topicMessages: [
      {
        topic: 'a',
        messages: [
          { value: '1', partition: 0 },
          { value: '2', partition: 3 },
        ],
      },
      { topic: 'b', messages: [{ value: '3', partition: 3 }, { value: '4' }] },
    ],
  };
  const answer = (topicName: string, partition: number) => ({ topicName, partition, errorCode: 0 });

  it('names the partitions of the batch that got no answer, once each', () => {
    expect(unansweredPartitions(batch, [answer('a', 0), answer('b', 3)])).toEqual(['a:3']);
    expect(unansweredPartitions(batch, [])).toEqual(['a:0', 'a:3', 'b:3']);
  });

  it('finds nothing missing when every named partition answered (a record without one is not checked)', () => {
    expect(unansweredPartitions(batch, [answer('a', 0), answer('a', 3), answer('b', 3)])).toEqual([]);
  });
});
