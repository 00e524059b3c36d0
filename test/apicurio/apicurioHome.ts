import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir, findJava, mavenInstall } from '../support/mavenCache.js';

const pom = path.resolve(import.meta.dirname, 'pom.xml');

/** The Apicurio Registry version test/apicurio/pom.xml pins. */
export const APICURIO_VERSION = /<apicurio\.version>([^<]+)<\/apicurio\.version>/.exec(
  fs.readFileSync(pom, 'utf8'),
)![1]!;

/** Apicurio Registry 3.3 is compiled for Java 21 (class files of version 65). */
export const APICURIO_JAVA = 21;

/** Where the unpacked assembly is kept: KES_APICURIO_HOME, else a cache outside the tree. */
export function apicurioHome(): string {
  return process.env.KES_APICURIO_HOME ?? cacheDir(`apicurio-${APICURIO_VERSION}`);
}

/** The java that runs Apicurio: KES_APICURIO_JAVA, else the first Java 21+ found (see findJava). */
export function apicurioJava(): string {
  return findJava(APICURIO_JAVA, 'KES_APICURIO_JAVA');
}

/**
 * The runnable Quarkus application of the pinned Apicurio Registry: the folder holding
 * `quarkus-run.jar`. Its `all` tar.gz assembly is unpacked from Maven Central with
 * `mvn dependency:unpack` the first time, and refused unless it holds the application.
 */
export function apicurioApp(): string {
  const home = apicurioHome();
  mavenInstall(
    home,
    `Apicurio Registry ${APICURIO_VERSION}`,
    (staging) => ['-f', pom, 'dependency:unpack', `-Dapicurio.home=${staging}`],
    (staging) => {
      const missing = ['quarkus-run.jar', 'lib/boot', 'lib/main', 'app', 'quarkus'].filter(
        (entry) => !fs.existsSync(path.join(staging, entry)),
      );
      return missing.length === 0
        ? undefined
        : `the apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz assembly holds no runnable Quarkus ` +
            `application: ${missing.join(', ')} missing`;
    },
  );
  return home;
}
