import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Command } from 'commander';
import type { KesApplication } from '../app/kesApplication.js';
import { checkSchemas, formatCheckReport } from '../serde/checkSchemas.js';
import { loadSchemaCatalog } from '../serde/loadSchemaCatalog.js';
import { applicationCatalog, Serde } from '../serde/serde.js';
import { defaultRegistry, registryAuthFromEnv } from './options.js';

/** `kes schemas register|check`: the project's schemas against a schema registry. */
export function schemasCommand(
  program: Command,
  app: () => KesApplication,
  findApp: () => KesApplication | undefined,
): void {
  const schemas = program.command('schemas').description("register or check the project's Avro schemas");
  const registryOption = '--registry <url>';
  const registryHelp = 'schema registry URL (default: SCHEMA_REGISTRY_URL, else http://127.0.0.1:8081)';
  const dirHelp = "a schemas directory (default: the application's)";
  // The topics of each type are the application's (its deciders'), whichever directory is read.
  // Without an application, a directory's own topics.json says the topics.
  const catalogOf = (dir: string | undefined) => {
    const application = dir === undefined ? app() : findApp();
    return application ? applicationCatalog(application, dir) : loadSchemaCatalog(dir!);
  };

  schemas
    .command('register')
    .description('register every schema version under its subjects <topic>-<full name>, BACKWARD_TRANSITIVE')
    .option(registryOption, registryHelp)
    .option('--dir <dir>', dirHelp)
    .action(async (opts: { registry?: string; dir?: string }) => {
      const url = opts.registry ?? defaultRegistry();
      const serde = new Serde({
        registry: new SchemaRegistry({ host: url, clientId: 'kes-schemas', auth: registryAuthFromEnv() }),
        catalog: catalogOf(opts.dir),
      });
      const registered = await serde.registerAll();
      for (const r of registered) console.log(`  ${r.subject} v${r.version}: id ${r.id}`);
      console.log(`${registered.length} schemas registered in ${url}`);
    });

  schemas
    .command('check')
    .description('report whether changed schemas are compatible with what the registry holds (exit 1 if not)')
    .option(registryOption, registryHelp)
    .option('--dir <dir>', dirHelp)
    .action(async (opts: { registry?: string; dir?: string }) => {
      const report = await checkSchemas(
        catalogOf(opts.dir),
        opts.registry ?? defaultRegistry(),
        fetch,
        registryAuthFromEnv(),
      );
      console.log(formatCheckReport(report));
      if (!report.ok) process.exitCode = 1;
    });
}
