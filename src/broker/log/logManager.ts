import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { ErrorCode, KafkaError } from '../protocol/errorCodes.js';
import { readJson, writeJsonAtomic } from '../storage/atomicFile.js';
import { PartitionLog } from './partitionLog.js';
import {
  checkTopicConfig,
  resolveTopicConfig,
  type TopicConfig,
  type TopicConfigValues,
} from './topicConfig.js';
import { collisionKey, topicNameError } from './topicName.js';

/**
 * Owns every topic and partition log under `<dataDir>/topics`: creates, loads and deletes them,
 * and runs the periodic work on them (retention, time-based flushes, index checkpoints).
 * Each topic is a directory holding `topic.json` (id, partition count, configs) and one
 * directory per partition.
 */

const TOPIC_FORMAT_VERSION = 1;

interface TopicMeta {
  formatVersion: number;
  name: string;
  topicId: string;
  partitions: number;
  configs: Record<string, string>;
  createdAt: number;
}

export interface Topic {
  readonly name: string;
  readonly topicId: string;
  readonly createdAt: number;
  readonly configs: TopicConfigValues;
  readonly config: TopicConfig;
  readonly partitions: readonly PartitionLog[];
}

export interface NewTopic {
  name: string;
  /** -1: the broker default. */
  numPartitions: number;
  /** -1: the broker default. */
  replicationFactor: number;
  /** Explicit replica assignment: partition → broker ids. */
  assignments?: { partitionIndex: number; brokerIds: number[] }[];
  configs?: { name: string; value: string | null }[];
}

export interface LogManagerOptions {
  dataDir: string;
  nodeId: number;
  defaultPartitions: number;
  defaultReplicationFactor: number;
  /** Broker-level topic config defaults (e.g. { 'segment.bytes': '1048576' }). */
  topicDefaults: TopicConfigValues;
  logger: Logger;
}

/** Checks topic configs; throws INVALID_CONFIG for the first bad one. */
function checkConfigs(configs: readonly { name: string; value: string | null }[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { name, value } of configs) {
    const error = checkTopicConfig(name, value);
    if (error) throw new KafkaError(ErrorCode.INVALID_CONFIG, error);
    values[name] = value!;
  }
  return values;
}

export class LogManager {
  private readonly topics = new Map<string, Topic>();
  private readonly topicsDir: string;
  private readonly deletedDir: string;
  private readonly deleteListeners = new Set<(topic: string) => void>();

  constructor(private readonly options: LogManagerOptions) {
    this.topicsDir = path.join(options.dataDir, 'topics');
    this.deletedDir = path.join(options.dataDir, 'deleted');
  }

  get topicDefaults(): TopicConfigValues {
    return this.options.topicDefaults;
  }

