import * as fs from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

/**
 * The command and arguments that run `command` so that it dies with the process starting it
 * (util-linux's setpriv sets a parent-death signal, then execs the command in place, so its pid is
 * the command's): a test process killed outright leaves no broker, JVM or `kes app` running.
 * Where setpriv is missing, the command runs as it is.
 */
export function dieWithParent(command: string, args: readonly string[]): [string, string[]] {
  if (!fs.existsSync(SETPRIV)) return [command, [...args]];
  return [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', command, ...args]];
}
