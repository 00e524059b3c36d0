import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, javaMajor, mavenInstall, missingTool } from '../support/mavenCache.js';

const pom = path.resolve(import.meta.dirname, 'pom.xml');

/** The Kafka version test/kafka/pom.xml pins. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  fs.readFileSync(pom, 'utf8'),
)![1]!;

/** The same version's container image, for docker-compose.yml and the container tier. */
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;

/**
 * Why real Kafka cannot run here (no Java 17+, no Maven), or undefined when it can. The real tier
 * fails with this reason: it never skips.
 */
export function kafkaUnavailable(): string | undefined {
  const java = missingTool('java', ['-version'], (out) =>
    javaMajor(out) >= 17
      ? undefined
      : `Kafka ${KAFKA_VERSION} needs Java 17 or newer; java -version says: ${out.split('\n')[0]}`,
  );
  if (java) return `real Kafka cannot run: ${java}`;
  if (fs.existsSync(path.join(kafkaHome(), 'complete'))) return undefined;
  const mvn = missingTool('mvn', ['-v']);
  return mvn ? `real Kafka cannot be fetched from Maven Central: ${mvn}` : undefined;
}

/** Where the jars of the pinned version are kept: KES_KAFKA_HOME, else a cache outside the tree. */
export function kafkaHome(): string {
  return process.env.KES_KAFKA_HOME ?? cacheDir(`kafka-${KAFKA_VERSION}`);
}

/**
 * The folder holding every jar of the pinned Kafka (the classpath is `<folder>/*`), fetched from
 * Maven Central with `mvn dependency:copy-dependencies` the first time.
 */
export function kafkaJars(): string {
  const home = kafkaHome();
  const lib = path.join(home, 'lib');
  if (fs.existsSync(path.join(home, 'complete'))) return lib;
  const unavailable = kafkaUnavailable();
  if (unavailable) throw new Error(unavailable);
  mavenInstall(home, `Kafka ${KAFKA_VERSION}`, (staging) => [
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${path.join(staging, 'lib')}`,
  ]);
  return lib;
}
