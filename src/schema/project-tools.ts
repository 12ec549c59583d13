import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SchemaSourceError } from '../errors.js';
import type { RawSchema } from './embedded.js';
import { ScriptsNeedRunningError } from './migrations.js';
import { detectMigrationTools, drizzleExportSql, KYSELY_MIGRATOR, loadGeneratedSql, prismaSchemaSql, runMigrationCommand, type DetectedMigrationTool, type GeneratedLoad } from './run-migrations/index.js';
import type { GeneratedSchema, ProjectTools } from './tool-options.js';

// Declared apart: LoadSchemaOptions (and so the public AuditOptions) names them, and the package's
// public types must not reach this module's imports (the migration readers' compiler types).
export type { GeneratedSchema, ProjectTools } from './tool-options.js';

/*
 * Schema sources that run project tooling: the project's migration command (knex, TypeORM,
 * sequelize-cli... against the embedded database over the wire protocol) and Prisma's CLI for a
 * schema.prisma with no migrations. Running project code is opt-in (`--run-migrations`,
 * `--migrate-command`, config `runMigrations`): without it each path stops with the command that
 * would work. Whatever runs is announced through `notice` before it starts.
 */

const DEFAULT_TIMEOUT_MS = 600_000;

export function toolsTimeout(totalSeconds: number | undefined): number {
  return totalSeconds === undefined ? DEFAULT_TIMEOUT_MS : totalSeconds * 1000;
}

/** The explicit command, its migrations (for the cache key and for the scanner to skip) in `dir` when given. */
export async function runExplicitCommand(tools: ProjectTools & { command: NonNullable<ProjectTools['command']> }, dir: string | undefined, cacheDir: string | undefined, onProgress: GeneratedLoad['onProgress']): Promise<RawSchema> {
  const files = dir === undefined ? [] : await migrationScripts(dir);
  return run(tools.command.command, tools.command.cwd, files, tools, cacheDir, onProgress);
}

/**
 * Script migrations that static reading could not apply: with permission, the tool's own
 * command runs them (the preset found nearest the folder); without it, the error says how.
 */
export async function runNeededScripts(error: ScriptsNeedRunningError, dir: string, tools: ProjectTools, cacheDir: string | undefined, onProgress: GeneratedLoad['onProgress']): Promise<RawSchema> {
  const preset = await presetFor(error.tool, path.resolve(dir));
  if (!tools.allowed) {
    const runs = preset?.command.includes(KYSELY_MIGRATOR) === true ? "dead-schema's built-in Kysely migrator with the project's kysely" : `\`${preset?.command ?? ''}\``;
    const how = preset === undefined ? `--migrate-command "<the command that applies them>"` : `--run-migrations (runs ${runs} in ${shown(preset.dir, tools.cwd)})`;
    throw new SchemaSourceError(error.message, { ...error.details, hint: `pass ${how}: that runs project code, so it is never done unasked; or audit a database they were applied to with --db` });
  }
  if (preset === undefined) {
    throw new SchemaSourceError(`${error.message}; no ${error.tool} command found to apply them`, {
      ...error.details,
      hint: 'name the command with --migrate-command "npx knex migrate:latest" (run in the audited root with DATABASE_URL set)',
    });
  }
  return run(preset.command, preset.dir, error.scripts, tools, cacheDir, onProgress);
}

/**
 * A schema.prisma or drizzle schema with no migrations: SQL from the project's Prisma CLI or
 * drizzle-kit, with permission (drizzle-kit imports the schema modules; Prisma 6+ may load a
 * prisma.config.ts).
 */
export async function loadGeneratedSchema(generated: GeneratedSchema, tools: ProjectTools, load: GeneratedLoad): Promise<RawSchema> {
  const file = path.resolve(generated.file);
  const projectDir = nearestPackage(path.dirname(file));
  const command = generated.tool === 'prisma' ? `prisma migrate diff --from-empty --to-schema ${shown(file, tools.cwd)} --script` : `drizzle-kit export --sql --config ${shown(file, tools.cwd)}`;
  const name = generated.tool === 'prisma' ? "the project's Prisma CLI" : "the project's drizzle-kit";
  if (!tools.allowed) {
    throw new SchemaSourceError(`${shown(file, tools.cwd)} has no migrations: its SQL comes from ${name} (${command})`, {
      path: file,
      hint: 'pass --run-migrations to let dead-schema run it (it runs project tooling, so never unasked), or pass --schema with a pg_dump --schema-only of a database',
    });
  }
  tools.notice?.(`generating the schema's SQL with ${name} in ${shown(projectDir, tools.cwd)} (--run-migrations): ${command}`);
  const sql = generated.tool === 'prisma' ? await prismaSchemaSql(file, projectDir, tools.timeoutMs) : await drizzleExportSql(file, projectDir, tools.timeoutMs);
  return loadGeneratedSql(sql, file, load);
}

async function run(command: string, cwd: string, files: string[], tools: ProjectTools, cacheDir: string | undefined, onProgress: GeneratedLoad['onProgress']): Promise<RawSchema> {
  tools.notice?.(`running the project's migration command in ${shown(cwd, tools.cwd)} against an embedded database (project code runs; DATABASE_URL points at it): ${command}`);
  return runMigrationCommand({
    command,
    cwd,
    timeoutMs: tools.timeoutMs,
    extensions: [],
    env: tools.env,
    migrationFiles: files,
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(onProgress !== undefined ? { onProgress } : {}),
  });
}

/**
 * The tool's preset in the nearest folder above the migrations folder `dir` that has one (its
 * package or the repository top); presets that name the folder (Kysely's) are given it.
 */
export async function presetFor(tool: string, dir: string): Promise<(DetectedMigrationTool & { dir: string }) | undefined> {
  for (let at = path.dirname(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) {
      const found = await detectMigrationTools(at, path.resolve(dir));
      const match = found.find((t) => t.tool === tool || (tool === 'kysely' && t.tool === 'package-script')) ?? found.find((t) => t.tool === 'package-script');
      if (match !== undefined) return { ...match, dir: at };
    }
    if (existsSync(path.join(at, '.git')) || path.dirname(at) === at) return undefined;
  }
}

function nearestPackage(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) return dir;
  }
}

async function migrationScripts(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(dir, e.name)).sort();
}

function shown(p: string, cwd: string): string {
  return path.relative(cwd, p) || '.';
}