  /** Loads every topic from disk, recovering partition logs; clears topics deleted before a crash. */
  load(): void {
    fs.mkdirSync(this.topicsDir, { recursive: true });
    fs.rmSync(this.deletedDir, { recursive: true, force: true });
    for (const entry of fs.readdirSync(this.topicsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(this.topicsDir, entry.name);
      const meta = readJson<TopicMeta>(path.join(dir, 'topic.json'), TOPIC_FORMAT_VERSION);
      if (!meta) {
        // A topic directory without metadata is a creation interrupted by a crash.
        this.options.logger.warn({ dir }, 'removing a topic directory without topic.json');
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      this.topics.set(meta.name, this.openTopic(meta));
    }
    this.options.logger.info({ topics: this.topics.size }, 'loaded topics');
  }

  private openTopic(meta: TopicMeta): Topic {
    const config = resolveTopicConfig(meta.configs, this.options.topicDefaults);
    const dir = path.join(this.topicsDir, meta.name);
    const partitions = Array.from({ length: meta.partitions }, (_, p) =>
      PartitionLog.open(path.join(dir, String(p)), meta.name, p, config, this.options.logger),
    );
    return {
      name: meta.name,
      topicId: meta.topicId,
      createdAt: meta.createdAt,
      configs: meta.configs,
      config,
      partitions,
    };
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Checks a topic creation; throws the KafkaError a CreateTopics response should carry. */
  validate(request: NewTopic): { partitions: number; configs: Record<string, string> } {
    const invalidName = topicNameError(request.name);
    if (invalidName) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, invalidName);
    if (this.topics.has(request.name)) {
      throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${request.name}' already exists.`);
    }
    const colliding = [...this.topics.keys()].find((t) => collisionKey(t) === collisionKey(request.name));
    if (colliding) {
      throw new KafkaError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${request.name}' collides with existing topic: ${colliding}`,
      );
    }
    const assignments = request.assignments ?? [];
    let partitions = request.numPartitions === -1 ? this.options.defaultPartitions : request.numPartitions;
    if (assignments.length > 0) {
      if (request.numPartitions !== -1 || request.replicationFactor !== -1) {
        throw new KafkaError(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
      }
      assignments.forEach((a, i) => {
        if (a.partitionIndex !== i) {
          throw new KafkaError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            'Partitions should be a consecutive 0-based integer sequence',
          );
        }
        if (a.brokerIds.length !== 1 || a.brokerIds[0] !== this.options.nodeId) {
          throw new KafkaError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Replica assignment for partition ${i} must be exactly [${this.options.nodeId}]: this cluster has one broker`,
          );
        }
      });
      partitions = assignments.length;
    } else {
      if (partitions <= 0) {
        throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      }
      const replication =
        request.replicationFactor === -1 ? this.options.defaultReplicationFactor : request.replicationFactor;
      if (replication <= 0) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          'Replication factor must be larger than 0.',
        );
      }
      if (replication > 1) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${replication} time(s): The target replication factor of ${replication} cannot be reached because only 1 broker(s) are registered.`,
        );
      }
    }
    return { partitions, configs: checkConfigs(request.configs ?? []) };
  }

  /** Creates a topic synchronously: when this returns, its partitions accept produce and fetch. */
  create(request: NewTopic): Topic {
    const { partitions, configs } = this.validate(request);
    const meta: TopicMeta = {
      formatVersion: TOPIC_FORMAT_VERSION,
      name: request.name,
      topicId: randomUUID(),
      partitions,
      configs,
      createdAt: Date.now(),
    };
    const dir = path.join(this.topicsDir, request.name);
    fs.mkdirSync(dir, { recursive: true });
    const topic = this.openTopic(meta);
    // topic.json last: a directory without it is an unfinished creation, removed at load.
    writeJsonAtomic(path.join(dir, 'topic.json'), meta);
    this.topics.set(meta.name, topic);
    this.options.logger.info({ topic: meta.name, partitions, configs }, 'created topic');
    return topic;
  }

  /**
   * AlterConfigs: replaces the topic's configs; those left out return to their defaults. The
   * partitions act on the new values at once.
   */
  alterConfigs(
    name: string,
    configs: readonly { name: string; value: string | null }[],
    validateOnly: boolean,
  ): void {
    const topic = this.require(name);
    const values = checkConfigs(configs);
    if (validateOnly) return;
    const config = resolveTopicConfig(values, this.options.topicDefaults);
    for (const partition of topic.partitions) partition.updateConfig(config);
    this.replace({ ...topic, configs: values, config });
    this.options.logger.info({ topic: name, configs: values }, 'altered topic configs');
  }

  /** CreatePartitions: raises the partition count (it can never go down). */
  createPartitions(
    name: string,
    count: number,
    assignments: readonly number[][] | null,
    validateOnly: boolean,
  ): void {
    const topic = this.require(name);
    const current = topic.partitions.length;
    if (count < current) {
      throw new KafkaError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${current} partitions, which is higher than the requested ${count}.`,
      );
    }
    if (count === current)
      throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
    if (
      assignments &&
      (assignments.length !== count - current ||
        assignments.some((a) => a.length !== 1 || a[0] !== this.options.nodeId))
    ) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Each new partition must be assigned to [${this.options.nodeId}]: this cluster has one broker`,
      );
    }
    if (validateOnly) return;
    const dir = path.join(this.topicsDir, name);
    const added = Array.from({ length: count - current }, (_, i) =>
      PartitionLog.open(
        path.join(dir, String(current + i)),
        name,
        current + i,
        topic.config,
        this.options.logger,
      ),
    );
    this.replace({ ...topic, partitions: [...topic.partitions, ...added] });
    this.options.logger.info({ topic: name, from: current, to: count }, 'added partitions');
  }

  private require(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    return topic;
  }

  /** Persists a changed topic, then makes it the one served. */
  private replace(topic: Topic): void {
    const meta: TopicMeta = {
      formatVersion: TOPIC_FORMAT_VERSION,
      name: topic.name,
      topicId: topic.topicId,
      partitions: topic.partitions.length,
      configs: { ...topic.configs },
      createdAt: topic.createdAt,
    };
    writeJsonAtomic(path.join(this.topicsDir, topic.name, 'topic.json'), meta);
    this.topics.set(topic.name, topic);
  }

  /** Deletes a topic and its data; committed offsets for it go too (see onTopicDeleted). */
  delete(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    this.topics.delete(name);
    fs.mkdirSync(this.deletedDir, { recursive: true });
    const graveyard = path.join(this.deletedDir, `${name}-${topic.topicId}`);
    // Rename first: the topic is gone atomically, even if removing its files is interrupted.
    fs.renameSync(path.join(this.topicsDir, name), graveyard);
    for (const partition of topic.partitions) partition.remove();
    fs.rmSync(graveyard, { recursive: true, force: true });
    for (const listener of this.deleteListeners) listener(name);
    this.options.logger.info({ topic: name }, 'deleted topic');
  }

  onTopicDeleted(listener: (topic: string) => void): void {
    this.deleteListeners.add(listener);
  }

  /** Retention for every delete-policy partition. */
  applyRetention(now = Date.now()): void {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        try {
          partition.applyRetention(now);
        } catch (err) {
          this.options.logger.error(
            { err, topic: topic.name, partition: partition.partition },
            'retention failed',
          );
        }
      }
    }
  }

  /** fsyncs partitions whose flush.ms has passed. */
  flushDue(now = Date.now()): void {
    for (const topic of this.topics.values()) {
      if (topic.config.flushMs >= Number.MAX_SAFE_INTEGER) continue;
      for (const partition of topic.partitions) partition.maybeFlush(now);
    }
  }

  /** Saves active segment indexes, bounding what a restart after a crash must scan. */
  checkpoint(): void {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) partition.checkpoint();
    }
  }

  close(): void {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) partition.close();
    }
    this.topics.clear();
  }
}
