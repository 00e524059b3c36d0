import type { TestCluster } from '../support/testCluster.js';

export interface BrokerOutage {
  /** Kills one Kafka node with SIGKILL, chosen by `pick`; nothing on a cluster without killable brokers. */
  begin(): Promise<void>;
  /** Starts the killed node again and waits until it serves; nothing if none was killed. */
  end(): Promise<void>;
  /** The node killed, once it was. */
  readonly node: number | undefined;
}

/**
 * A Kafka broker lost in the middle of a scenario and brought back later, on clusters whose
 * brokers can be killed (three real nodes, every topic with three replicas and two in sync):
 * the scenario's assertions must hold through it unchanged.
 */
export function brokerOutage(cluster: () => TestCluster, pick: (count: number) => number): BrokerOutage {
  let node: number | undefined;
  let ended = false;
  return {
    get node() {
      return node;
    },
    async begin() {
      const brokers = cluster().brokers;
      if (!brokers || node !== undefined) return;
      node = pick(brokers.count);
      await brokers.kill(node);
    },
    async end() {
      if (node === undefined || ended) return;
      ended = true;
      await cluster().brokers!.restart(node);
    },
  };
}
