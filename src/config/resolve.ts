import path from 'node:path';
import type { MigrationsLayout } from '../catalog.js';
import type { CommandContext } from '../cli/context.js';
import { isCi, progressLine, type ProgressLine } from '../cli/progress.js';
import { UsageError } from '../errors.js';
import type { Confidence } from '../match/types.js';
import type { AuditOptions } from '../run.js';
import { redactUrl } from '../schema/live/url.js';
import type { LiveSessionOptions } from '../schema/live/index.js';
import { toolsTimeout, type ProjectTools } from '../schema/project-tools.js';
import { resolveSchemaSource } from './source.js';
import { sqlTagPattern } from './sql-tags.js';

const LEVELS = ['low', 'medium', 'high'] as const;
const LAYOUTS = ['dbmate', 'flyway', 'prisma', 'drizzle', 'plain', 'typeorm', 'kysely', 'sequelize', 'knex', 'node-pg-migrate', 'mikro-orm', 'db-migrate'] as const;

export function confidenceFlag(name: string, value: unknown): Confidence | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${LEVELS.join(', ')}, got "${String(value)}"`);
  }
  return value as Confidence;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): string[] | undefined => (Array.isArray(value) ? (value as string[]) : undefined);

/** A positive number of seconds from a flag (`--statement-timeout 30`, `0.5`). */
export function secondsFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'string' && /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${name} must be a positive number of seconds, got "${String(value)}"`);
  }
  return seconds;
}

/** `--cache-location ""` would resolve to the working directory and fill it with cache files. */
function cacheLocationFlag(value: unknown, cwd: string): string | undefined {
  const dir = str(value);
  if (dir === undefined) return undefined;
  if (dir.trim() === '') throw new UsageError('--cache-location needs a folder', { hint: 'e.g. --cache-location .cache/dead-schema, or --no-cache' });
  return path.resolve(cwd, dir);
}

/** Flags win over the config's `migrationTimeouts`, key by key. */
function migrationTimeouts(ctx: CommandContext): AuditOptions['migrationTimeouts'] {
  const statementSeconds = secondsFlag('statement-timeout', ctx.values['statement-timeout']) ?? ctx.config.migrationTimeouts?.statementSeconds;
  const totalSeconds = secondsFlag('migrations-timeout', ctx.values['migrations-timeout']) ?? ctx.config.migrationTimeouts?.totalSeconds;
  if (statementSeconds === undefined && totalSeconds === undefined) return undefined;
  return { ...(statementSeconds !== undefined ? { statementSeconds } : {}), ...(totalSeconds !== undefined ? { totalSeconds } : {}) };
}

/**
 * Audit options from, in order of precedence: flags, then the config file, then defaults; the
 * schema source also from discovery and the environment (source.ts). Config paths are relative to the config
 * file's folder; flag paths to the cwd. `ignore` and `baseline` are applied by src/suppress.
 */
export async function resolveAuditOptions(ctx: CommandContext, root: string): Promise<AuditOptions> {
  const { values, io, config } = ctx;
  const configDir = ctx.configFile === undefined ? io.cwd : path.dirname(ctx.configFile);
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(configDir, p));

  const projectTools = projectToolsOptions(ctx, configDir);
  const resolved = await resolveSchemaSource(ctx, path.resolve(io.cwd, root), projectTools.command !== undefined);
  const { source, sourceNames } = resolved;
  const live = liveOptions(ctx, resolved.origin === 'config' && source.databaseUrl !== undefined);

  // The config's layout describes the config's migrations folder, not one a flag names.
  const layout = str(values['migrations-layout']) ?? resolved.layout;
  if (layout !== undefined && !(LAYOUTS as readonly string[]).includes(layout)) {
    throw new UsageError(`--migrations-layout must be one of ${LAYOUTS.join(', ')}, got "${layout}"`);
  }
  const schemasFlag = str(values.schemas)?.split(',').map((s) => s.trim()).filter(Boolean);
  const schemas = schemasFlag ?? config.schemas;
  const include = list(values.include) ?? config.include;
  const exclude = list(values.exclude) ?? config.exclude;
  const sharedWith = list(values['shared-with'])?.map((dir) => path.resolve(io.cwd, dir)) ?? config.sharedWith?.map((dir) => fromConfig(dir)!);
  const minConfidence = confidenceFlag('min-confidence', values['min-confidence']) ?? config.minConfidence;
  const timeouts = migrationTimeouts(ctx);
  // --no-cache wins over any location: it is the way out of a cache that misbehaves.
  const cacheDir = values['no-cache'] === true ? (false as const) : (cacheLocationFlag(values['cache-location'], io.cwd) ?? fromConfig(config.cacheLocation));
  const extraSqlTags = sqlTagPattern(config.sqlTags, ctx.configFile === undefined ? 'config' : path.basename(ctx.configFile));
  return {
    root: path.resolve(io.cwd, root),
    ...source,
    sourceNames,
    ...(live !== undefined ? { live } : {}),
    projectTools,
    ...(layout !== undefined ? { layout: layout as MigrationsLayout } : {}),
    ...(schemas !== undefined ? { schemas } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(timeouts !== undefined ? { migrationTimeouts: timeouts } : {}),
    ...(include !== undefined ? { include } : {}),
    ...(exclude !== undefined ? { exclude } : {}),
    ...(sharedWith !== undefined && sharedWith.length > 0 ? { sharedWith } : {}),
    ...(config.testFiles !== undefined ? { testGlobs: config.testFiles } : {}),
    ...(config.names !== undefined ? { names: config.names } : {}),
    ...(config.rules !== undefined ? { ruleSwitches: config.rules } : {}),
    ...(extraSqlTags !== undefined ? { extraSqlTags } : {}),
    ...(values.all === true ? { all: true } : {}),
    ...(values['allow-no-code'] === true ? { allowNoCode: true } : {}),
    ...(minConfidence !== undefined ? { minConfidence } : {}),
  };
}

