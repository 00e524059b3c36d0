/** The example application's topology, derived from its definitions (topology/application.ts). */
export { application, PARTITIONS } from './application.js';
import { application } from './application.js';

export const topology = application.topology;
