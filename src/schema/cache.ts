import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnalysisEvent, Catalog, MigrationsLayout, SchemaSourceInfo, SchemaSourceKind } from '../catalog.js';
import { INTROSPECTION_VERSION } from './introspect.js';

/**
 * Bump when splitting, skipping or applying statements changes: the database a cached data
 * directory holds would differ. Introspection changes bump INTROSPECTION_VERSION instead, which
 * invalidates only the catalog JSON and keeps the (expensive) data directory.
 */
export const LOADER_VERSION = 1;

export interface CacheKeyInput {
  kind: SchemaSourceKind;
  layout?: MigrationsLayout;
  /** Paths relative to the source root, so a moved checkout still hits. */
  files: { relativePath: string; content: string }[];
  pgliteVersion: string;
  extensions: string[];
}

/** What a warm run needs without booting PGlite. File paths are relative to the source root. */
export interface CachedSchema {
  introspectionVersion: number;
  catalog: Catalog;
  source: SchemaSourceInfo;
  events: AnalysisEvent[];
  definedAt: Record<string, { file: string; line: number }>;
}

export function cacheKey(input: CacheKeyInput): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      loader: LOADER_VERSION,
      kind: input.kind,
      layout: input.layout ?? null,
      pglite: input.pgliteVersion,
      extensions: [...input.extensions].sort(),
    }),
  );
  for (const file of input.files) {
    hash.update('\0file\0');
    hash.update(file.relativePath);
    hash.update('\0');
    hash.update(createHash('sha256').update(file.content).digest('hex'));
  }
  return hash.digest('hex');
}

export function defaultCacheDir(cwd = process.cwd()): string {
  return path.join(cwd, 'node_modules', '.cache', 'dead-schema');
}

/** The cached catalog, or undefined when missing, unreadable or written by other introspection code. */
export async function readCachedSchema(dir: string, key: string): Promise<CachedSchema | undefined> {
  const raw = await readFile(path.join(dir, `${key}.catalog.json`), 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as CachedSchema;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.introspectionVersion === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function isCurrent(cached: CachedSchema): boolean {
  return cached.introspectionVersion === INTROSPECTION_VERSION;
}

export async function readCachedDataDir(dir: string, key: string): Promise<Blob | undefined> {
  const bytes = await readFile(path.join(dir, `${key}.datadir.tgz`)).catch(() => undefined);
  // The type tells PGlite to gunzip before untarring instead of failing over to it.
  return bytes === undefined ? undefined : new Blob([new Uint8Array(bytes)], { type: 'application/x-gzip' });
}

/**
 * A freshly initialised PGlite data directory, shared by every key for one PGlite version:
 * loading it skips initdb, most of PGlite's boot time, when the migrations changed.
 */
export function baseDataDirKey(pgliteVersion: string): string {
  return `base-${createHash('sha256').update(`${LOADER_VERSION}\0${pgliteVersion}`).digest('hex').slice(0, 16)}`;
}

/** Best effort: a read-only or full disk must never fail the run. */
export async function writeCacheFile(dir: string, name: string, data: string | Blob): Promise<void> {
  const target = path.join(dir, name);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    const bytes = typeof data === 'string' ? data : new Uint8Array(await data.arrayBuffer());
    await writeFile(temp, bytes);
    // rename is atomic, so concurrent runs never read a half-written entry.
    await rename(temp, target);
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Each data directory is ~4.5 MB and every edit to a migration makes a new one; keep the few
 * most recent (switching branches back and forth stays warm) and drop the rest.
 */
export async function pruneCache(dir: string, keep = { dataDirs: 4, catalogs: 50 }): Promise<void> {
  try {
    const names = await readdir(dir);
    const byAge = async (suffix: string): Promise<string[]> => {
      const files = names.filter((n) => n.endsWith(suffix) && !n.startsWith('base-'));
      const stamped = await Promise.all(
        files.map(async (n) => ({ n, t: await stat(path.join(dir, n)).then((s) => s.mtimeMs, () => 0) })),
      );
      return stamped.sort((a, b) => b.t - a.t).map((f) => f.n);
    };
    const stale = [
      ...(await byAge('.datadir.tgz')).slice(keep.dataDirs),
      ...(await byAge('.catalog.json')).slice(keep.catalogs),
    ];
    await Promise.all(stale.map((n) => rm(path.join(dir, n), { force: true })));
  } catch {
    // best effort, like every cache write
  }
}
