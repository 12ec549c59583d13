import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AnalysisEvent } from '../catalog.js';
import { messageOf } from '../errors.js';
import { baseDataDirKey, discardCacheFile, readCachedDataDir, writeCacheFile } from './cache.js';
import { formatSeconds } from './pglite-host.js';
import { refusalReason } from './refuse.js';
import { LIMIT_SETTINGS, LoadDeadlineError, loadDeadlineMessage, Sandbox, type LoadLimits, type RunOutcome } from './sandbox.js';
import { excerpt, isTransactionControl, loadSqlScanner, type SqlStatement } from './split.js';

const gzipAsync = promisify(gzip);

export interface ApplyUnit {
  /** Absolute path, reported in events. */
  file: string;
  statements: SqlStatement[];
}

export interface ApplyOptions {
  eventKind: 'migration-failed' | 'schema-statement-failed';
  /** Statements never sent to the database (unavailable extensions, ownership and grants in dumps). */
  skip?: (statement: SqlStatement) => boolean;
  /** Failures that are expected and say nothing about the schema. */
  isHarmless?: (statement: SqlStatement, error: unknown) => boolean;
  onFileDone?: (done: number, total: number) => void;
}

export interface ApplyResult {
  applied: number;
  failed: number;
  /** Events with absolute file paths. */
  events: AnalysisEvent[];
}

/**
 * Applies files in order. Each file first runs as one `exec`: PGlite sends it as one simple
 * query, which Postgres runs as one implicit transaction, so a failure rolls the whole file
 * back (BEGIN/COMMIT are removed beforehand, otherwise a COMMIT in the middle would keep half
 * of it). Only then is the file replayed statement by statement, so nothing runs twice and
 * every failing statement is reported with its line. A file that outlives the statement limit
 * as a whole is replayed the same way, so the limit lands on the statement that loops.
 * Throws SchemaSourceError (exit 2) when the total limit runs out.
 */
export async function applyFiles(db: Sandbox, units: ApplyUnit[], options: ApplyOptions): Promise<ApplyResult> {
  await loadSqlScanner();
  const result: ApplyResult = { applied: 0, failed: 0, events: [] };
  const createdRoles = new Set<string>();
  const at = { file: '', line: 0 };
  try {
    for (const [index, unit] of units.entries()) {
      at.file = unit.file;
      const runnable = runnableStatements(unit, options, result.events);
      if (runnable.length > 0) await applyUnit(db, unit, runnable, options, result, { createdRoles, at });
      options.onFileDone?.(index + 1, units.length);
    }
  } catch (error) {
    if (error instanceof LoadDeadlineError) throw loadDeadlineMessage(error, `${path.relative(process.cwd(), at.file) || at.file}:${at.line}`);
    throw error;
  }
  return result;
}

/** The statements of a file to send, minus skipped ones and those refused with an event. */
function runnableStatements(unit: ApplyUnit, options: ApplyOptions, events: AnalysisEvent[]): SqlStatement[] {
  const runnable: SqlStatement[] = [];
  for (const statement of unit.statements) {
    if (isTransactionControl(statement.sql) || (options.skip?.(statement) ?? false)) continue;
    const refused = refusalReason(statement.sql);
    if (refused === undefined) {
      runnable.push(statement);
      continue;
    }
    events.push({
      kind: 'statement-refused',
      message: `${refused}; it was not run, and the rest still applies`,
      file: unit.file,
      line: statement.line,
      statement: excerpt(statement.sql),
    });
  }
  return runnable;
}

