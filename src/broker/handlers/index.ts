import { apiVersionsHandler } from './apiVersions.js';
import { createTopicsHandler } from './createTopics.js';
import { deleteRecordsHandler } from './deleteRecords.js';
import { deleteTopicsHandler } from './deleteTopics.js';
import { describeConfigsHandler } from './describeConfigs.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './findCoordinator.js';
import type { Handler } from './handler.js';
import { listOffsetsHandler } from './listOffsets.js';
import { metadataHandler } from './metadata.js';
import { produceHandler } from './produce.js';

/** Every API the broker serves. ApiVersions is built from this list. */
export const handlers: readonly Handler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  findCoordinatorHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  describeConfigsHandler,
] as Handler[];
