import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PGlite, type Extension } from '@electric-sql/pglite';
import type { AnalysisEvent } from '../catalog.js';
import { messageOf } from '../errors.js';
import { baseDataDirKey, readCachedDataDir, writeCacheFile } from './cache.js';
import type { QueryRunner } from './introspect.js';
import { excerpt, isTransactionControl, type SqlStatement } from './split.js';

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

export async function bootPglite(extensions: Record<string, Extension>, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create(loadDataDir === undefined ? { extensions } : { extensions, loadDataDir });
}

export function pgliteRunner(db: PGlite): QueryRunner {
  return async (sql) => (await db.query(sql)).rows;
}

/**
 * Applies files in order. Each file first runs as one `exec`: PGlite sends it as one simple
 * query, which Postgres runs as one implicit transaction, so a failure rolls the whole file
 * back (BEGIN/COMMIT are removed beforehand, otherwise a COMMIT in the middle would keep half
 * of it). Only then is the file replayed statement by statement, so nothing runs twice and
 * every failing statement is reported with its line.
 */
export async function applyFiles(db: PGlite, units: ApplyUnit[], options: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { applied: 0, failed: 0, events: [] };
  const createdRoles = new Set<string>();
  for (const [index, unit] of units.entries()) {
    const runnable = unit.statements.filter((s) => !isTransactionControl(s.sql) && !(options.skip?.(s) ?? false));
    if (runnable.length > 0) {
      try {
        await db.exec(`${runnable.map((s) => s.sql).join(';\n')};`);
        result.applied += runnable.length;
      } catch {
        for (const statement of runnable) {
          const error = await execWithRoles(db, statement.sql, createdRoles);
          if (error === undefined || (options.isHarmless?.(statement, error) ?? false)) {
            result.applied++;
            continue;
          }
          result.failed++;
          result.events.push({
            kind: options.eventKind,
            message: messageOf(error),
            file: unit.file,
            line: statement.line,
            statement: excerpt(statement.sql),
          });
        }
      }
    }
    options.onFileDone?.(index + 1, units.length);
  }
  return result;
}

const MISSING_ROLE = /^role "((?:[^"]|"")+)" does not exist$/;

/**
 * Grants, policies and ownership name roles that exist on the real server but not in a fresh
 * PGlite; creating the role lets the statement (and what it defines) apply.
 */
async function execWithRoles(db: PGlite, sql: string, createdRoles: Set<string>): Promise<unknown> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await db.exec(sql);
      return undefined;
    } catch (error) {
      const role = MISSING_ROLE.exec(messageOf(error))?.[1];
      if (role === undefined || createdRoles.has(role)) return error;
      createdRoles.add(role);
      try {
        await db.exec(`CREATE ROLE "${role.replace(/"/g, '""')}"`);
      } catch {
        return error;
      }
    }
  }
  return new Error('too many missing roles');
}

/** Starts from a cached empty data directory when there is one: loading it is ~3 s faster than initdb. */
export async function bootFresh(
  extensions: Record<string, Extension>,
  cacheDir: string | undefined,
  version: string,
): Promise<PGlite> {
  if (cacheDir === undefined) return bootPglite(extensions);
  const baseKey = baseDataDirKey(version);
  const base = await readCachedDataDir(cacheDir, baseKey);
  if (base !== undefined) {
    try {
      return await bootPglite(extensions, base);
    } catch {
      // A corrupt base is rebuilt below.
    }
  }
  const db = await bootPglite(extensions);
  const dataDir = await dumpDataDir(db);
  if (dataDir !== undefined) await writeCacheFile(cacheDir, `${baseKey}.datadir.tgz`, dataDir);
  return db;
}

/**
 * PGlite's own gzip runs at level 6 on the main thread (~0.9 s for a 45 MB data directory);
 * zlib level 1 in the thread pool is several times faster and the archive is read back the same way.
 * Caching is an optimisation: a failed dump only costs the next run its warm start.
 */
export async function dumpDataDir(db: PGlite): Promise<Blob | undefined> {
  try {
    const tar = await db.dumpDataDir('none');
    const compressed = await gzipAsync(new Uint8Array(await tar.arrayBuffer()), { level: 1 });
    return new Blob([new Uint8Array(compressed)], { type: 'application/x-gzip' });
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
