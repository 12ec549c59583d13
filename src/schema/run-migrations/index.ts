export { MAX_CONNECTIONS, commandEnv, runMigrationCommand, type RunMigrationCommandOptions } from './run-command.js';
export { KYSELY_MIGRATOR, detectMigrationTools, kyselyMigratorCommand, type DetectedMigrationTool, type MigrationTool } from './presets.js';
export { drizzleExportSql, loadGeneratedSql, prismaSchemaSql, type GeneratedLoad } from './generate.js';
