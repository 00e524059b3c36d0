import type { Admin } from 'kafkajs';
import { readTaskAssignment, type TaskAssignment } from '../processor/taskAssigner.js';

type Owners = TaskAssignment['owners'];

interface Entry {
  at: number;
  owners: Owners;
  refreshing?: Promise<Owners>;
}

/**
 * Which instance owns each task (processor, partition): the map the task assigner hands every
 * member of the application's group, read with DescribeGroups. Cached; refreshed when older than
 * `maxAgeMs`, or on demand after a miss (at most one refresh in flight).
 */
export class OwnerDirectory {
  private entry: Entry = { at: 0, owners: {} };

  constructor(
    private readonly admin: Admin,
    /** The application's group. */
    private readonly groupId: string,
    private readonly maxAgeMs = 5000,
  ) {}

  /** The endpoint owning `partition` of `processor`, or undefined if none is known. */
  async ownerOf(
    processor: string,
    partition: number,
    options: { fresh?: boolean } = {},
  ): Promise<string | undefined> {
    const owners = await this.owners(options.fresh ?? false);
    return owners[processor]?.[String(partition)] ?? undefined;
  }

  private async owners(fresh: boolean): Promise<Owners> {
    const entry = this.entry;
    const age = Date.now() - entry.at;
    if (age < (fresh ? 50 : this.maxAgeMs)) return entry.owners;
    if (entry.refreshing) return entry.refreshing;
    entry.refreshing = this.describe().finally(() => (entry.refreshing = undefined));
    entry.owners = await entry.refreshing;
    entry.at = Date.now();
    return entry.owners;
  }

  private async describe(): Promise<Owners> {
    const { groups } = await this.admin.describeGroups([this.groupId]);
    for (const member of groups[0]?.members ?? []) {
      const assignment = readTaskAssignment(member.memberAssignment);
      if (assignment) return assignment.owners;
    }
    return {};
  }
}
