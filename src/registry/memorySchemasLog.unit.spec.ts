import { MemorySchemasLog, MemorySchemasTopic } from './memorySchemasLog.js';
import { schemasLogContract } from './testing/schemasLogContract.js';

schemasLogContract('MemorySchemasLog', async () => {
  const topic = new MemorySchemasTopic();
  return {
    open: () => new MemorySchemasLog(topic),
    writeRaw: async (key, value) =>
      topic.append({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value) }),
    close: async () => {},
  };
});
