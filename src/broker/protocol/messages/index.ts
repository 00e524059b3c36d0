import type { Api } from '../api.js';
import { AddOffsetsToTxn } from './addOffsetsToTxn.js';
import { AddPartitionsToTxn } from './addPartitionsToTxn.js';
import { AlterConfigs } from './alterConfigs.js';
import { AlterPartitionReassignments } from './alterPartitionReassignments.js';
import { ApiVersions } from './apiVersions.js';
import { CreatePartitions } from './createPartitions.js';
import { CreateTopics } from './createTopics.js';
import { DeleteGroups } from './deleteGroups.js';
import { DeleteRecords } from './deleteRecords.js';
import { DeleteTopics } from './deleteTopics.js';
import { DescribeConfigs } from './describeConfigs.js';
import { DescribeGroups } from './describeGroups.js';
import { EndTxn } from './endTxn.js';
import { Fetch } from './fetch.js';
import { FindCoordinator } from './findCoordinator.js';
import { Heartbeat } from './heartbeat.js';
import { InitProducerId } from './initProducerId.js';
import { JoinGroup } from './joinGroup.js';
import { LeaveGroup } from './leaveGroup.js';
import { ListGroups } from './listGroups.js';
import { ListOffsets } from './listOffsets.js';
import { ListPartitionReassignments } from './listPartitionReassignments.js';
import { Metadata } from './metadata.js';
import { OffsetCommit } from './offsetCommit.js';
import { OffsetFetch } from './offsetFetch.js';
import { Produce } from './produce.js';
import { SyncGroup } from './syncGroup.js';
import { TxnOffsetCommit } from './txnOffsetCommit.js';

/** Every message definition, by API key (codec tests and tools; the broker serves its handlers). */
export const apisByKey: ReadonlyMap<number, Api> = new Map(
  [
    Produce,
    Fetch,
    ListOffsets,
    Metadata,
    OffsetCommit,
    OffsetFetch,
    FindCoordinator,
    JoinGroup,
    Heartbeat,
    LeaveGroup,
    SyncGroup,
    DescribeGroups,
    ListGroups,
    ApiVersions,
    CreateTopics,
    DeleteTopics,
    DeleteRecords,
    DescribeConfigs,
    DeleteGroups,
    InitProducerId,
    AddPartitionsToTxn,
    AddOffsetsToTxn,
    EndTxn,
    TxnOffsetCommit,
    AlterConfigs,
    CreatePartitions,
    AlterPartitionReassignments,
    ListPartitionReassignments,
  ].map((api) => [api.key, api as Api]),
);
