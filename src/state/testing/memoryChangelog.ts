import type {
  ChangelogOffsets,
  ChangelogReadRequest,
  ChangelogRecord,
  ChangelogSource,
} from '../changelogSource.js';

interface Partition {
  logStartOffset: bigint;
  endOffset: bigint;
  records: ChangelogRecord[];
}

/** A changelog in memory, for unit tests of what reads changelogs. */
export class MemoryChangelog implements ChangelogSource {
  private readonly partitions = new Map<string, Partition>();
  readonly reads: Omit<ChangelogReadRequest, 'onRecords'>[] = [];
  /** When set, read() fails after handing over this many calls. */
  failAfterCalls: number | undefined;

  append(topic: string, partition: number, key: string, value: string | null): bigint {
    const log = this.partition(topic, partition);
    const offset = log.endOffset++;
    log.records.push({ offset, key, value: value === null ? null : Buffer.from(value) });
    return offset;
  }

  /** Advances the end over offsets a read_committed reader never sees (markers, aborted data). */
  skip(topic: string, partition: number, count: number): void {
    this.partition(topic, partition).endOffset += BigInt(count);
  }

  /** Drops everything below `offset`, as retention or DeleteRecords would. */
  truncate(topic: string, partition: number, offset: bigint): void {
    const log = this.partition(topic, partition);
    log.logStartOffset = offset;
    log.records = log.records.filter((r) => r.offset >= offset);
  }

  async offsets(topic: string, partition: number): Promise<ChangelogOffsets> {
    const { logStartOffset, endOffset } = this.partition(topic, partition);
    return { logStartOffset, endOffset };
  }

  async read(request: ChangelogReadRequest): Promise<void> {
    const { onRecords, ...rest } = request;
    this.reads.push(rest);
    const log = this.partition(request.topic, request.partition);
    const records = log.records.filter((r) => r.offset >= request.from);
    let calls = 0;
    let position = request.from;
    for (let i = 0; i < records.length && position < request.to; i += request.maxRecords) {
      if (calls++ === this.failAfterCalls) throw new Error('changelog read failed');
      const chunk = records.slice(i, i + request.maxRecords);
      position = chunk.at(-1)!.offset + 1n;
      await onRecords(chunk, position);
    }
    if (position < request.to) await onRecords([], request.to);
  }

  private partition(topic: string, partition: number): Partition {
    const name = `${topic}-${partition}`;
    let log = this.partitions.get(name);
    if (!log) {
      log = { logStartOffset: 0n, endOffset: 0n, records: [] };
      this.partitions.set(name, log);
    }
    return log;
  }
}
