import type { ScriptMigrationTool } from './types.js';

/**
 * The tools whose migrations are scripts, by name. Kept apart from the script readers (which
 * load the TypeScript compiler) so a run on SQL migrations, or on a cached schema, never loads it.
 * js-migrations/index.ts checks this list against its tools.
 */
export const SCRIPT_MIGRATION_TOOLS: readonly ScriptMigrationTool[] = ['typeorm', 'mikro-orm', 'kysely', 'sequelize', 'node-pg-migrate', 'knex', 'db-migrate'];

export function isScriptMigrationTool(layout: string | undefined): layout is ScriptMigrationTool {
  return (SCRIPT_MIGRATION_TOOLS as readonly string[]).includes(layout ?? '');
}
