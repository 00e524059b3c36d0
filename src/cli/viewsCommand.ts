import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { runtimeTopics } from '../topology/runtimeTopics.js';
import { ViewControl } from '../views/viewControl.js';
import { requestRebuild } from '../views/viewRuntime.js';
import { cliKafka, defaultBrokers } from './options.js';

/**
 * `kes views status` and `kes views rebuild <view>`: a rebuild is requested on the view control
 * topic, which every running instance follows — they build the new generation from offset 0
 * beside the serving one, and switch once it has caught up.
 */
export function viewsCommand(program: Command, app: () => KesApplication): void {
  const views = program.command('views').description('the views and their rebuilds');
  const withControl = async <T>(brokers: string, work: (control: ViewControl) => Promise<T>): Promise<T> => {
    const kafka = cliKafka('kes-views', brokers);
    const control = await ViewControl.start({
      kafka,
      groupId: `kes-cli-${randomUUID()}`,
      topic: runtimeTopics(app().topology.applicationId).views,
    });
    try {
      return await work(control);
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
    .description('build a new generation of the view from offset 0; queries switch once it has caught up')
    .option('--brokers <list>', 'Kafka bootstrap servers (env KAFKA_BROKERS)', defaultBrokers())
    .action(async (view: string, opts: { brokers: string }) => {
      if (!app().views.has(view)) {
        throw new Error(`no view named ${view} (views: ${[...app().views.keys()].join(', ')})`);
      }
      const state = await withControl(opts.brokers, (control) => requestRebuild(control, view));
      console.log(JSON.stringify(state));
    });
}