async function applyUnit(
  db: Sandbox,
  unit: ApplyUnit,
  runnable: SqlStatement[],
  options: ApplyOptions,
  result: ApplyResult,
  state: { createdRoles: Set<string>; at: { line: number } },
): Promise<void> {
  state.at.line = runnable[0]?.line ?? 0;
  const whole = await db.run(`${runnable.map((s) => s.sql).join(';\n')};`);
  if (whole.ok) {
    result.applied += runnable.length;
    return;
  }
  for (const statement of runnable) {
    state.at.line = statement.line;
    // A lone statement that failed or timed out as the whole file would only do it again.
    const outcome = runnable.length === 1 ? await retryWithRoles(db, statement.sql, whole, state.createdRoles) : await runWithRoles(db, statement.sql, state.createdRoles);
    if (outcome.ok || ('error' in outcome && (options.isHarmless?.(statement, outcome.error) ?? false))) {
      result.applied++;
      continue;
    }
    result.failed++;
    result.events.push(
      'timedOut' in outcome
        ? {
            kind: 'migration-timeout',
            message: `stopped after ${formatSeconds(outcome.timedOut.limitMs)}, the limit for one statement; it was skipped and the rest still applies (raise it with ${LIMIT_SETTINGS.statement})`,
            file: unit.file,
            line: statement.line,
            statement: excerpt(statement.sql),
          }
        : { kind: options.eventKind, message: messageOf(outcome.error), file: unit.file, line: statement.line, statement: excerpt(statement.sql) },
    );
  }
}

const MISSING_ROLE = /^role "((?:[^"]|"")+)" does not exist$/;

/**
 * Grants, policies and ownership name roles that exist on the real server but not in a fresh
 * PGlite; creating the role lets the statement (and what it defines) apply.
 */
async function runWithRoles(db: Sandbox, sql: string, createdRoles: Set<string>): Promise<RunOutcome> {
  return retryWithRoles(db, sql, await db.run(sql), createdRoles);
}

async function retryWithRoles(db: Sandbox, sql: string, first: RunOutcome, createdRoles: Set<string>): Promise<RunOutcome> {
  let outcome = first;
  for (let attempt = 0; attempt < 5 && !outcome.ok && 'error' in outcome; attempt++) {
    const role = MISSING_ROLE.exec(messageOf(outcome.error))?.[1];
    if (role === undefined || createdRoles.has(role)) return outcome;
    createdRoles.add(role);
    if (!(await db.run(`CREATE ROLE "${role.replace(/"/g, '""')}"`)).ok) return outcome;
    outcome = await db.run(sql);
  }
  return outcome;
}

export interface BootOptions {
  extensions: string[];
  limits: LoadLimits;
}

/**
 * Starts from a cached empty data directory when there is one: loading it is ~3 s faster than
 * initdb. A base that cannot boot is deleted (with a `cache-discarded` event) and rebuilt.
 */
export async function bootFresh(options: BootOptions, cacheDir: string | undefined, version: string): Promise<{ db: Sandbox; events: AnalysisEvent[] }> {
  if (cacheDir === undefined) return { db: await Sandbox.start(options), events: [] };
  const events: AnalysisEvent[] = [];
  const baseName = `${baseDataDirKey(version)}.datadir.tgz`;
  const base = await readCachedDataDir(cacheDir, baseName);
  if (base !== undefined) {
    try {
      return { db: await Sandbox.start({ ...options, dataDir: base }), events };
    } catch (error) {
      if (error instanceof LoadDeadlineError) throw error;
      events.push(await discardCacheFile(cacheDir, baseName, `it does not boot (${messageOf(error)})`));
    }
  }
  const db = await Sandbox.start(options);
  const dataDir = await gzipDataDir(await db.dumpDataDir());
  if (dataDir !== undefined) await writeCacheFile(cacheDir, baseName, dataDir);
  return { db, events };
}

/**
 * PGlite's own gzip runs at level 6 (~0.9 s for a 45 MB data directory); zlib level 1 in the
 * thread pool is several times faster and the archive is read back the same way.
 * Caching is an optimisation: a failed dump only costs the next run its warm start.
 */
export async function gzipDataDir(tar: Uint8Array | undefined): Promise<Uint8Array | undefined> {
  if (tar === undefined) return undefined;
  try {
    return new Uint8Array(await gzipAsync(tar, { level: 1 }));
  } catch {
    return undefined;
  }
}

let cachedVersion: string | undefined;

/** The installed PGlite version: part of the cache key because its Postgres build shapes the catalog. */
export function pgliteVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json, so walk up from its entry point.
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    } catch {
      // not this directory
    }
    dir = path.dirname(dir);
  }
  return (cachedVersion = 'unknown');
}