/**
 * Running project tooling (the migration command, Prisma's CLI) is opt-in: --run-migrations,
 * --migrate-command (typing the command is the consent) or the config's runMigrations. A
 * config's migrateCommand alone runs nothing. The command's time limit is the migrations one.
 */
function projectToolsOptions(ctx: CommandContext, configDir: string): ProjectTools {
  const { values, io, config } = ctx;
  const flagCommand = str(values['migrate-command']);
  const command = flagCommand !== undefined ? { command: flagCommand, cwd: io.cwd } : config.migrateCommand !== undefined ? { command: config.migrateCommand, cwd: configDir } : undefined;
  const allowed = values['run-migrations'] === true || flagCommand !== undefined || config.runMigrations === true;
  if (command !== undefined && !allowed) {
    throw new UsageError(`the config's migrateCommand (${command.command}) runs project code, which is never done unasked`, {
      hint: 'pass --run-migrations, or set "runMigrations": true in the config',
    });
  }
  const total = secondsFlag('migrations-timeout', values['migrations-timeout']) ?? config.migrationTimeouts?.totalSeconds;
  const notice = values.quiet === true ? undefined : (line: string): void => io.stderr(`dead-schema: ${line}\n`);
  return { allowed, timeoutMs: toolsTimeout(total), env: io.env, cwd: io.cwd, ...(command !== undefined ? { command } : {}), ...(notice !== undefined ? { notice } : {}) };
}

/**
 * How the live session may connect. A URL from the config file names a host the repository
 * chose, not the user: PGUSER/PGPASSWORD are not sent to it, and stderr says where it points.
 * Cleartext passwords are a flag only, so a repository cannot turn them on.
 */
function liveOptions(ctx: CommandContext, fromConfigFile: boolean): LiveSessionOptions | undefined {
  const { values, io, config } = ctx;
  const connectSeconds = secondsFlag('connect-timeout', values['connect-timeout']);
  if (fromConfigFile && config.db !== undefined && values.quiet !== true) {
    const file = ctx.configFile === undefined ? 'the config' : path.relative(io.cwd, ctx.configFile) || ctx.configFile;
    io.stderr(`dead-schema: ${file} points at the database ${redactUrl(config.db)}; PGUSER/PGPASSWORD are not sent to a host a config file names\n`);
  }
  return {
    env: io.env,
    trustEnvCredentials: !fromConfigFile,
    ...(values['allow-cleartext-password'] === true ? { allowCleartextPassword: true } : {}),
    ...(connectSeconds !== undefined ? { limits: { connectTimeoutMs: connectSeconds * 1000 } } : {}),
  };
}

/**
 * Progress on stderr only for a person watching: stderr is a terminal (so the line never lands in
 * a log, a pipe or `2>&1` output next to the report), not --quiet, not CI, not TERM=dumb.
 */
export function progressReporter(ctx: CommandContext): ProgressLine | undefined {
  if (ctx.values.quiet === true || !ctx.io.stderrIsTTY || isCi(ctx.io.env) || ctx.io.env.TERM === 'dumb') return undefined;
  return progressLine((text) => ctx.io.stderr(text));
}
