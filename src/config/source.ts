import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../cli/context.js';
import { describeCandidate, discoverSchema, generatedBy, type SchemaCandidate } from '../discover/index.js';
import { folderContents } from '../discover/folders.js';
import { SchemaSourceError } from '../errors.js';
import type { AuditOptions } from '../run.js';
import { redactUrl } from '../schema/live/url.js';
import { databaseFromEnv } from './env.js';

type Source = Pick<AuditOptions, 'migrations' | 'schemaFile' | 'databaseUrl' | 'generatedSchema'>;

export interface ResolvedSource {
  source: Source;
  /** The flag, config key or variable each source came from, for messages. */
  sourceNames: NonNullable<AuditOptions['sourceNames']>;
  /** Where it came from: `flag`, `config`, `discovered`, `env`. */
  origin: 'flag' | 'config' | 'discovered' | 'env';
  /** The layout discovery knows from how it found the folder (drizzle journal, Prisma folders). */
  layout?: AuditOptions['layout'];
  /** Discovery's pick, when discovery chose. */
  discovered?: SchemaCandidate;
}

/**
 * The schema source, in this order: a flag, then the config file, then what discovery finds in
 * the repository, and only then DATABASE_URL / PG*. The environment comes last because it is so
 * often set for something else (a test database in CI, a dev server in .env): a variable that
 * silently replaced the repository's migrations once audited an empty database and passed.
 * Every choice that was not spelled out is said on stderr.
 */
export async function resolveSchemaSource(ctx: CommandContext, root: string, hasCommand = false): Promise<ResolvedSource> {
  const { values, io, config } = ctx;
  const configDir = ctx.configFile === undefined ? io.cwd : path.dirname(ctx.configFile);
  const say = (line: string): void => {
    if (values.quiet !== true) io.stderr(`dead-schema: ${line}\n`);
  };
  const envDb = databaseFromEnv(io.env);
  const ignoredEnv = (winner: string): void => {
    if (envDb !== undefined) say(`${envDb.from} ${envDb.from.includes('/') ? 'are' : 'is'} set but not used: ${winner} names the schema (pass --db to audit that database instead)`);
  };

  const flag = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const flags = { migrations: flag('migrations'), schemaFile: flag('schema'), db: flag('db') };
  if (Object.values(flags).some((v) => v !== undefined)) {
    return explicitSource('flag', flags, io.cwd, { migrations: '--migrations', schemaFile: '--schema', db: '--db' }, io.cwd, say);
  }
  if (config.migrations !== undefined || config.schemaFile !== undefined || config.db !== undefined) {
    ignoredEnv(`the config's ${config.migrations !== undefined ? 'migrations' : config.schemaFile !== undefined ? 'schemaFile' : 'db'}`);
    const named = { migrations: 'config migrations', schemaFile: 'config schemaFile', db: 'config db' };
    const resolved = await explicitSource('config', config, configDir, named, io.cwd, say);
    return resolved.source.migrations !== undefined && config.migrationsLayout !== undefined ? { ...resolved, layout: config.migrationsLayout } : resolved;
  }

  const { chosen, others } = existsSync(root) ? await discoverSchema(root) : { chosen: undefined, others: [] };
  if (chosen !== undefined) {
    say(`schema from ${describeCandidate(chosen, io.cwd)}, found in the repository (no --migrations, --schema or --db flag and no config source)`);
    if (others.length > 0) {
      say(`also found: ${others.map((c) => describeCandidate(c, io.cwd)).join('; ')}; pick one with --migrations DIR or "migrations" in dead-schema.config.json (dead-schema init writes it)`);
    }
    ignoredEnv(path.relative(io.cwd, chosen.path) || '.');
    const tool = generatedBy(chosen);
    const source: Source = tool !== undefined ? { generatedSchema: { tool, file: chosen.path } } : { migrations: chosen.path };
    return {
      origin: 'discovered',
      source,
      sourceNames: tool !== undefined ? {} : { migrations: 'the discovered folder' },
      ...(chosen.layout !== undefined ? { layout: chosen.layout } : {}),
      discovered: chosen,
    };
  }

  // A migration command is a source of its own: it builds the schema, the environment is its target.
  if (hasCommand) return { origin: 'flag', source: {}, sourceNames: {} };
  if (envDb !== undefined) {
    say(`auditing the database ${envDb.from} points at (${redactUrl(envDb.url)}): no flag, config or migrations folder in the repository names a schema source`);
    return { origin: 'env', source: { databaseUrl: envDb.url }, sourceNames: { databaseUrl: envDb.from } };
  }
  throw new SchemaSourceError(`no schema source: no migrations, schema.prisma or drizzle folder found under ${path.relative(io.cwd, root) || '.'}`, {
    path: root,
    hint: 'pass --migrations DIR, --schema FILE or --db URL (or set DATABASE_URL); `dead-schema init` writes the choice to dead-schema.config.json',
  });
}

type Given = { migrations?: string | undefined; schemaFile?: string | undefined; db?: string | undefined };

/** A source the user named (flags or the config file); paths relative to `baseDir`. */
async function explicitSource(origin: 'flag' | 'config', given: Given, baseDir: string, names: Required<Record<keyof Given, string>>, cwd: string, say: (line: string) => void): Promise<ResolvedSource> {
  const migrations = given.migrations === undefined ? undefined : await descend(path.resolve(baseDir, given.migrations), names.migrations, cwd, say);
  const schemaFile = given.schemaFile === undefined ? undefined : path.resolve(baseDir, given.schemaFile);
  return {
    origin,
    source: {
      ...(migrations !== undefined ? { migrations } : {}),
      ...(schemaFile !== undefined ? { schemaFile } : {}),
      ...(given.db !== undefined ? { databaseUrl: given.db } : {}),
    },
    sourceNames: {
      ...(migrations !== undefined ? { migrations: names.migrations } : {}),
      ...(schemaFile !== undefined ? { schemaFile: names.schemaFile } : {}),
      ...(given.db !== undefined ? { databaseUrl: names.db } : {}),
    },
  };
}

/**
 * `--migrations packages/db` where the SQL sits in `packages/db/migrations`: a folder holding no
 * migrations itself but one discovery finds inside is taken to mean that one, and said so.
 */
async function descend(dir: string, named: string, cwd: string, say: (line: string) => void): Promise<string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return dir;
  const contents = await folderContents(dir);
  if (contents.sqlFiles > 0 || contents.scriptFiles > 0) return dir;
  const { chosen } = await discoverSchema(dir);
  if (chosen === undefined || generatedBy(chosen) !== undefined) return dir;
  say(`${named} ${path.relative(cwd, dir) || '.'} holds no migrations itself: using ${path.relative(cwd, chosen.path)} inside it (${chosen.why})`);
  return chosen.path;
}
