import type { Admin } from 'kafkajs';
import { readMemberEndpoint, readTaskAssignment } from '../processor/taskAssigner.js';

/** One member of the application's group: the endpoint it advertises and the tasks it holds. */
export interface ApplicationInstance {
  /** Its HTTP URL ('' when it advertises none). */
  readonly endpoint: string;
  /** Processor → partitions it owns, sorted. */
  readonly processors: Record<string, number[]>;
}

/**
 * The instances of an application as its group has them (DescribeGroups): each member's
 * endpoint (from its metadata) and its tasks (from the assignment the task assigner handed it).
 * View generations run in the same group, so their processors (`<name>.g<n>`) are listed too.
 * A member still joining has no assignment yet: it is listed with no processors.
 */
export async function applicationInstances(admin: Admin, groupId: string): Promise<ApplicationInstance[]> {
  const { groups } = await admin.describeGroups([groupId]);
  const instances = (groups[0]?.members ?? []).map((member) => {
    const assignment =
      member.memberAssignment.length > 0 ? readTaskAssignment(member.memberAssignment) : undefined;
    const processors = Object.fromEntries(
      Object.entries(assignment?.tasks ?? {})
        .filter(([, partitions]) => partitions.length > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([processor, partitions]) => [processor, [...partitions].sort((a, b) => a - b)]),
    );
    return { endpoint: readMemberEndpoint(member.memberMetadata) ?? '', processors };
  });
  return instances.sort((a, b) => a.endpoint.localeCompare(b.endpoint));
}
