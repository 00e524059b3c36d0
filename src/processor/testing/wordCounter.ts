import type { Processor } from '../processor.js';
import type { TopologySpec } from '../../topology/topologySpec.js';

/**
 * The runtime with a word counter: input `words` (key = word), a store of counts logged to
 * `counts.changelog`, output `word-counts` (key = word, value = its new count). A word "poison"
 * makes the processor throw.
 */
const PARTITIONS = 4;
const topic = (name: string, cleanupPolicy: 'delete' | 'compact' = 'delete') => ({
  name,
  partitions: PARTITIONS,
  key: 'word',
  cleanupPolicy,
  configs: {},
  replicationFactor: 1,
  description: name,
});
export const topology: TopologySpec = {
  applicationId: 'wc',
  topics: [
    topic('words'),
    topic('word-counts'),
    topic('receipts'),
    topic('counts.changelog', 'compact'),
    topic('counter.dlq'),
  ],
  processors: [
    {
      name: 'counter',
      kind: 'view',
      inputs: ['words'],
      stores: [{ name: 'counts', changelog: 'counts.changelog', description: 'count per word' }],
      outputs: ['word-counts', 'receipts', 'counter.dlq'],
      description: 'counts words',
    },
  ],
};

export const counter: Processor = {
  name: 'counter',
  async process(record, ctx) {
    if (record.key === 'poison') throw new Error('cannot count poison');
    const store = ctx.store('counts');
    const count = Number((await store.get(record.key!))?.toString() ?? '0') + 1;
    store.put(record.key!, Buffer.from(String(count)));
    const written = ctx.forward({ topic: 'word-counts', key: record.key, value: Buffer.from(String(count)) });
    // A receipt citing where the count landed, written in the same transaction.
    ctx.forwardAfter(() => ({
      topic: 'receipts',
      key: record.key,
      value: Buffer.from(`${written.position!.partition}:${written.position!.offset}:${count}`),
    }));
  },
  onError(record, error, ctx) {
    ctx.forward({ topic: 'word-counts', key: record.key, value: Buffer.from(`error: ${error.message}`) });
  },
};
