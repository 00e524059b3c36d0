export type { KeyValueStore, RangeOptions, StoreWrite } from './keyValueStore.js';
export { MemoryKeyValueStore } from './memoryKeyValueStore.js';
export { LevelKeyValueStore } from './levelKeyValueStore.js';
export { TransactionalStore } from './transactionalStore.js';
export { TypedStore, jsonStore } from './typedStore.js';
export { type ValueCodec, bufferCodec, jsonCodec, stringCodec } from './valueCodec.js';
export { type Bound, checkKey, compareKeys, inRange, type KeyRange, keyRange } from './keyOrder.js';
export {
  compositeKey,
  compositePrefix,
  compositeRange,
  decodeCompositeKey,
  decodeKeyPart,
  encodeKeyPart,
  KEY_PART_SEPARATOR,
} from './compositeKey.js';
export type {
  ChangelogOffsets,
  ChangelogReadRequest,
  ChangelogRecord,
  ChangelogSource,
} from './changelogSource.js';
export { ChangelogReader, type ChangelogReaderOptions } from './changelogReader.js';
export {
  restoreStore,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreResult,
} from './restoreStore.js';
export { STATE_ERRORS, StateError, type StateErrorCode } from './stateError.js';
