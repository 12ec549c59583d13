import path from 'node:path';
import type { MigrationsLayout } from '../catalog.js';
import type { CommandContext } from '../cli/context.js';
import { isCi, progressLine, type ProgressLine } from '../cli/progress.js';
import { UsageError } from '../errors.js';
import type { Confidence } from '../match/types.js';
import type { AuditOptions } from '../run.js';
import { redactUrl, type LiveSessionOptions } from '../schema/live/index.js';
import { databaseFromEnv } from './env.js';
import { sqlTagPattern } from './sql-tags.js';

const LEVELS = ['low', 'medium', 'high'] as const;
const LAYOUTS = ['dbmate', 'flyway', 'prisma', 'drizzle', 'plain'] as const;

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

/** Flags win over the config's `migrationTimeouts`, key by key. */
function migrationTimeouts(ctx: CommandContext): AuditOptions['migrationTimeouts'] {
  const statementSeconds = secondsFlag('statement-timeout', ctx.values['statement-timeout']) ?? ctx.config.migrationTimeouts?.statementSeconds;
  const totalSeconds = secondsFlag('migrations-timeout', ctx.values['migrations-timeout']) ?? ctx.config.migrationTimeouts?.totalSeconds;
  if (statementSeconds === undefined && totalSeconds === undefined) return undefined;
  return { ...(statementSeconds !== undefined ? { statementSeconds } : {}), ...(totalSeconds !== undefined ? { totalSeconds } : {}) };
}

/**
 * Audit options from, in order of precedence: flags, then DATABASE_URL or PG* variables (schema
 * source only), then the config file, then defaults. Config paths are relative to the config
 * file's folder; flag paths to the cwd. `ignore` and `baseline` are applied by src/suppress.
 */
export function resolveAuditOptions(ctx: CommandContext, root: string): AuditOptions {
  const { values, io, config } = ctx;
  const configDir = ctx.configFile === undefined ? io.cwd : path.dirname(ctx.configFile);
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(configDir, p));
  const fromCwd = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(io.cwd, p));

  const flagMigrations = fromCwd(str(values.migrations));
  const flagSchema = fromCwd(str(values.schema));
  const flagDb = str(values.db);
  const anyFlagSource = flagMigrations !== undefined || flagSchema !== undefined || flagDb !== undefined;
  const envDb = anyFlagSource ? undefined : databaseFromEnv(io.env);
  const configSource = config.migrations ?? config.schemaFile ?? config.db;
  if (envDb !== undefined && configSource !== undefined && values.quiet !== true) {
    const key = config.migrations !== undefined ? 'migrations' : config.schemaFile !== undefined ? 'schemaFile' : 'db';
    io.stderr(`dead-schema: ${envDb.from} ${envDb.from.includes('/') ? 'are' : 'is'} set, so that database is audited instead of the config's ${key} (a --migrations, --schema or --db flag wins over both)\n`);
  }
  // A source flag wins outright; DATABASE_URL or PG* beat the config file's source.
  const source: Pick<AuditOptions, 'migrations' | 'schemaFile' | 'databaseUrl'> = anyFlagSource
    ? { ...(flagMigrations ? { migrations: flagMigrations } : {}), ...(flagSchema ? { schemaFile: flagSchema } : {}), ...(flagDb ? { databaseUrl: flagDb } : {}) }
    : envDb !== undefined
      ? { databaseUrl: envDb.url }
      : {
          ...(config.migrations ? { migrations: fromConfig(config.migrations)! } : {}),
          ...(config.schemaFile ? { schemaFile: fromConfig(config.schemaFile)! } : {}),
          ...(config.db ? { databaseUrl: config.db } : {}),
        };

  const live = liveOptions(ctx, source.databaseUrl !== undefined && !anyFlagSource && envDb === undefined);
  const sourceNames = {
    ...(source.migrations !== undefined ? { migrations: anyFlagSource ? '--migrations' : 'config migrations' } : {}),
    ...(source.schemaFile !== undefined ? { schemaFile: anyFlagSource ? '--schema' : 'config schemaFile' } : {}),
    ...(source.databaseUrl !== undefined ? { databaseUrl: anyFlagSource ? '--db' : (envDb?.from ?? 'config db') } : {}),
  };

  // The config's layout describes the config's migrations folder, not one a flag names.
  const layout = str(values['migrations-layout']) ?? (source.migrations !== undefined && !anyFlagSource ? config.migrationsLayout : undefined);
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
  const extraSqlTags = sqlTagPattern(config.sqlTags, ctx.configFile === undefined ? 'config' : path.basename(ctx.configFile));
  return {
    root: path.resolve(io.cwd, root),
    ...source,
    sourceNames,
    ...(live !== undefined ? { live } : {}),
    ...(layout !== undefined ? { layout: layout as MigrationsLayout } : {}),
    ...(schemas !== undefined ? { schemas } : {}),
    ...(values['no-cache'] === true ? { cacheDir: false as const } : {}),
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
