// First: KafkaJS must be loaded after kes's fixes to it are in place.
import '../kafka/kafkaJsFixes.js';
import kafkajs, { type PartitionAssigner } from 'kafkajs';
import { assignPartitions } from './assignPartitions.js';

// AssignerProtocol is not a named export Node's ESM loader can see in KafkaJS's CommonJS build.
const { AssignerProtocol } = kafkajs;

/**
 * The KafkaJS assigner of an application's group (Kafka Streams' task assignor): it hands out
 * tasks, not partitions. A task is one partition number of one processor (of all its
 * co-partitioned inputs). Each member's metadata lists the processors it runs, with their input
 * topics and the partitions whose tasks it owns now; the leader assigns every processor's
 * partitions among the members running it, sticky and balanced (assignPartitions), from the
 * partition counts in the cluster's metadata.
 *
 * No topic partition is assigned to the group's consumers (they fetch nothing: each processor
 * reads its inputs with a consumer of its own). Every member's assignment carries, as user data,
 * its own tasks and the whole task → endpoint map, so any instance learns who owns which key
 * from DescribeGroups (`readTaskAssignment`).
 */
export const TASK_ASSIGNER = 'KesTasks';

export interface RunnerClaim {
  /** The processor's input topics (its partition count is their largest). */
  readonly inputs: readonly string[];
  /** Partition numbers whose tasks this member owns now (for stickiness). */
  readonly owned: readonly number[];
}

interface MemberUserData {
  v: 2;
  endpoint: string | null;
  processors: Record<string, RunnerClaim>;
}

export interface TaskAssignment {
  v: 2;
  /** The tasks of the member this assignment is for: processor → partition numbers. */
  tasks: Record<string, number[]>;
  /** Every task's owner: processor → partition number → endpoint (null when it advertises none). */
  owners: Record<string, Record<string, string | null>>;
}

export interface TaskAssignerOptions {
  /** This member's endpoint (e.g. http://10.0.0.5:3000), or null. */
  readonly endpoint: string | null;
  /** The processors this member runs now. */
  readonly claims: () => ReadonlyMap<string, RunnerClaim>;
}

export function taskAssigner(options: TaskAssignerOptions): PartitionAssigner {
  return ({ cluster }) => ({
    name: TASK_ASSIGNER,
    version: 2,
    async assign({ members }) {
      const claims = members.map((m) => ({ memberId: m.memberId, data: decodeUserData(m.memberMetadata) }));
      // The leader's metadata covers the topics it reads itself; other members may run processors
      // it does not (--processors, a view generation it has not started yet).
      const inputs = new Set(
        claims.flatMap((c) => Object.values(c.data?.processors ?? {}).flatMap((p) => p.inputs)),
      );
      await (cluster as unknown as { addMultipleTargetTopics(topics: string[]): Promise<void> })
        .addMultipleTargetTopics([...inputs])
        .catch(() => undefined);
      const partitionsOf = (topic: string) => {
        try {
          return cluster.findTopicPartitionMetadata(topic).length;
        } catch {
          return 0;
        }
      };
      const processors = new Map<string, number>();
      for (const { data } of claims) {
        for (const [name, claim] of Object.entries(data?.processors ?? {})) {
          const count = Math.max(processors.get(name) ?? 0, 0, ...claim.inputs.map(partitionsOf));
          processors.set(name, count);
        }
      }
      const tasks = new Map(claims.map((c) => [c.memberId, {} as Record<string, number[]>]));
      const owners: TaskAssignment['owners'] = {};
      for (const [name, count] of [...processors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const running = claims.filter((c) => c.data?.processors[name] !== undefined);
        const assigned = assignPartitions(
          running.map((c) => ({ memberId: c.memberId, owned: c.data!.processors[name]!.owned })),
          count,
        );
        owners[name] = {};
        for (const [memberId, partitions] of assigned) {
          tasks.get(memberId)![name] = partitions;
          const endpoint = claims.find((c) => c.memberId === memberId)?.data?.endpoint ?? null;
          for (const p of partitions) owners[name][String(p)] = endpoint;
        }
      }
      return claims.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 2,
          assignment: {},
          userData: Buffer.from(
            JSON.stringify({ v: 2, tasks: tasks.get(memberId)!, owners } satisfies TaskAssignment),
          ),
        }),
      }));
    },
    protocol({ topics }) {
      const userData: MemberUserData = {
        v: 2,
        endpoint: options.endpoint,
        processors: Object.fromEntries(options.claims()),
      };
      return {
        name: TASK_ASSIGNER,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 2,
          topics,
          userData: Buffer.from(JSON.stringify(userData)),
        }),
      };
    },
  });
}

function decodeUserData(metadata: Buffer): MemberUserData | undefined {
  try {
    const decoded = AssignerProtocol.MemberMetadata.decode(metadata);
    if (!decoded?.userData || decoded.userData.length === 0) return undefined;
    const data = JSON.parse(decoded.userData.toString()) as MemberUserData;
    return data.v === 2 ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The endpoint a member advertises in its metadata (as DescribeGroups returns it); undefined: none read. */
export function readMemberEndpoint(memberMetadata: Buffer): string | null | undefined {
  return decodeUserData(memberMetadata)?.endpoint;
}

/** The task assignment carried in a member assignment (as DescribeGroups returns it). */
export function readTaskAssignment(memberAssignment: Buffer): TaskAssignment | undefined {
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
    if (!decoded?.userData || decoded.userData.length === 0) return undefined;
    const data = JSON.parse(decoded.userData.toString()) as TaskAssignment;
    return data.v === 2 ? data : undefined;
  } catch {
    return undefined;
  }
}
