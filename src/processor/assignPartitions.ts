/**
 * Sticky, balanced assignment of partition numbers to group members. A task owns one partition
 * number of all its processor's (co-partitioned) inputs, and moving a task costs a store restore,
 * so members keep the partitions they own as long as the balance allows (as Kafka Streams'
 * sticky task assignor does). Each member ends with ⌊n/m⌋ or ⌈n/m⌉ partitions; the result
 * depends only on the inputs, so every member computing it agrees.
 */
export interface MemberClaim {
  readonly memberId: string;
  /** Partition numbers the member owned before this rebalance. */
  readonly owned: readonly number[];
}

export function assignPartitions(
  members: readonly MemberClaim[],
  partitionCount: number,
): Map<string, number[]> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const result = new Map<string, number[]>(sorted.map((m) => [m.memberId, []]));
  if (sorted.length === 0) return result;
  const base = Math.floor(partitionCount / sorted.length);
  const extra = partitionCount % sorted.length;
  // The first `extra` members (in id order) may hold one more.
  const capacity = new Map(sorted.map((m, i) => [m.memberId, base + (i < extra ? 1 : 0)]));
  const taken = new Set<number>();
  for (const member of sorted) {
    const keep = [...new Set(member.owned)]
      .filter((p) => p >= 0 && p < partitionCount && !taken.has(p))
      .sort((a, b) => a - b)
      .slice(0, capacity.get(member.memberId)!);
    for (const p of keep) taken.add(p);
    result.get(member.memberId)!.push(...keep);
  }
  let next = 0;
  for (let p = 0; p < partitionCount; p++) {
    if (taken.has(p)) continue;
    // Give the partition to the next member (round robin) that still has room.
    for (let tries = 0; tries < sorted.length; tries++) {
      const member = sorted[(next + tries) % sorted.length]!;
      const owned = result.get(member.memberId)!;
      if (owned.length < capacity.get(member.memberId)!) {
        owned.push(p);
        next = (next + tries + 1) % sorted.length;
        break;
      }
    }
  }
  for (const owned of result.values()) owned.sort((a, b) => a - b);
  return result;
}
