export { readTopic, type RawRecord } from '../../src/ops/readTopic.js';
