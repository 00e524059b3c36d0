import * as path from 'node:path';
import { readJson, writeJsonAtomic } from '../storage/atomicFile.js';

/**
 * `partition.json`: what a partition keeps beside its segments — the log start offset
 * (DeleteRecords, retention) and the log cleaner's checkpoint. Version 2 added the checkpoint;
 * version 1 files are still read.
 */
const STATE_FILE = 'partition.json';
const STATE_FORMAT_VERSION = 2;

interface PartitionStateFile {
  formatVersion: number;
  logStartOffset: string;
  /** Offsets below it were compacted; absent before the first cleaning pass. */
  firstDirtyOffset?: string;
}

export interface PartitionState {
  logStartOffset: bigint;
  cleanerCheckpoint: bigint | undefined;
}

export function readPartitionState(dir: string): PartitionState | undefined {
  const file = readJson<PartitionStateFile>(path.join(dir, STATE_FILE), [1, STATE_FORMAT_VERSION]);
  if (!file) return undefined;
  return {
    logStartOffset: BigInt(file.logStartOffset),
    cleanerCheckpoint: file.firstDirtyOffset === undefined ? undefined : BigInt(file.firstDirtyOffset),
  };
}

export function writePartitionState(dir: string, state: PartitionState): void {
  const file: PartitionStateFile = {
    formatVersion: STATE_FORMAT_VERSION,
    logStartOffset: state.logStartOffset.toString(),
    ...(state.cleanerCheckpoint === undefined
      ? {}
      : { firstDirtyOffset: state.cleanerCheckpoint.toString() }),
  };
  writeJsonAtomic(path.join(dir, STATE_FILE), file);
}
