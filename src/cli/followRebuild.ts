import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { TopologySpec } from '../topology/topologySpec.js';
import { type RebuildProgress, rebuildProgress } from '../views/rebuildProgress.js';
import type { ViewControl, ViewState } from '../views/viewControl.js';

export interface FollowRebuildOptions {
  readonly admin: Admin;
  readonly control: ViewControl;
  readonly topology: TopologySpec;
  readonly view: string;
  /** The view's processors (their topology names). */
  readonly processors: readonly string[];
  /** The generation being built (what the request answered). */
  readonly generation: number;
  /** A TTY gets a progress bar redrawn in place; anything else one JSON line per change. */
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly timeoutMs: number;
  /** How often the progress is read. Default 500 ms. */
  readonly intervalMs?: number;
}

/** What each JSON line says: the view's state and, while it is built, the rebuild's progress. */
export type FollowedState = ViewState & { readonly progress: RebuildProgress | null };

/**
 * Follows a view's rebuild until the new generation serves queries (the instances switch once it
 * has caught up), writing its progress as it changes; fails after `timeoutMs` (the rebuild goes
 * on). Resolves with the last state.
 */
export async function followRebuild(options: FollowRebuildOptions): Promise<FollowedState> {
  const { control, view, generation, out } = options;
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  let latest: FollowedState | undefined;
  for (;;) {
    const state = control.state(view);
    const switched = state.active >= generation && state.building !== generation;
    const progress =
      state.building === generation
        ? await rebuildProgress(options.admin, options.topology, options.processors, generation)
        : null;
    latest = { ...state, progress };
    const text = JSON.stringify(latest);
    if (text !== last) {
      last = text;
      if (!out.isTTY) out.write(`${text}\n`);
      else if (progress) out.write(`\r\x1b[K${progressBar(view, progress)}`);
    }
    if (switched) {
      if (out.isTTY) out.write(`\r\x1b[K${view}: generation ${state.active} serves queries\n`);
      return latest;
    }
    if (Date.now() > deadline) {
      if (out.isTTY) out.write('\n');
      const read = progress ? ` (read ${progress.consumed} of ${progress.total} records)` : '';
      throw new Error(
        `${view} did not switch to generation ${generation} within ${options.timeoutMs} ms${read}; ` +
          'the rebuild goes on: `kes views status` shows where it is',
      );
    }
    await sleep(options.intervalMs ?? 500);
  }
}

/** One line: `products g2 [#########-----------]  45.0%  450/1000`. */
export function progressBar(view: string, progress: RebuildProgress, width = 30): string {
  const done = Math.round(progress.fraction * width);
  const percent = (progress.fraction * 100).toFixed(1).padStart(5);
  return `${view} g${progress.generation} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${percent}%  ${progress.consumed}/${progress.total}`;
}
