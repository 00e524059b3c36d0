#!/usr/bin/env node
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../kafka/kafkaJsFixes.js';
import { Command } from 'commander';
import { appCommand } from './appCommand.js';
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

const program = new Command('kes').description('event sourcing and CQRS on Kafka').showHelpAfterError();
brokerCommand(program);
registryCommand(program);
schemasCommand(program);
startCommand(program);
topologyCommand(program);
tailCommand(program);
appCommand(program);
produceCommand(program);
viewsCommand(program);
dlqCommand(program);
lagCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`kes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
