import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import type { KesApplication } from '../app/kesApplication.js';
import { runtimeTopics } from '../topology/runtimeTopics.js';
import { ViewControl } from '../views/viewControl.js';
import { requestRebuild } from '../views/viewRuntime.js';
import { followRebuild } from './followRebuild.js';
import { cliKafka, defaultBrokers, integer } from './options.js';

/**
 * `kes views status` and `kes views rebuild <view>`: a rebuild is requested on the view control
 * topic, which every running instance follows — they build the new generation from offset 0
 * beside the serving one, and switch once it has caught up. The command follows the rebuild
 * until the switch (`--no-follow`: it returns once requested).
 */
export function viewsCommand(program: Command, app: () => KesApplication): void {
  const views = program.command('views').description('the views and their rebuilds');
  const withControl = async <T>(
    brokers: string,
    work: (control: ViewControl, kafka: Kafka) => Promise<T>,
  ): Promise<T> => {
    const kafka = cliKafka('kes-views', brokers);
    const control = await ViewControl.start({
      kafka,
      groupId: `kes-cli-${randomUUID()}`,
      topic: runtimeTopics(app().topology.applicationId).views,
    });
    try {
      return await work(control, kafka);
    } finally {
      await control.stop();
    }
  };
  views
    .command('status')
    .description('the generation serving each view, and the one being built')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .action(async (opts: { brokers: string }) => {
      await withControl(opts.brokers, async (control) => {
        for (const name of app().views.keys()) console.log(JSON.stringify(control.state(name)));
      });
    });
  views
    .command('rebuild <view>')
    .description(
      'build a new generation of the view from offset 0, and follow it until queries switch to it (once it has caught up)',
    )
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .option('--no-follow', 'print the state once the rebuild is requested, and return')
    .option(
      '--timeout-ms <ms>',
      'how long to follow before failing (the rebuild goes on)',
      integer,
      1_800_000,
    )
    .action(async (view: string, opts: { brokers: string; follow: boolean; timeoutMs: number }) => {
      const application = app();
      const readView = application.views.get(view);
      if (!readView) {
        throw new Error(`no view named ${view} (views: ${[...application.views.keys()].join(', ')})`);
      }
      await withControl(opts.brokers, async (control, kafka) => {
        const state = await requestRebuild(control, view);
        if (!opts.follow) return console.log(JSON.stringify(state));
        const admin = kafka.admin();
        await admin.connect();
        try {
          await followRebuild({
            admin,
            control,
            topology: application.topology,
            view,
            processors: readView.processors,
            generation: state.building!,
            out: process.stdout,
            timeoutMs: opts.timeoutMs,
          });
        } finally {
          await admin.disconnect();
        }
      });
    });
}
