import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const pom = path.resolve(import.meta.dirname, 'pom.xml');

/** The Kafka version test/kafka/pom.xml pins. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  fs.readFileSync(pom, 'utf8'),
)![1]!;

/** The same version's container image, for docker-compose.yml and the container tier. */
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;

/** Why a tool is missing or too old, or undefined when it answers. */
function missingTool(command: string, args: string[], check: (output: string) => string | undefined) {
  const answer = spawnSync(command, args, { encoding: 'utf8' });
  if (answer.error) return `\`${command}\` was not found (${answer.error.message})`;
  if (answer.status !== 0) return `\`${command} ${args.join(' ')}\` failed: ${answer.stderr.trim()}`;
  return check(`${answer.stdout}${answer.stderr}`);
}

/** The Java major version (17 of "17.0.15", 8 of "1.8.0"). */
function javaMajor(output: string): number {
  const version = /version "([^"]+)"/.exec(output)?.[1] ?? '0';
  const [first, second] = version.split('.').map(Number);
  return first === 1 ? (second ?? 0) : (first ?? 0);
}

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
  const mvn = missingTool('mvn', ['-v'], () => undefined);
  return mvn ? `real Kafka cannot be fetched from Maven Central: ${mvn}` : undefined;
}

/** Where the jars of the pinned version are kept: KES_KAFKA_HOME, else a cache outside the tree. */
export function kafkaHome(): string {
  return (
    process.env.KES_KAFKA_HOME ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'kes',
      `kafka-${KAFKA_VERSION}`,
    )
  );
}

/**
 * The folder holding every jar of the pinned Kafka (the classpath is `<folder>/*`), fetched from
 * Maven Central with `mvn dependency:copy-dependencies` the first time. Safe to call from several
 * processes at once: each resolves into a folder of its own and the first to finish renames it
 * into place.
 */
export function kafkaJars(): string {
  const home = kafkaHome();
  const lib = path.join(home, 'lib');
  if (fs.existsSync(path.join(home, 'complete'))) return lib;
  const unavailable = kafkaUnavailable();
  if (unavailable) throw new Error(unavailable);
  fs.mkdirSync(path.dirname(home), { recursive: true });
  const staging = `${home}.${process.pid}.${Date.now()}`;
  const fetched = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(staging, 'lib')}`],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (fetched.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `fetching Kafka ${KAFKA_VERSION} from Maven Central failed (mvn exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`,
    );
  }
  fs.writeFileSync(path.join(staging, 'complete'), `${KAFKA_VERSION}\n`);
  try {
    fs.renameSync(staging, home);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another process got there first
  }
  return lib;
}
