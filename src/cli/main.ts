#!/usr/bin/env node
// First, before anything loads KafkaJS: kes's fixes to it (src/kafka/kafkaJsFixes.ts).
import '../kafka/kafkaJsFixes.js';
import { runCli } from './runCli.js';

runCli(process.argv).catch((err: unknown) => {
  console.error(`kes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
