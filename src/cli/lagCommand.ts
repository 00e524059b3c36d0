import type { Command } from 'commander';
import { consumerLag, topologySubjects } from '../ops/consumerLag.js';
import type { KesApplication } from '../app/kesApplication.js';
import { cliKafka, defaultBrokers } from './options.js';

/** `kes lag`: how far each processor is behind, per input partition. */
export function lagCommand(program: Command, app: () => KesApplication): void {
  program
    .command('lag')
    .description('the lag of every processor per input partition (committed offset against the end)')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option('--json', 'one JSON line per partition instead of a table')
    .option('--processor <name>', 'only this processor')
    .action(async (opts: { brokers: string; json?: boolean; processor?: string }) => {
      const kafka = cliKafka('kes-lag', opts.brokers);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const lags = (await consumerLag(admin, topologySubjects(app().topology))).filter(
          (l) => !opts.processor || l.processor === opts.processor,
        );
        if (opts.json) {
          for (const lag of lags) console.log(JSON.stringify(lag));
          return;
        }
        const rows = lags.map((l) => [
          l.processor,
          l.topic,
          String(l.partition),
          String(l.committed),
          String(l.end),
          String(l.lag),
        ]);
        const header = ['PROCESSOR', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const row of [header, ...rows])
          console.log(
            row
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          );
      } finally {
        await admin.disconnect();
      }
    });
}
