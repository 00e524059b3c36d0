import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { applyTopology, describeTopology, formatPlan } from '../topology/index.js';
import { cliKafka, defaultBrokers, integer } from './options.js';

/** `kes topology describe|apply`: the application's topics and processors. */
export function topologyCommand(program: Command, app: () => KesApplication): void {
  const command = program.command('topology').description("the application's topics and processors");
  command
    .command('describe')
    .description('print every topic and processor, and a Mermaid diagram of them')
    .option('--mermaid', 'print only the Mermaid diagram')
    .action((opts: { mermaid?: boolean }) => {
      const text = describeTopology(app().topology);
      console.log(opts.mermaid ? text.slice(text.indexOf('```mermaid')) : text);
    });
  command
    .command('apply')
    .description('create or update the topics in a Kafka cluster, idempotently')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option(
      '--replication-factor <n>',
      'replication factor of new topics (default: declared, at most the broker count)',
      integer,
    )
    .option('--allow-partition-increase', 'grow topics that have fewer partitions than declared')
    .option('--dry-run', 'show what would change, change nothing')
    .action(
      async (opts: {
        brokers: string;
        replicationFactor?: number;
        allowPartitionIncrease?: boolean;
        dryRun?: boolean;
      }) => {
        const kafka = cliKafka('kes-topology', opts.brokers);
        const admin = kafka.admin();
        await admin.connect();
        try {
          const plan = await applyTopology(admin, app().topology, opts);
          console.log(formatPlan(plan, opts.dryRun));
          if (plan.refused.length > 0) process.exitCode = 1;
        } finally {
          await admin.disconnect();
        }
      },
    );
}
