import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// What the tests that run Java programs from Maven Central (real Kafka, Apicurio Registry) share:
// finding a Java that is new enough, and resolving a pinned artifact once into a cache outside the
// source tree. They fail, saying why, where Java or Maven is missing: they never skip.

/** Why a tool is missing or fails, or undefined when it answers. */
export function missingTool(
  command: string,
  args: string[],
  check: (output: string) => string | undefined = () => undefined,
): string | undefined {
  const answer = spawnSync(command, args, { encoding: 'utf8' });
  if (answer.error) return `\`${command}\` was not found (${answer.error.message})`;
  if (answer.status !== 0) return `\`${command} ${args.join(' ')}\` failed: ${answer.stderr.trim()}`;
  return check(`${answer.stdout}${answer.stderr}`);
}

/** The Java major version of `java -version`'s output (17 of "17.0.15", 8 of "1.8.0"). */
export function javaMajor(output: string): number {
  const version = /version "([^"]+)"/.exec(output)?.[1] ?? '0';
  const [first, second] = version.split('.').map(Number);
  return first === 1 ? (second ?? 0) : (first ?? 0);
}

/** The major version of a java executable, or undefined when it does not run. */
function majorOf(java: string): number | undefined {
  const answer = spawnSync(java, ['-version'], { encoding: 'utf8' });
  return answer.error || answer.status !== 0 ? undefined : javaMajor(`${answer.stdout}${answer.stderr}`);
}

/**
 * A java executable of at least `minMajor`: the one `variable` names if set, else `java` on the
 * PATH, else $JAVA_HOME's, else the newest JDK installed side by side under /usr/lib/jvm (where
 * Linux distributions and the Adoptium packages put them). Throws, listing what was tried.
 */
export function findJava(minMajor: number, variable: string): string {
  const chosen = process.env[variable];
  if (chosen) {
    const major = majorOf(chosen);
    if (major !== undefined && major >= minMajor) return chosen;
    throw new Error(
      `${variable}=${chosen} is not a Java ${minMajor} or newer (version ${major ?? 'unknown'})`,
    );
  }
  const candidates = ['java'];
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  const jvms = '/usr/lib/jvm';
  const installed = fs.existsSync(jvms)
    ? fs.readdirSync(jvms).map((dir) => path.join(jvms, dir, 'bin', 'java'))
    : [];
  const tried: string[] = [];
  for (const java of candidates) {
    const major = majorOf(java);
    if (major !== undefined && major >= minMajor) return java;
    tried.push(`${java} (${major ?? 'not found'})`);
  }
  const newest = installed
    .map((java) => ({ java, major: majorOf(java) ?? 0 }))
    .sort((a, b) => b.major - a.major)[0];
  if (newest && newest.major >= minMajor) return newest.java;
  tried.push(...installed.map((java) => `${java} (${majorOf(java) ?? 'not found'})`));
  throw new Error(
    `no Java ${minMajor} or newer was found; set ${variable} to one. Tried: ${tried.join(', ') || 'nothing'}`,
  );
}

/** A cache folder outside the tree: `$XDG_CACHE_HOME/kes/<name>`, by default under ~/.cache. */
export function cacheDir(name: string): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'kes', name);
}

/**
 * Fills `home` once with what `mvn <args>` writes into a staging folder (passed as `staging` to
 * `args`), then marks it complete. Safe to call from several processes at once: each resolves
 * into a folder of its own and the first to finish renames it into place.
 */
export function mavenInstall(
  home: string,
  what: string,
  args: (staging: string) => string[],
  verify: (staging: string) => string | undefined = () => undefined,
): void {
  if (fs.existsSync(path.join(home, 'complete'))) return;
  const mvn = missingTool('mvn', ['-v']);
  if (mvn) throw new Error(`${what} cannot be fetched from Maven Central: ${mvn}`);
  fs.mkdirSync(path.dirname(home), { recursive: true });
  const staging = `${home}.${process.pid}.${Date.now()}`;
  const fetched = spawnSync('mvn', ['-q', '-B', ...args(staging)], { encoding: 'utf8', timeout: 600_000 });
  const wrong =
    fetched.status !== 0
      ? `fetching ${what} from Maven Central failed (mvn exit ${fetched.status}):\n${fetched.stdout}${fetched.stderr}`
      : verify(staging);
  if (wrong) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(wrong);
  }
  fs.writeFileSync(path.join(staging, 'complete'), `${what}\n`);
  try {
    fs.renameSync(staging, home);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another process got there first
  }
}
