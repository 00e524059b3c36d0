import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/**
 * Readers for the deployment files — docker-compose.yml, the Dockerfile and the Prometheus config —
 * reduced to what the consistency test compares: environments, ports, volumes, commands, listeners.
 */
export const ROOT = path.resolve(import.meta.dirname, '../..');

type Scalar = string | number | boolean | null;

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string };
  readonly entrypoint?: string | readonly string[];
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, Scalar>> | readonly string[];
  readonly ports?: readonly (
    string | number | { readonly target: number; readonly published?: string | number }
  )[];
  readonly volumes?: readonly (string | { readonly source?: string; readonly target: string })[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
}

/** Reads a YAML file of the repository; `<<` merge keys are resolved, as Compose does. */
export function readYaml<T>(file: string): T {
  return parse(fs.readFileSync(path.resolve(ROOT, file), 'utf8'), { merge: true }) as T;
}

/** A service's environment as strings; Compose takes a map or a list of KEY=VALUE. */
export function environment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      (env as readonly string[]).map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env as Record<string, Scalar>).map(([k, v]) => [k, v === null ? '' : String(v)]),
  );
}

/** The host ports a service publishes and the container ports they lead to. */
export function portMappings(service: ComposeService): { published: number; target: number }[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'object') {
      return port.published === undefined ? [] : [{ published: Number(port.published), target: port.target }];
    }
    // [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]
    const parts = String(port).split('/')[0]!.split(':');
    if (parts.length < 2) return [];
    return [{ published: Number(parts.at(-2)), target: Number(parts.at(-1)) }];
  });
}

/** The volumes a service mounts: source (a named volume or a host path) and container path. */
export function mounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') return { source: volume.source ?? '', target: volume.target };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

/** The services a service waits for, with the condition (service_started when only named). */
export function dependencies(service: ComposeService): Map<string, string> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return new Map((deps as readonly string[]).map((d) => [d, 'service_started']));
  return new Map(
    Object.entries(deps as Record<string, { condition?: string }>).map(([name, d]) => [
      name,
      d.condition ?? 'service_started',
    ]),
  );
}

const words = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [...value];

/** The command's words (what follows the entrypoint); for `kes app`, `['app']`. */
export const commandWords = (service: ComposeService) => words(service.command);

/** Entrypoint and command as one line, for searching (`sh -c "kes topology apply ... && ..."`). */
export const commandLine = (service: ComposeService) =>
  [...words(service.entrypoint), ...commandWords(service)].join(' ');

/** Kafka's `listeners` / `advertised.listeners`: `NAME://host:port,...` → name → host and port. */
export function listeners(value: string): Map<string, { host: string; port: number }> {
  return new Map(
    value
      .split(',')
      .filter(Boolean)
      .map((listener) => {
        const match = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(listener.trim());
        if (!match) throw new Error(`not a listener: ${listener}`);
        return [match[1]!, { host: match[2]!, port: Number(match[3]) }];
      }),
  );
}

export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

/** The instructions of a Dockerfile's last stage (the image that runs), continuations joined. */
export function finalStage(file: string): DockerInstruction[] {
  const text = fs.readFileSync(path.resolve(ROOT, file), 'utf8');
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.search(/\s/);
      return { keyword: line.slice(0, at).toUpperCase(), args: line.slice(at + 1).trim() };
    });
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

/** The `KEY=value` pairs of a Dockerfile's ENV instructions. */
export function dockerEnv(stage: readonly DockerInstruction[]): Record<string, string> {
  return Object.fromEntries(
    stage
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => [...i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)])
      .map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
  );
}
