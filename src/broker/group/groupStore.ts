import type { Logger } from 'pino';
import type { GroupJournal } from './groupJournal.js';
import type { CommittedOffset, JournalRecord } from './journalRecord.js';

/** What a group keeps across restarts: its committed offsets and its last generation. */
export interface StoredGroup {
  generationId: number;
  protocolType: string;
  /** topic → partition → committed offset. */
  readonly offsets: Map<string, Map<number, CommittedOffset>>;
  /** producer id → offsets of its open transaction, committed when it commits. */
  readonly pending: Map<bigint, CommittedOffset[]>;
}

export interface GroupStoreOptions {
  readonly logger: Logger;
  /** The journal is compacted once it holds more than this many entries and twice the live ones. */
  readonly compactMinEntries: number;
}

/**
 * The durable side of the group coordinator: committed offsets and generations, kept in memory
 * and written to a journal before any change is visible. Every change goes through `apply`, on
 * replay as on write, so the two cannot disagree. When the journal has grown well beyond the live
 * state it is rewritten as one snapshot of that state.
 */
export class GroupStore {
  private readonly groups = new Map<string, StoredGroup>();
  /** Entries in the journal: one per committed offset, one per other record. */
  private journalEntries = 0;

  constructor(
    private readonly journal: GroupJournal,
    private readonly options: GroupStoreOptions,
  ) {}

  /** Replays the journal; returns the groups it knew. */
  load(): ReadonlyMap<string, StoredGroup> {
    const records = this.journal.replay();
    for (const record of records) this.apply(record);
    this.options.logger.info(
      { groups: this.groups.size, offsets: this.liveEntries() - this.groups.size, records: records.length },
      'loaded group offsets',
    );
    this.maybeCompact();
    return this.groups;
  }

  get(groupId: string): StoredGroup | undefined {
    return this.groups.get(groupId);
  }

  offset(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.offsets.get(topic)?.get(partition);
  }

  /** Every offset the group has committed. */
  allOffsets(groupId: string): CommittedOffset[] {
    const offsets = this.groups.get(groupId)?.offsets;
    return offsets ? [...offsets.values()].flatMap((partitions) => [...partitions.values()]) : [];
  }

  commit(groupId: string, offsets: readonly CommittedOffset[]): void {
    if (offsets.length > 0) this.write({ type: 'commit', groupId, offsets });
  }

  recordGeneration(groupId: string, generationId: number, protocolType: string): void {
    this.write({ type: 'generation', groupId, generationId, protocolType });
  }

  /** Offsets of an open transaction: invisible until `endTransaction` commits them. */
  commitPending(groupId: string, producerId: bigint, offsets: readonly CommittedOffset[]): void {
    if (offsets.length > 0) this.write({ type: 'txnCommit', groupId, producerId, offsets });
  }

  /** The producer's transaction ended: its pending offsets for the group are committed or dropped. */
  endTransaction(groupId: string, producerId: bigint, commit: boolean): void {
    if (this.groups.get(groupId)?.pending.has(producerId))
      this.write({ type: 'txnEnd', groupId, producerId, commit });
  }

  /** Groups holding pending offsets of this producer. */
  groupsWithPending(producerId: bigint): string[] {
    return [...this.groups].filter(([, g]) => g.pending.has(producerId)).map(([id]) => id);
  }

  deleteGroup(groupId: string): void {
    if (this.groups.has(groupId)) this.write({ type: 'deleteGroup', groupId });
  }

  /** Topics any group has offsets for. */
  topics(): Set<string> {
    const topics = new Set<string>();
    for (const group of this.groups.values()) for (const topic of group.offsets.keys()) topics.add(topic);
    return topics;
  }

  deleteTopic(topic: string): void {
    for (const group of this.groups.values()) {
      if (group.offsets.has(topic)) {
        this.write({ type: 'deleteTopic', topic });
        return;
      }
    }
  }

  close(): void {
    this.journal.close();
  }

  private write(record: JournalRecord): void {
    this.journal.append(record);
    this.apply(record);
    this.maybeCompact();
  }

  private apply(record: JournalRecord): void {
    this.journalEntries +=
      record.type === 'commit' || record.type === 'txnCommit' ? record.offsets.length : 1;
    switch (record.type) {
      case 'commit':
        this.setOffsets(this.getOrCreate(record.groupId), record.offsets);
        break;
      case 'txnCommit': {
        const pending = this.getOrCreate(record.groupId).pending;
        pending.set(record.producerId, [...(pending.get(record.producerId) ?? []), ...record.offsets]);
        break;
      }
      case 'txnEnd': {
        const group = this.groups.get(record.groupId);
        const offsets = group?.pending.get(record.producerId);
        if (!group || !offsets) break;
        group.pending.delete(record.producerId);
        if (record.commit) this.setOffsets(group, offsets);
        break;
      }
      case 'generation': {
        const group = this.getOrCreate(record.groupId);
        group.generationId = record.generationId;
        group.protocolType = record.protocolType;
        break;
      }
      case 'deleteGroup':
        this.groups.delete(record.groupId);
        break;
      case 'deleteTopic':
        for (const group of this.groups.values()) {
          group.offsets.delete(record.topic);
          for (const [producerId, offsets] of group.pending) {
            group.pending.set(
              producerId,
              offsets.filter((o) => o.topic !== record.topic),
            );
          }
        }
        break;
    }
  }

  private setOffsets(group: StoredGroup, offsets: readonly CommittedOffset[]): void {
    for (const o of offsets) {
      let partitions = group.offsets.get(o.topic);
      if (!partitions) group.offsets.set(o.topic, (partitions = new Map()));
      partitions.set(o.partition, o);
    }
  }

  private getOrCreate(groupId: string): StoredGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { generationId: 0, protocolType: '', offsets: new Map(), pending: new Map() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Entries a snapshot of the current state holds: each offset, plus a generation per group. */
  private liveEntries(): number {
    let entries = 0;
    for (const group of this.groups.values()) {
      entries += 1;
      for (const partitions of group.offsets.values()) entries += partitions.size;
      for (const offsets of group.pending.values()) entries += offsets.length;
    }
    return entries;
  }

  private maybeCompact(): void {
    const live = this.liveEntries();
    if (this.journalEntries <= Math.max(this.options.compactMinEntries, 2 * live)) return;
    const snapshot = this.snapshot();
    this.journal.rewrite(snapshot);
    this.options.logger.debug(
      { entriesBefore: this.journalEntries, entriesAfter: live },
      'compacted the group journal',
    );
    this.journalEntries = live;
  }

  /** The current state as records: per group, its generation, then all its offsets in one commit. */
  snapshot(): JournalRecord[] {
    const records: JournalRecord[] = [];
    for (const [groupId, group] of this.groups) {
      records.push({
        type: 'generation',
        groupId,
        generationId: group.generationId,
        protocolType: group.protocolType,
      });
      const offsets = this.allOffsets(groupId);
      if (offsets.length > 0) records.push({ type: 'commit', groupId, offsets });
      for (const [producerId, pending] of group.pending) {
        records.push({ type: 'txnCommit', groupId, producerId, offsets: pending });
      }
    }
    return records;
  }
}
