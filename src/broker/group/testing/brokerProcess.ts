/**
 * The embedded broker in a process of its own, for tests that kill it with SIGKILL. Argument:
 * the data directory. Prints {"bootstrap":"host:port"} once it accepts connections.
 */
import pino from 'pino';
import { startBroker } from '../../index.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: brokerProcess <dataDir>');

const broker = await startBroker({
  port: 0,
  dataDir,
  groupInitialRebalanceDelayMs: 0,
  groupMinSessionTimeoutMs: 1000,
  logger: pino({ level: 'silent' }),
});
console.log(JSON.stringify({ bootstrap: broker.bootstrap }));
