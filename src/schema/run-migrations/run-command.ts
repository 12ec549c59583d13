import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, Catalog } from '../../catalog.js';
import { SchemaSourceError, messageOf } from '../../errors.js';
import { cacheKey, cachedSchemaText, isCurrent, pruneCache, readCachedSchema, writeCacheFile, type CachedSchema } from '../cache.js';
import { readBack, type RawSchema } from '../embedded.js';
import { findExtensionRequests, type ExtensionRequest } from '../extensions.js';
import { formatSeconds } from '../pglite-host.js';
import { INTROSPECTION_VERSION } from '../introspect.js';
import { bootFresh, pgliteVersion } from '../pglite.js';
import { DEFAULT_LIMITS, LoadDeadlineError, loadDeadlineMessage, type Sandbox } from '../sandbox.js';
import { spawnCommand, type SpawnResult } from './spawn.js';

export interface RunMigrationCommandOptions {
  /** Run through the shell (`sh -c`, `cmd.exe` on Windows) in `cwd`. */
  command: string;
  cwd: string;
  /** Wall-clock limit for the command; its whole process group is killed when it runs out. */
  timeoutMs: number;
  /** Extensions to boot with; more are found in `migrationFiles` (`CREATE EXTENSION` strings). */
  extensions: string[];
  /** The environment the command inherits; the connection variables are replaced. */
  env: NodeJS.ProcessEnv;
  onProgress?: ((step: string, done: number, total: number) => void) | undefined;
  /**
   * The migration scripts (and the tool's config), absolute or relative to `cwd`: scanned for
   * extensions, excluded from the code scan, and (with `cacheDir`) the cache key.
   */
  migrationFiles?: string[] | undefined;
  /**
   * Caches the result keyed on the command, the contents of `migrationFiles` and the PGlite
   * version; a hit does not run the command. Without `migrationFiles` only PGlite's empty base
   * data directory is cached: the command alone says nothing about what it would create.
   */
  cacheDir?: string | undefined;
}

/**
 * Tools that keep a pool (knex, TypeORM, MikroORM: 10 by default; Sequelize 5) open up to its
 * maximum at once; a connection past the server's limit is reset and fails the migration.
 * Measured with knex (pool max 10): 50 concurrent queries opened 10 connections. Connections are
 * only sockets (PGlite runs one query at a time whatever the count), so the limit is generous.
 */
export const MAX_CONNECTIONS = 64;

/** Lines of the command's output shown when it fails. */
const TAIL_LINES = 20;
const OUTPUT_BYTES = 64 * 1024;
/** A client stuck in a statement when the command ends keeps the worker busy; past this it is terminated. */
const UNSERVE_LIMIT_MS = 10_000;

/**
 * Applies migrations with the project's own migration command, run against an embedded
 * PGlite served on 127.0.0.1, then introspects what it built. The command gets DATABASE_URL
 * and PG* variables for that server; a command that never connects is an error, since it
 * must have gone somewhere else. Throws SchemaSourceError when it fails or runs out of time.
 */
export async function runMigrationCommand(opts: RunMigrationCommandOptions): Promise<RawSchema> {
  const files = await readKeyFiles(opts.cwd, opts.migrationFiles ?? []);
  const requests = findExtensionRequests(files.map(({ file, content }) => ({ file, statements: linesOf(content) })));
  const extensions = [...new Set([...opts.extensions, ...requests.map((r) => r.name)])].sort();
  const version = pgliteVersion();
  const migrationFiles = files.map((f) => f.file);
  // PGlite's base data directory is cached either way; the catalog only with files to key it on.
  const cacheDir = opts.migrationFiles === undefined ? undefined : opts.cacheDir;
  const key = cacheKey({
    kind: 'migrate-command',
    // The command is keyed like a file so the shared key format stays as it is.
    files: [{ relativePath: '\0command', content: opts.command }, ...files.map((f) => ({ relativePath: f.relativePath, content: f.content }))],
    pgliteVersion: version,
    extensions,
  });
  const discarded: AnalysisEvent[] = [];
  if (cacheDir !== undefined) {
    // A catalog from older introspection code is rebuilt by running the command again.
    const read = await readCachedSchema(cacheDir, key);
    if (read.cached !== undefined && isCurrent(read.cached)) {
      const { catalog, source, events } = read.cached;
      return { catalog, source: { ...source, location: opts.command, cacheHit: true }, events: events.map((e) => withFile(e, (f) => path.resolve(opts.cwd, f))), definedAt: {}, migrationFiles };
    }
    if (read.discarded !== undefined) discarded.push(read.discarded);
  }

  const limits = { ...DEFAULT_LIMITS, totalMs: opts.timeoutMs + DEFAULT_LIMITS.totalMs };
  const { db, events: bootEvents } = await boot(extensions, limits, opts.cacheDir, version);
  try {
    const catalog = await migrateAndRead(db, opts);
    const raw: RawSchema = {
      catalog,
      source: { kind: 'migrate-command', location: opts.command, extensionsLoaded: db.loaded, extensionsUnavailable: db.unavailable, cacheHit: false },
      events: [...discarded, ...bootEvents, ...unavailableEvents(requests, db.unavailable)],
      definedAt: {},
      migrationFiles,
    };
    if (cacheDir !== undefined) await writeCache(cacheDir, key, raw, opts.cwd);
    return raw;
  } finally {
    await db.close();
  }
}

async function boot(extensions: string[], limits: typeof DEFAULT_LIMITS, cacheDir: string | undefined, version: string): ReturnType<typeof bootFresh> {
  try {
    return await bootFresh({ extensions, limits }, cacheDir, version);
  } catch (error) {
    if (error instanceof LoadDeadlineError) throw loadDeadlineMessage(error, 'booting PGlite');
    if (error instanceof SchemaSourceError) throw error;
    throw new SchemaSourceError(`cannot start the embedded Postgres (PGlite): ${messageOf(error)}`, { cause: error });
  }
}

