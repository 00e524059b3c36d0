import type { RegistryAuth } from '../config/kafkaConnection.js';
import { checkCompatibility } from '../registry/compatibility.js';
import { RegistryHttp } from './registryHttp.js';
import type { SchemaCatalog } from './schemaCatalog.js';

export type CheckStatus = 'registered' | 'compatible' | 'new' | 'incompatible';

export interface CheckLine {
  subject: string;
  /** The catalog version checked. */
  version: number;
  status: CheckStatus;
  detail: string;
}

export interface CheckReport {
  registryUrl: string;
  lines: CheckLine[];
  /** False when any schema is incompatible. */
  ok: boolean;
}

type Fetch = typeof fetch;

/**
 * Checks every version of every schema in the catalog against a registry, without registering
 * anything: a version is `registered` (the registry has it), `compatible` (registering it would
 * succeed: it reads every registered version), `new` (its subject does not exist yet) or
 * `incompatible`. The catalog's own history is also checked, BACKWARD_TRANSITIVE, before any
 * registry is asked.
 */
export async function checkSchemas(
  catalog: SchemaCatalog,
  registryUrl: string,
  fetchImpl: Fetch = fetch,
  auth?: RegistryAuth,
): Promise<CheckReport> {
  const client = new RegistryHttp(registryUrl, fetchImpl, auth);
  const lines: CheckLine[] = [];
  for (const { subject, type } of catalog.subjects()) {
    const registeredVersions = await client.versions(subject);
    for (const [index, { version, text }] of type.versions.entries()) {
      const history = type.versions.slice(0, index).map((v) => ({ version: v.version, schema: v.text }));
      const local = checkCompatibility('BACKWARD_TRANSITIVE', text, history);
      if (local.length > 0) {
        lines.push({
          subject,
          version,
          status: 'incompatible',
          detail: `against its history: ${describe(local)}`,
        });
        continue;
      }
      if (registeredVersions === undefined) {
        lines.push({ subject, version, status: 'new', detail: 'subject not registered yet' });
        continue;
      }
      const found = await client.lookup(subject, text);
      if (found) {
        lines.push({
          subject,
          version,
          status: 'registered',
          detail: `version ${found.version}, id ${found.id}`,
        });
        continue;
      }
      const problems: string[] = [];
      for (const registered of registeredVersions) {
        const messages = await client.incompatibilities(subject, registered, text);
        if (messages) problems.push(`cannot be registered over version ${registered}: ${describe(messages)}`);
      }
      lines.push(
        problems.length > 0
          ? { subject, version, status: 'incompatible', detail: problems.join('; ') }
          : { subject, version, status: 'compatible', detail: 'not registered yet' },
      );
    }
  }
  return { registryUrl, lines, ok: lines.every((l) => l.status !== 'incompatible') };
}

/** The report as the CLI prints it. */
export function formatCheckReport(report: CheckReport): string {
  const out = [`schemas checked against ${report.registryUrl}`];
  for (const line of report.lines) {
    const status = line.status === 'incompatible' ? 'INCOMPATIBLE' : line.status;
    out.push(`  ${status.padEnd(13)} ${line.subject} v${line.version}: ${line.detail}`);
  }
  const bad = report.lines.filter((l) => l.status === 'incompatible').length;
  out.push(
    bad === 0
      ? `${report.lines.length} schemas, all compatible`
      : `${report.lines.length} schemas, ${bad} incompatible`,
  );
  return out.join('\n');
}

/** The messages of a compatibility answer, shortened to their descriptions. */
function describe(messages: string[]): string {
  const descriptions = messages
    .map((m) => /description:'(.*)'\}$/s.exec(m)?.[1])
    .filter((d): d is string => d !== undefined);
  return (descriptions.length > 0 ? descriptions : messages).join('; ');
}
