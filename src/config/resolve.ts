import path from 'node:path';
import type { MigrationsLayout } from '../catalog.js';
import type { CommandContext } from '../cli/context.js';
import { UsageError } from '../errors.js';
import type { Confidence } from '../match/types.js';
import type { AuditOptions } from '../run.js';

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

/**
 * Audit options from, in order of precedence: flags, then DATABASE_URL, then the config file,
 * then defaults. Config paths are relative to the config file's folder; flag paths to the cwd.
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
  // A source flag wins outright; DATABASE_URL beats the config file's source.
  const source: Pick<AuditOptions, 'migrations' | 'schemaFile' | 'databaseUrl'> = anyFlagSource
    ? { ...(flagMigrations ? { migrations: flagMigrations } : {}), ...(flagSchema ? { schemaFile: flagSchema } : {}), ...(flagDb ? { databaseUrl: flagDb } : {}) }
    : io.env.DATABASE_URL
      ? { databaseUrl: io.env.DATABASE_URL }
      : {
          ...(config.migrations ? { migrations: fromConfig(config.migrations)! } : {}),
          ...(config.schemaFile ? { schemaFile: fromConfig(config.schemaFile)! } : {}),
          ...(config.db ? { databaseUrl: config.db } : {}),
        };

  const layout = str(values['migrations-layout']) ?? config.migrationsLayout;
  if (layout !== undefined && !(LAYOUTS as readonly string[]).includes(layout)) {
    throw new UsageError(`--migrations-layout must be one of ${LAYOUTS.join(', ')}, got "${layout}"`);
  }
  const schemasFlag = str(values.schemas)?.split(',').map((s) => s.trim()).filter(Boolean);
  const schemas = schemasFlag ?? config.schemas;
  const include = list(values.include) ?? config.include;
  const exclude = list(values.exclude) ?? config.exclude;
  const minConfidence = confidenceFlag('min-confidence', values['min-confidence']) ?? config.minConfidence;
  return {
    root: path.resolve(io.cwd, root),
    ...source,
    ...(layout !== undefined ? { layout: layout as MigrationsLayout } : {}),
    ...(schemas !== undefined ? { schemas } : {}),
    ...(values['no-cache'] === true ? { cacheDir: false as const } : {}),
    ...(include !== undefined ? { include } : {}),
    ...(exclude !== undefined ? { exclude } : {}),
    ...(config.testFiles !== undefined ? { testGlobs: config.testFiles } : {}),
    ...(values.all === true ? { all: true } : {}),
    ...(minConfidence !== undefined ? { minConfidence } : {}),
  };
}

/** Progress on stderr only for a person watching: a TTY, not --quiet, not CI. */
export function progressReporter(ctx: CommandContext): ((step: string, done: number, total: number) => void) | undefined {
  if (ctx.values.quiet === true || !ctx.io.stderrIsTTY || ctx.io.env.CI) return undefined;
  return (step, done, total) => ctx.io.stderr(`\r\x1b[K${step} ${done}/${total}`);
}
