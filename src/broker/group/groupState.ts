/**
 * The lifecycle of a classic consumer group, as Kafka's GroupState defines it
 * (core/src/main/scala/kafka/coordinator/group/GroupMetadata.scala):
 *
 * - Empty: no members; committed offsets may still exist.
 * - PreparingRebalance: members are (re)joining; JoinGroup responses are held.
 * - CompletingRebalance: every member has its JoinGroup answer; the leader's SyncGroup is awaited.
 * - Stable: the leader's assignment has been handed out.
 * - Dead: the group is being removed and takes no requests.
 *
 * The names are the strings DescribeGroups reports.
 */
export const GroupState = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;

export type GroupState = (typeof GroupState)[keyof typeof GroupState];

const ALL_STATES = Object.values(GroupState);

/** For each state, the states a group may enter it from (Kafka's validPreviousStates). */
export const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  [GroupState.Empty]: [GroupState.PreparingRebalance],
  [GroupState.PreparingRebalance]: [GroupState.Stable, GroupState.CompletingRebalance, GroupState.Empty],
  [GroupState.CompletingRebalance]: [GroupState.PreparingRebalance],
  [GroupState.Stable]: [GroupState.CompletingRebalance],
  [GroupState.Dead]: ALL_STATES,
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

/** A transition the table does not allow: a bug in the coordinator, never a client error. */
export class IllegalGroupTransitionError extends Error {
  override readonly name = 'IllegalGroupTransitionError';

  constructor(
    readonly groupId: string,
    readonly from: GroupState,
    readonly to: GroupState,
  ) {
    super(`group ${groupId} cannot move from ${from} to ${to}`);
  }
}
