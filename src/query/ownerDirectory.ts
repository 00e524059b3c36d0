import type { Admin } from 'kafkajs';
import { readAssignmentMap } from '../processor/coPartitionedAssigner.js';

type Owners = Readonly<Record<string, string | null>>;

interface Entry {
  at: number;
  owners: Owners;
  refreshing?: Promise<Owners>;
}

/**
 * Which instance owns each partition of a processor: the partition → endpoint map the
 * co-partitioned assigner hands every member of the processor's group, read with DescribeGroups.
 * Cached; refreshed when older than `maxAgeMs`, or on demand after a miss (at most one refresh
 * in flight per group).
 */
export class OwnerDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly admin: Admin,
    private readonly maxAgeMs = 5000,
  ) {}

  /** The endpoint owning `partition` in `group`, or undefined if none is known. */
  async ownerOf(
    group: string,
    partition: number,
    options: { fresh?: boolean } = {},
  ): Promise<string | undefined> {
    const owners = await this.owners(group, options.fresh ?? false);
    return owners[String(partition)] ?? undefined;
  }

  private async owners(group: string, fresh: boolean): Promise<Owners> {
    const entry = this.entries.get(group);
    const age = entry ? Date.now() - entry.at : Infinity;
    if (entry && age < (fresh ? 50 : this.maxAgeMs)) return entry.owners;
    if (entry?.refreshing) return entry.refreshing;
    const next: Entry = entry ?? { at: 0, owners: {} };
    next.refreshing = this.describe(group).finally(() => (next.refreshing = undefined));
    this.entries.set(group, next);
    next.owners = await next.refreshing;
    next.at = Date.now();
    return next.owners;
  }

  private async describe(group: string): Promise<Owners> {
    const { groups } = await this.admin.describeGroups([group]);
    for (const member of groups[0]?.members ?? []) {
      const map = readAssignmentMap(member.memberAssignment);
      if (map) return map.partitions;
    }
    return {};
  }
}
