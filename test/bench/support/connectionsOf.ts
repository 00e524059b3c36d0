import { run } from '../../support/run.js';
/** Established TCP connections of a process to each broker address (`ss`, as root sees every process). */
export async function connectionsOf(
  pid: number,
  brokers: readonly string[],
): Promise<{ perBroker: Record<string, number>; total: number }> {
  const out = await run('ss', ['-Htnp', 'state', 'established']);
  if (out.code !== 0) throw new Error(`ss failed: ${out.stderr}`);
  const perBroker: Record<string, number> = Object.fromEntries(brokers.map((b) => [b, 0]));
  for (const line of out.stdout.split('\n')) {
    if (!line.includes(`pid=${pid},`)) continue;
    const peer = line.trim().split(/\s+/)[3];
    if (peer !== undefined && peer in perBroker) perBroker[peer]!++;
  }
  return { perBroker, total: Object.values(perBroker).reduce((a, b) => a + b, 0) };
}
