/**
 * The topics the runtime keeps for an application, named after it (as Kafka Streams prefixes its
 * internal topics with the application id), so that applications share a cluster without sharing
 * them: `<name>.command-results`, the outcome of every command, and `<name>.views`, which
 * generation of each view serves. The example application is named `kes`.
 */
export interface RuntimeTopics {
  readonly commandResults: string;
  readonly views: string;
}

export function runtimeTopics(applicationId: string): RuntimeTopics {
  return { commandResults: `${applicationId}.command-results`, views: `${applicationId}.views` };
}
