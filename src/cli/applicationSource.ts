import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KesApplication } from '../app/kesApplication.js';

/**
 * The application the commands run or describe: the one given to `runCli` by an application's
 * own entry point, or a module named by `--app <module>` (env KES_APP) exporting `application`
 * (or a default export). Loaded once, before a command that needs it runs.
 */
export class ApplicationSource {
  private loaded: KesApplication | undefined;

  constructor(private readonly given: KesApplication | undefined) {
    this.loaded = given;
  }

  /** Loads `--app`'s module, if one is named (it wins over the given application). */
  async load(module: string | undefined): Promise<void> {
    if (module === undefined || module === '') return;
    const url = pathToFileURL(path.resolve(module)).href;
    const exports = (await import(url)) as { application?: unknown; default?: unknown };
    const candidate = exports.application ?? exports.default;
    if (!isApplication(candidate)) {
      throw new Error(
        `${module} exports no application (export const application = new ApplicationBuilder(…).build())`,
      );
    }
    this.loaded = candidate;
  }

  /** The application, if there is one. */
  find(): KesApplication | undefined {
    return this.loaded;
  }

  /** The application; throws, saying how to name one, when there is none. */
  get(): KesApplication {
    if (this.loaded) return this.loaded;
    throw new Error(
      this.given === undefined
        ? 'this command needs an application: --app <module> (env KES_APP), or runCli({ application }) from your own entry point'
        : 'no application',
    );
  }
}

function isApplication(value: unknown): value is KesApplication {
  const app = value as Partial<KesApplication> | undefined;
  return (
    typeof app === 'object' &&
    app !== null &&
    typeof app.processors === 'function' &&
    app.topology !== undefined
  );
}
