export { startRegistry, type RegistryHandle, type RegistryOptions } from './startRegistry.js';
export { buildRegistryApp } from './http/buildRegistryApp.js';
export { RegistryService } from './registryService.js';
export { RegistryState } from './registryState.js';
export { MemorySchemasLog, MemorySchemasTopic } from './memorySchemasLog.js';
export { KafkaSchemasLog } from './kafkaSchemasLog.js';
export type { SchemasLog } from './schemasLog.js';
export { canonicalSchema } from './canonicalSchema.js';
export {
  COMPATIBILITY_LEVELS,
  checkCompatibility,
  parseCompatibilityLevel,
  type CompatibilityLevel,
} from './compatibility.js';
export { errors, RegistryError, REGISTRY_ERRORS, type RegistryErrorCode } from './errors.js';
