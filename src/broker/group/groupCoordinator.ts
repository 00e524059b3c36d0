import type { Logger } from 'pino';

export interface GroupCoordinatorOptions {
  dataDir: string;
  logger: Logger;
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

/** Placeholder: the classic group protocol lands in its own change. */
export class GroupCoordinator {
  constructor(readonly options: GroupCoordinatorOptions) {}

  load(): void {}

  onTopicDeleted(_topic: string): void {}

  close(): void {}
}
