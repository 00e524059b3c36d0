import { clientConformance } from './clientConformance.js';
import { compatibilityConformance } from './compatibilityConformance.js';
import { deletesConformance } from './deletesConformance.js';
import { httpConformance } from './httpConformance.js';
import type { RegistryTarget } from './registryTarget.js';
import { schemasConformance } from './schemasConformance.js';

/**
 * The conformance suite: Confluent's Schema Registry REST API as its API reference documents it,
 * over HTTP against any registry. Every target runs the same assertions; where a target answers
 * otherwise, the test names the recorded difference (differences.ts). Tests share the registry
 * and keep to subjects of their own; `target` is read when the tests run (after the spec's
 * beforeAll has started the registry).
 */
export function registryConformance(target: RegistryTarget): void {
  schemasConformance(target);
  httpConformance(target);
  compatibilityConformance(target);
  deletesConformance(target);
  clientConformance(target);
}
