// First: KafkaJS must be loaded after kes's fixes to it are in place.
import '../kafka/kafkaJsFixes.js';
import kafkajs, { type PartitionAssigner } from 'kafkajs';
import { assignPartitions } from './assignPartitions.js';

// AssignerProtocol is not a named export Node's ESM loader can see in KafkaJS's CommonJS build.
const { AssignerProtocol } = kafkajs;

/**
 * A KafkaJS partition assigner for stream tasks: a member gets the same partition numbers of
 * every subscribed topic (co-partitioning), sticky and balanced (assignPartitions). Each member's
 * metadata carries its endpoint (its HTTP URL, for interactive queries) and the partitions it
 * owned; each assignment carries the whole partition → endpoint map, so every member can learn
 * who owns which key (read it back with `readAssignmentMap` from DescribeGroups' member
 * assignments).
 */
export const CO_PARTITIONED_ASSIGNER = 'KesCoPartitioned';

interface MemberUserData {
  v: 1;
  endpoint: string | null;
  owned: number[];
}

export interface AssignmentMap {
  v: 1;
  /** Partition number → endpoint of the member that owns it (null when it advertises none). */
  partitions: Record<string, string | null>;
}

export interface CoPartitionedAssignerOptions {
  /** This member's endpoint (e.g. http://10.0.0.5:3000), or null. */
  readonly endpoint: string | null;
  /** Partition numbers this member owns now (for stickiness). */
  readonly owned: () => readonly number[];
}

export function coPartitionedAssigner(options: CoPartitionedAssignerOptions): PartitionAssigner {
  return ({ cluster }) => ({
    name: CO_PARTITIONED_ASSIGNER,
    version: 1,
    async assign({ members, topics }) {
      const counts = new Map(topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).length]));
      const partitionCount = Math.max(0, ...counts.values());
      const claims = members.map((m) => {
        const data = decodeUserData(m.memberMetadata);
        return { memberId: m.memberId, owned: data?.owned ?? [], endpoint: data?.endpoint ?? null };
      });
      const assigned = assignPartitions(claims, partitionCount);
      const endpoints = new Map(claims.map((c) => [c.memberId, c.endpoint]));
      const map: AssignmentMap = { v: 1, partitions: {} };
      for (const [memberId, partitions] of assigned) {
        for (const p of partitions) map.partitions[String(p)] = endpoints.get(memberId) ?? null;
      }
      const userData = Buffer.from(JSON.stringify(map));
      return [...assigned].map(([memberId, partitions]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: Object.fromEntries(
            topics.map((t) => [t, partitions.filter((p) => p < counts.get(t)!)]),
          ),
          userData,
        }),
      }));
    },
    protocol({ topics }) {
      const userData: MemberUserData = { v: 1, endpoint: options.endpoint, owned: [...options.owned()] };
      return {
        name: CO_PARTITIONED_ASSIGNER,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
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
    return JSON.parse(decoded.userData.toString()) as MemberUserData;
  } catch {
    return undefined;
  }
}

/** The partition → endpoint map carried in a member assignment (as DescribeGroups returns it). */
export function readAssignmentMap(memberAssignment: Buffer): AssignmentMap | undefined {
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
    if (!decoded?.userData || decoded.userData.length === 0) return undefined;
    return JSON.parse(decoded.userData.toString()) as AssignmentMap;
  } catch {
    return undefined;
  }
}
