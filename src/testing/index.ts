export {
  type DeciderSpecification,
  deciderSpecification,
  type DeciderSpecificationOptions,
  SPEC_NOW,
  type ThenStep,
  type WhenOptions,
  type WhenStep,
} from './deciderSpecification.js';
export { type SagaSpecification, sagaSpecification, type SagaThenStep } from './sagaSpecification.js';
export { SeededRandom } from './seededRandom.js';
export { deepFreeze } from './deepFreeze.js';
export { findNonJson } from './plainJson.js';
