export { startBroker, type BrokerHandle, type BrokerHooks } from './startBroker.js';
export type { BrokerOptions } from './brokerOptions.js';
export type { FaultRule, FaultAction } from './server/faults.js';
