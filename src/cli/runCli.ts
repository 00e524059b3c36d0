import { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { appCommand } from './appCommand.js';
import { ApplicationSource } from './applicationSource.js';
import { brokerCommand } from './brokerCommand.js';
import { dlqCommand } from './dlqCommand.js';
import { lagCommand } from './lagCommand.js';
import { produceCommand } from './produceCommand.js';
import { registryCommand } from './registryCommand.js';
import { schemasCommand } from './schemasCommand.js';
import { startCommand } from './startCommand.js';
import { tailCommand } from './tailCommand.js';
import { topologyCommand } from './topologyCommand.js';
import { viewsCommand } from './viewsCommand.js';

const SERVES_NO_APPLICATION = new Set(['broker', 'registry']);

export interface CliOptions {
  /** The application of the commands that run or describe one; `--app` names another. */
  readonly application?: KesApplication;
}

/**
 * The `kes` command line, for the `kes` binary or an application's own entry point
 * (`runCli(process.argv, { application })`). Resolves once the command is done; a server command
 * (`start`, `app`, `broker`, `registry`) runs until it is stopped.
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<void> {
  const source = new ApplicationSource(options.application);
  const app = () => source.get();
  const program = new Command('kes')
    .description('event sourcing and CQRS on Kafka')
    .option('--app <module>', 'the module exporting your application (env KES_APP)')
    .showHelpAfterError()
    .hook('preAction', async (_program, action) => {
      // The broker and the registry run without an application.
      let command = action;
      while (command.parent && command.parent !== program) command = command.parent;
      if (SERVES_NO_APPLICATION.has(command.name())) return;
      // --app names the application; KES_APP only where none was given to runCli.
      await source.load(
        program.opts<{ app?: string }>().app ?? (options.application ? undefined : process.env.KES_APP),
      );
    });
  brokerCommand(program);
  registryCommand(program);
  schemasCommand(program, app, () => source.find());
  startCommand(program, app);
  topologyCommand(program, app);
  tailCommand(program, app);
  appCommand(program, app);
  produceCommand(program, app);
  viewsCommand(program, app);
  dlqCommand(program, app);
  lagCommand(program, app);
  await program.parseAsync([...argv]);
}
