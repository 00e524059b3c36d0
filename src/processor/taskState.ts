/**
 * The life of a stream task (one partition number of one processor):
 *
 *   Created ──▶ Restoring ──▶ Running ──▶ Closed
 *      └──────────┴─────────────┴──────────▲   (closed when its partition is revoked or the app stops)
 *
 * A task processes input only while Running, after its stores have caught up with their
 * changelogs.
 */
export const TaskState = {
  Created: 'Created',
  Restoring: 'Restoring',
  Running: 'Running',
  Closed: 'Closed',
} as const;

export type TaskState = (typeof TaskState)[keyof typeof TaskState];

const VALID_NEXT: Readonly<Record<TaskState, readonly TaskState[]>> = {
  Created: ['Restoring', 'Closed'],
  Restoring: ['Running', 'Closed'],
  Running: ['Closed'],
  Closed: [],
};

export class IllegalTaskTransitionError extends Error {
  override readonly name = 'IllegalTaskTransitionError';

  constructor(
    readonly task: string,
    readonly from: TaskState,
    readonly to: TaskState,
  ) {
    super(`task ${task} cannot move from ${from} to ${to}`);
  }
}

export function checkTaskTransition(task: string, from: TaskState, to: TaskState): void {
  if (!VALID_NEXT[from].includes(to)) throw new IllegalTaskTransitionError(task, from, to);
}
