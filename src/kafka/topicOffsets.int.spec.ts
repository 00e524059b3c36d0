import { expect, it } from 'vitest';
import { forEachBroker } from '../../test/support/brokerTargets.js';
import { fetchTopicOffsets } from './topicOffsets.js';

forEachBroker('fetchTopicOffsets', {}, (target) => {
  it('answers for topics asked about the moment they are created, and refuses unknown topics', async () => {
    const admin = target.kafka('topic-offsets').admin();
    await admin.connect();
    try {
      // Asked at once (no wait for leaders): Kafka names a new partition's leader before that
      // leader serves it (NOT_LEADER_OR_FOLLOWER meanwhile), and KafkaJS's own fetchTopicOffsets
      // gives up on that at once.
      const topics = Array.from({ length: 8 }, (_, i) => `offsets-${i}-${Date.now()}`);
      for (const topic of topics) {
        await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
        const offsets = await fetchTopicOffsets(admin, topic);
        expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
          [0, '0', '0'],
          [1, '0', '0'],
          [2, '0', '0'],
        ]);
      }
      await expect(fetchTopicOffsets(admin, `missing-${Date.now()}`, 5000)).rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
  });
});