/** Serves the database for the length of the command, then reads back what it built. */
async function migrateAndRead(db: Sandbox, opts: RunMigrationCommandOptions): Promise<Catalog> {
  const { port } = await db.serve(MAX_CONNECTIONS);
  opts.onProgress?.('migrate-command', 0, 1);
  let result: SpawnResult;
  let connections = 0;
  try {
    result = await spawnCommand(
      { command: opts.command },
      { cwd: opts.cwd, env: commandEnv(opts.env, port), timeoutMs: opts.timeoutMs, maxOutputBytes: OUTPUT_BYTES },
    );
  } finally {
    // A client killed inside a statement that never ends leaves the worker busy: it is terminated and the error below says why.
    connections = (await db.unserve(UNSERVE_LIMIT_MS).catch(() => undefined))?.connections ?? 0;
  }
  opts.onProgress?.('migrate-command', 1, 1);
  throwIfFailed(opts.command, opts.timeoutMs, result);
  if (connections === 0) {
    throw new SchemaSourceError(`the migration command finished but never connected to the embedded database: ${opts.command}`, {
      reason: 'it must have read its connection from somewhere else (a config file, .env, a variable other than DATABASE_URL or PG*), so it may have migrated another database',
      hint: 'make the tool read DATABASE_URL (or PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE), then run dead-schema again',
    });
  }
  return readBack(db, opts.onProgress);
}

function throwIfFailed(command: string, timeoutMs: number, result: SpawnResult): void {
  const tail = result.stderr.lastLines(TAIL_LINES);
  const output = tail.length > 0 ? tail : result.stdout.lastLines(TAIL_LINES);
  const reason = output.length > 0 ? `its last output:\n${output.join('\n')}` : 'it printed nothing';
  if (result.timedOut) {
    throw new SchemaSourceError(`the migration command took over ${formatSeconds(timeoutMs)} and was stopped: ${command}`, {
      reason,
      hint: 'it must exit once the migrations are applied (not wait for input, watch files or start a server); if it is only slow, raise the time limit',
    });
  }
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `failed with exit code ${result.exitCode}`;
    throw new SchemaSourceError(`the migration command ${how}: ${command}`, {
      reason,
      hint: 'run it yourself against an empty database (DATABASE_URL) to see the whole output',
    });
  }
}

/**
 * The inherited environment with every way a Postgres client picks a server pointed at the
 * embedded one: a user's shell often has PG* or DATABASE_URL set for a real database, which
 * the migration must never reach. Other PG* variables (PGSERVICE, PGOPTIONS, PGSSLCERT...)
 * could still send it elsewhere or fail the handshake, so they are dropped.
 */
export function commandEnv(inherited: NodeJS.ProcessEnv, port: number): NodeJS.ProcessEnv {
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inherited)) if (!/^PG/i.test(name)) env[name] = value;
  return {
    ...env,
    DATABASE_URL: url,
    DEAD_SCHEMA_DATABASE_URL: url,
    PGHOST: '127.0.0.1',
    PGPORT: String(port),
    PGUSER: 'postgres',
    PGPASSWORD: 'postgres',
    PGDATABASE: 'postgres',
    // pglite-socket answers an SSL request with "no"; a client that insists would give up.
    PGSSLMODE: 'disable',
  };
}

interface KeyFile {
  file: string;
  relativePath: string;
  content: string;
}

async function readKeyFiles(cwd: string, files: string[]): Promise<KeyFile[]> {
  const unique = [...new Set(files.map((f) => path.resolve(cwd, f)))].sort();
  return Promise.all(
    unique.map(async (file) => {
      const content = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new SchemaSourceError(`cannot read migration file ${path.relative(process.cwd(), file) || file}: ${messageOf(error)}`, { path: file, cause: error });
      });
      return { file, relativePath: path.relative(cwd, file).split(path.sep).join('/'), content };
    }),
  );
}

/** One "statement" per line: a `CREATE EXTENSION` in a script's string is then found with its line. */
function linesOf(content: string): { sql: string; line: number }[] {
  return content.split('\n').map((sql, index) => ({ sql, line: index + 1 }));
}

function unavailableEvents(requests: ExtensionRequest[], unavailable: string[]): AnalysisEvent[] {
  const missing = new Set(unavailable);
  return requests
    .filter((r) => missing.has(r.name))
    .map((r) => ({
      kind: 'extension-unavailable' as const,
      extension: r.name,
      message: `extension "${r.name}" is not available in PGlite; the migration that creates it fails unless it tolerates that`,
      file: r.file,
      line: r.line,
    }));
}

/**
 * Only the catalog: unlike a SQL load, a cached data directory would save nothing, since a
 * catalog from other introspection code is rebuilt by running the command again.
 */
async function writeCache(cacheDir: string, key: string, raw: RawSchema, cwd: string): Promise<void> {
  const entry: CachedSchema = {
    introspectionVersion: INTROSPECTION_VERSION,
    catalog: raw.catalog,
    source: raw.source,
    // A discarded entry is news for this run only.
    events: raw.events.filter((e) => e.kind !== 'cache-discarded').map((e) => withFile(e, (f) => path.relative(cwd, f).split(path.sep).join('/'))),
    definedAt: {},
  };
  await writeCacheFile(cacheDir, `${key}.catalog.json`, cachedSchemaText(entry));
  await pruneCache(cacheDir);
}

function withFile(event: AnalysisEvent, map: (file: string) => string): AnalysisEvent {
  return event.file === undefined ? event : { ...event, file: map(event.file) };
}
