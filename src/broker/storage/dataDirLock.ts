import * as fs from 'node:fs';
import * as path from 'node:path';

const lockedInThisProcess = new Set<string>();

/**
 * Makes sure only one broker uses a data directory: a `.lock` file holds the owner's pid. A lock
 * left by a process that no longer runs (a kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, '.lock');
  if (lockedInThisProcess.has(dir))
    throw new Error(`data directory ${dir} is already in use by this process`);
  try {
    const owner = Number(fs.readFileSync(file, 'utf8').trim());
    if (owner && owner !== process.pid && isRunning(owner)) {
      throw new Error(`data directory ${dir} is in use by process ${owner}`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  lockedInThisProcess.add(dir);
  return () => {
    lockedInThisProcess.delete(dir);
    fs.rmSync(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
