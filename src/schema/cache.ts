import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import type { AnalysisEvent, Catalog, MigrationsLayout, SchemaSourceInfo, SchemaSourceKind } from '../catalog.js';
import { INTROSPECTION_VERSION } from './introspect.js';

/**
 * Bump when splitting, skipping or applying statements changes: the database a cached data
 * directory holds would differ. Introspection changes bump INTROSPECTION_VERSION instead, which
 * invalidates only the catalog JSON and keeps the (expensive) data directory.
 */
export const LOADER_VERSION = 3;

export interface CacheKeyInput {
  kind: SchemaSourceKind;
  layout?: MigrationsLayout;
  /** Paths relative to the source root, so a moved checkout still hits. */
  files: { relativePath: string; content: string }[];
  pgliteVersion: string;
  extensions: string[];
  /**
   * Platform stand-ins applied before the migrations, with their version (`supabase@1`): a
   * changed stand-in rebuilds. Left out of the hash when absent, so other keys stay as they were.
   */
  platform?: string;
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
      ...(input.platform === undefined ? {} : { platform: input.platform }),
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

/**
 * Where the cache lives unless `--cache-location` says: the audited root's
 * `node_modules/.cache/dead-schema` when that node_modules exists (where babel, eslint and
 * webpack keep theirs, so clearing node_modules clears it), else the OS cache folder. Never a
 * new node_modules/ in a user's repository.
 */
export function defaultCacheDir(root = process.cwd()): string {
  const modules = path.join(root, 'node_modules');
  if (statSync(modules, { throwIfNoEntry: false })?.isDirectory() === true) return path.join(modules, '.cache', 'dead-schema');
  // env-paths: XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows.
  return envPaths('dead-schema', { suffix: '' }).cache;
}

export interface CachedSchemaRead {
  /** Undefined when there is no usable entry. */
  cached?: CachedSchema;
  /** Set when an entry was there but unreadable: it was deleted and will be rebuilt. */
  discarded?: AnalysisEvent;
}

/**
 * The cached catalog. Garbage or a wrong shape is deleted with a `cache-discarded` event; an
 * entry written by other introspection code is returned as is (only its `source` and `events`
 * are reused, with the data directory) and `isCurrent` tells the two apart.
 */
export async function readCachedSchema(dir: string, key: string): Promise<CachedSchemaRead> {
  const name = `${key}.catalog.json`;
  const events: AnalysisEvent[] = [];
  const parsed = await readCacheJson(dir, name, events);
  if (events[0] !== undefined) return { discarded: events[0] };
  if (parsed === undefined) return {};
  // An entry this build wrote and nobody changed since skips the shape check (zod: ~0.2 s to load
  // and run, a fifth of a warm run); anything else, an edited or older entry, is checked.
  if (hasValidChecksum(parsed)) return { cached: withoutChecksum(parsed) };
  const { cachedSchemaProblem } = await import('./cache-shape.js');
  const problem = cachedSchemaProblem(parsed, INTROSPECTION_VERSION);
  if (problem !== undefined) return { discarded: await discardCacheFile(dir, name, problem) };
  return { cached: withoutChecksum(parsed as CachedSchema) };
}

/** A cached catalog as written: its JSON with a hash of that JSON, so a reader can trust it without a shape check. */
export function cachedSchemaText(cached: CachedSchema): string {
  const text = JSON.stringify(cached);
  return JSON.stringify({ ...cached, checksum: createHash('sha256').update(text).digest('hex') });
}

function hasValidChecksum(parsed: unknown): parsed is CachedSchema & { checksum: string } {
  if (parsed === null || typeof parsed !== 'object' || typeof (parsed as { checksum?: unknown }).checksum !== 'string') return false;
  const { checksum, ...rest } = parsed as { checksum: string };
  return (rest as Partial<CachedSchema>).introspectionVersion === INTROSPECTION_VERSION && createHash('sha256').update(JSON.stringify(rest)).digest('hex') === checksum;
}

function withoutChecksum(parsed: CachedSchema & { checksum?: string }): CachedSchema {
  const { checksum: _checksum, ...rest } = parsed;
  return rest;
}

export function isCurrent(cached: CachedSchema): boolean {
  return cached.introspectionVersion === INTROSPECTION_VERSION;
}

/** A gzipped data-directory archive by file name; whether it boots is for PGlite to say. */
export async function readCachedDataDir(dir: string, name: string): Promise<Uint8Array | undefined> {
  const bytes = await readFile(path.join(dir, name)).catch(() => undefined);
  return bytes === undefined ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A cache file's JSON: undefined when the file is absent or not JSON; one that is not JSON is
 * deleted with a `cache-discarded` event in `events`, so the next run rebuilds it. Every cache
 * reader starts here; what shape the value must have is the reader's to check.
 */
export async function readCacheJson(dir: string, name: string, events: AnalysisEvent[]): Promise<unknown> {
  const raw = await readFile(path.join(dir, name), 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    events.push(await discardCacheFile(dir, name, 'it is not valid JSON'));
    return undefined;
  }
}

/**
 * Deletes an unusable cache entry so the next run rebuilds it instead of failing on it again,
 * and says so in the report.
 */
export async function discardCacheFile(dir: string, name: string, why: string): Promise<AnalysisEvent> {
  await rm(path.join(dir, name), { force: true }).catch(() => undefined);
  const shown = path.relative(process.cwd(), path.join(dir, name)) || name;
  return { kind: 'cache-discarded', message: `the cached ${shown} could not be used, so it was deleted and rebuilt: ${why}` };
}

/**
 * A freshly initialised PGlite data directory, shared by every key for one PGlite version:
 * loading it skips initdb, most of PGlite's boot time, when the migrations changed.
 */
export function baseDataDirKey(pgliteVersion: string): string {
  return `base-${createHash('sha256').update(`${LOADER_VERSION}\0${pgliteVersion}`).digest('hex').slice(0, 16)}`;
}

/** Best effort: a read-only or full disk must never fail the run. */
export async function writeCacheFile(dir: string, name: string, data: string | Uint8Array): Promise<void> {
  const target = path.join(dir, name);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data);
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
    const byAge = async (suffix: string, prefix = ''): Promise<string[]> => {
      const files = names.filter((n) => n.endsWith(suffix) && n.startsWith(prefix) && !n.startsWith('base-'));
      const stamped = await Promise.all(
        files.map(async (n) => ({ n, t: await stat(path.join(dir, n)).then((s) => s.mtimeMs, () => 0) })),
      );
      return stamped.sort((a, b) => b.t - a.t).map((f) => f.n);
    };
    const stale = [
      ...(await byAge('.datadir.tgz')).slice(keep.dataDirs),
      ...(await byAge('.catalog.json')).slice(keep.catalogs),
      // One SQL-analysis pack per schema (src/sql/analysis-cache.ts): a schema change leaves the old one.
      ...(await byAge('.json', 'sql-')).slice(keep.dataDirs),
    ];
    await Promise.all(stale.map((n) => rm(path.join(dir, n), { force: true })));
  } catch {
    // best effort, like every cache write
  }
}
