/*
 * dead-schema's own Kysely migrator: `node kysely-migrator.js <migrationsDir>`, run through
 * runMigrationCommand (opt-in, announced, time-limited) when a project uses Kysely without
 * kysely-ctl. Projects usually migrate through an app script that imports half the app
 * (config, .env, its own dialect) and fails outside it; this applies the folder alone, with the
 * project's own Kysely compiling the SQL, a pg Pool on DATABASE_URL, and Kysely's Migrator.
 * It prints each applied migration on stdout and exits 1 with one line on stderr on failure.
 */
import { createRequire } from 'node:module';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TemporaryModules } from './ts-modules.js';

/** The parts of Kysely's API used here; typed locally so any project version fits. */
interface KyselyModule {
  Kysely: new (config: { dialect: unknown }) => { destroy(): Promise<void> };
  Migrator: new (props: { db: unknown; provider: { getMigrations(): Promise<Record<string, Migration>> } }) => {
    migrateToLatest(): Promise<{ error?: unknown; results?: { migrationName: string; status: 'Success' | 'Error' | 'NotExecuted' }[] }>;
  };
  PostgresDialect: new (config: { pool: unknown }) => unknown;
}

interface Migration {
  up: (db: unknown) => Promise<void>;
  down?: (db: unknown) => Promise<void>;
}

type PgModule = { Pool: new (config: { connectionString: string }) => unknown };

class UsageError extends Error {}

const temporary = new TemporaryModules();

async function main(args: string[]): Promise<void> {
  if (args.length !== 1 || args[0] === undefined) throw new UsageError('usage: node kysely-migrator.js <migrationsDir>');
  const dir = path.resolve(args[0]);
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') throw new UsageError('DATABASE_URL is not set: it names the database to migrate');
  const kysely = await projectKysely(dir);
  const pg = await projectPg(dir);
  let migrations: Record<string, Migration>;
  try {
    migrations = await loadMigrations(dir);
  } finally {
    // Loaded modules live on in memory; the copies must not outlive the load in the user's tree.
    temporary.removeAll();
  }
  const db = new kysely.Kysely({ dialect: new kysely.PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
  try {
    const migrator = new kysely.Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    const { error, results = [] } = await migrator.migrateToLatest();
    for (const result of results) if (result.status === 'Success') console.log(result.migrationName);
    if (error !== undefined) {
      const failed = results.find((r) => r.status === 'Error');
      throw new UsageError(`${failed === undefined ? 'the Kysely Migrator failed' : `migration ${failed.migrationName} failed`}: ${messageOf(error)}`);
    }
    if (results.length === 0) console.log(`no migrations in ${dir}`);
  } finally {
    await db.destroy();
  }
}

/**
 * The project's Kysely, resolved from the migrations folder as their own `import 'kysely'`
 * is: the same module instance (and SQL compiler version) the migrations use.
 */
async function projectKysely(dir: string): Promise<KyselyModule> {
  const found = await importFrom(dir, 'kysely');
  if (found === undefined) throw new UsageError(`kysely is not installed where the migrations are (${dir}): run \`npm i kysely\` in the project, then run dead-schema again`);
  const mod = exportsOf<KyselyModule>(found, ['Kysely', 'Migrator', 'PostgresDialect']);
  if (mod === undefined) throw new UsageError(`the kysely installed for ${dir} has no Kysely, Migrator and PostgresDialect exports: it is too old or not Kysely`);
  return mod;
}

/** The project's pg when it has one (its version talks to its Postgres), else dead-schema's own. */
async function projectPg(dir: string): Promise<PgModule> {
  const found = (await importFrom(dir, 'pg')) ?? (await import('pg'));
  const mod = exportsOf<PgModule>(found, ['Pool']);
  if (mod === undefined) throw new UsageError(`the pg package found for ${dir} has no Pool export`);
  return mod;
}

/** The named exports, from the module itself or its CommonJS `default`. */
function exportsOf<T>(mod: unknown, names: string[]): T | undefined {
  for (const candidate of [mod, (mod as { default?: unknown }).default]) {
    if (typeof candidate === 'object' && candidate !== null && names.every((n) => typeof (candidate as Record<string, unknown>)[n] === 'function')) return candidate as T;
  }
  return undefined;
}

/**
 * `import(name)` as a module in `dir` would: createRequire finds the package walking up
 * node_modules like Node does; its `exports` import condition then picks the ESM build,
 * since `require.resolve` answers with the CommonJS one. Undefined when it is not installed.
 */
async function importFrom(dir: string, name: string): Promise<unknown> {
  let entry: string;
  try {
    entry = createRequire(path.join(dir, 'noop.js')).resolve(name);
  } catch {
    return undefined;
  }
  return import(pathToFileURL((await esmEntry(entry, name)) ?? entry).href);
}

async function esmEntry(entry: string, name: string): Promise<string | undefined> {
  for (let at = path.dirname(entry); path.dirname(at) !== at; at = path.dirname(at)) {
    const pkg = await readFile(path.join(at, 'package.json'), 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>, () => undefined);
    if (pkg?.name !== name) continue;
    const exports = pkg.exports as Record<string, unknown> | string | undefined;
    const root = typeof exports === 'object' && exports !== null && '.' in exports ? exports['.'] : exports;
    const target = importCondition(root) ?? (typeof pkg.module === 'string' ? pkg.module : undefined);
    return target === undefined ? undefined : path.join(at, target);
  }
  return undefined;
}

function importCondition(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const conditions = value as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const target = conditions[key];
    if (typeof target === 'string') return key === 'import' ? target : undefined;
    const nested = importCondition(target);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/**
 * The folder's migrations as Kysely's FileMigrationProvider reads them: `.js/.mjs/.ts/.mts`
 * files (not `.d.ts`), keyed by name without the extension, taking the module or its
 * `default`, skipping files without `up`. The Migrator sorts the keys itself.
 */
async function loadMigrations(dir: string): Promise<Record<string, Migration>> {
  const names = (await readdir(dir).catch((error: unknown) => Promise.reject(new UsageError(`cannot read the migrations folder ${dir}: ${messageOf(error)}`))))
    .filter(isMigrationFile)
    .sort();
  const migrations: Record<string, Migration> = {};
  for (const name of names) {
    const file = path.join(dir, name);
    let mod: unknown;
    try {
      mod = /\.m?ts$/.test(name) ? await temporary.importTypeScript(file) : await import(pathToFileURL(file).href);
    } catch (error) {
      throw new UsageError(`cannot load migration ${name}: ${messageOf(error)}`);
    }
    const migration = [(mod as { default?: unknown }).default, mod].find(isMigration);
    if (migration !== undefined) migrations[name.slice(0, name.lastIndexOf('.'))] = migration;
  }
  return migrations;
}

function isMigrationFile(name: string): boolean {
  return name.endsWith('.js') || name.endsWith('.mjs') || (name.endsWith('.ts') && !name.endsWith('.d.ts')) || (name.endsWith('.mts') && !name.endsWith('.d.mts'));
}

function isMigration(value: unknown): value is Migration {
  return typeof value === 'object' && value !== null && typeof (value as { up?: unknown }).up === 'function';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A timeout stops the group with SIGTERM: the transpiled copies must not stay in the user's tree.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    temporary.removeAll();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  });
}

try {
  await main(process.argv.slice(2));
  // A migration may leave a timer or socket behind; the work is done.
  process.exit(0);
} catch (error) {
  temporary.removeAll();
  console.error(`kysely-migrator: ${messageOf(error)}`);
  if (!(error instanceof UsageError) && error instanceof Error && error.stack !== undefined) console.error(error.stack);
  process.exit(1);
}
