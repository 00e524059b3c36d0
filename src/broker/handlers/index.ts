import { alterConfigsHandler } from './alterConfigs.js';
import { alterPartitionReassignmentsHandler } from './alterPartitionReassignments.js';
import { createPartitionsHandler } from './createPartitions.js';
import { addOffsetsToTxnHandler } from './addOffsetsToTxn.js';
import { addPartitionsToTxnHandler } from './addPartitionsToTxn.js';
import { endTxnHandler } from './endTxn.js';
import { initProducerIdHandler } from './initProducerId.js';
import { txnOffsetCommitHandler } from './txnOffsetCommit.js';
import { apiVersionsHandler } from './apiVersions.js';
import { createTopicsHandler } from './createTopics.js';
import { deleteGroupsHandler } from './deleteGroups.js';
import { deleteRecordsHandler } from './deleteRecords.js';
import { deleteTopicsHandler } from './deleteTopics.js';
import { describeConfigsHandler } from './describeConfigs.js';
import { describeGroupsHandler } from './describeGroups.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './findCoordinator.js';
import type { Handler } from './handler.js';
import { heartbeatHandler } from './heartbeat.js';
import { joinGroupHandler } from './joinGroup.js';
import { leaveGroupHandler } from './leaveGroup.js';
import { listGroupsHandler } from './listGroups.js';
import { listOffsetsHandler } from './listOffsets.js';
import { listPartitionReassignmentsHandler } from './listPartitionReassignments.js';
import { metadataHandler } from './metadata.js';
import { offsetCommitHandler } from './offsetCommit.js';
import { offsetFetchHandler } from './offsetFetch.js';
import { produceHandler } from './produce.js';
import { syncGroupHandler } from './syncGroup.js';

/** Every API the broker serves. ApiVersions is built from this list. */
export const handlers: readonly Handler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  describeConfigsHandler,
  deleteGroupsHandler,
  initProducerIdHandler,
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  txnOffsetCommitHandler,
  alterConfigsHandler,
  createPartitionsHandler,
  alterPartitionReassignmentsHandler,
  listPartitionReassignmentsHandler,
] as Handler[];
