import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeCandidate, discoverSchema, generatedBy, type SchemaCandidate } from '../../discover/index.js';
import { UsageError } from '../../errors.js';
import { readMigrations, ScriptsNeedRunningError } from '../../schema/migrations.js';
import { presetFor } from '../../schema/project-tools.js';
import { KYSELY_MIGRATOR } from '../../schema/run-migrations/index.js';
import type { Command } from '../context.js';

const CONFIG_NAME = 'dead-schema.config.json';

/**
 * Writes what discovery found as a config, so the choice is visible and reviewed once instead of
 * re-guessed on every run. Script migrations that only running can apply get the detected tool's
 * command as `migrateCommand`, left switched off (`runMigrations: false`): init never decides to
 * run project code for the user.
 */
export const initCommand: Command = {
  rootArgument: true,
  usage: 'init [root]',
  summary: 'write dead-schema.config.json from the schema source found in the repository',
  details: 'Migrations that only running can apply get the detected command as "migrateCommand", switched off ("runMigrations": false): init never decides to run project code.',
  async run(ctx) {
    if (ctx.args.length > 0) throw new UsageError(`unexpected argument "${ctx.args[0]}"`, { hint: 'give one root directory' });
    const file = path.join(ctx.root, CONFIG_NAME);
    if (existsSync(file)) throw new UsageError(`${path.relative(ctx.io.cwd, file) || file} already exists`, { hint: 'edit it, or remove it and run init again' });
    if (ctx.configFile !== undefined) ctx.io.stderr(`dead-schema: note: ${path.relative(ctx.io.cwd, ctx.configFile)} already configures this root; the new file will take precedence\n`);

    const { chosen, others } = await discoverSchema(ctx.root);
    const config: Record<string, unknown> = { $schema: './node_modules/dead-schema/schema.json' };
    const notes: string[] = [];
    if (chosen === undefined) {
      notes.push(`no migrations found: set "migrations", "schemaFile" or "db" in ${CONFIG_NAME}`);
    } else {
      notes.push(`schema: ${describeCandidate(chosen, ctx.root)}`);
      if (others.length > 0) notes.push(`not chosen: ${others.map((c) => describeCandidate(c, ctx.root)).join('; ')}`);
      Object.assign(config, await sourceSettings(chosen, ctx.root, notes));
    }
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    for (const note of notes) ctx.io.stderr(`dead-schema: ${note}\n`);
    await ctx.io.stdout(`${path.relative(ctx.io.cwd, file) || file}\n`);
    return 0;
  },
};

async function sourceSettings(chosen: SchemaCandidate, root: string, notes: string[]): Promise<Record<string, unknown>> {
  const relative = (p: string): string => path.relative(root, p).split(path.sep).join('/') || '.';
  const tool = generatedBy(chosen);
  if (tool !== undefined) {
    notes.push(`${relative(chosen.path)} has no migrations: audits generate its SQL with the project's ${tool} when run with --run-migrations (or "runMigrations": true)`);
    return { runMigrations: false };
  }
  const settings: Record<string, unknown> = { migrations: relative(chosen.path) };
  if (chosen.layout !== undefined) settings.migrationsLayout = chosen.layout;
  if (chosen.scripts !== true) return settings;
  try {
    const set = await readMigrations(chosen.path);
    settings.migrationsLayout = set.layout;
    notes.push(`the ${set.layout} migrations are read statically (${set.files.length} files): nothing runs`);
  } catch (error) {
    if (!(error instanceof ScriptsNeedRunningError)) throw error;
    const preset = await nearestPreset(error.tool, chosen.path, root);
    if (preset !== undefined && preset.includes(KYSELY_MIGRATOR)) {
      // The built-in migrator's command names this machine's paths: --run-migrations finds it anew each run.
      settings.runMigrations = false;
      notes.push(`the kysely migrations need running: dead-schema's built-in Kysely migrator applies them; it runs project code, so set "runMigrations": true (or pass --run-migrations) once you agree`);
    } else if (preset !== undefined) {
      settings.migrateCommand = preset;
      settings.runMigrations = false;
      notes.push(`the ${error.tool} migrations need running: "migrateCommand" is \`${preset}\`; it runs project code, so set "runMigrations": true (or pass --run-migrations) once you have read it`);
    } else {
      notes.push(`the ${error.tool} migrations need running and no command to apply them was found: set "migrateCommand" and "runMigrations": true`);
    }
  }
  return settings;
}

/** The tool's command from the nearest package above the migrations, run from the config's folder. */
async function nearestPreset(tool: string, dir: string, root: string): Promise<string | undefined> {
  const preset = await presetFor(tool, dir);
  if (preset === undefined) return undefined;
  const rel = path.relative(root, preset.dir).split(path.sep).join('/');
  return rel === '' || rel.startsWith('..') ? preset.command : `cd ${rel} && ${preset.command}`;
}
