import path from 'node:path';
import type { AnalysisEvent, Catalog, SchemaSourceInfo } from '../catalog.js';
import { SchemaSourceError, messageOf } from '../errors.js';
import { cacheKey, cachedSchemaText, discardCacheFile, isCurrent, pruneCache, readCachedDataDir, readCachedSchema, writeCacheFile, type CachedSchema } from './cache.js';
import { DefinitionIndex, type DefinedAt } from './defined-at.js';
import { resetSession } from './dump.js';
import { explainExtensionFailures } from './extension-failures.js';
import { createdExtension, findExtensionRequests, type ExtensionRequest } from './extensions.js';
import { introspect, INTROSPECTION_VERSION } from './introspect.js';
import { applyFiles, bootFresh, gzipDataDir, pgliteVersion, type ApplyOptions, type ApplyUnit } from './pglite.js';
import { DEFAULT_LIMITS, LoadDeadlineError, loadDeadlineMessage, Sandbox, type LoadLimits } from './sandbox.js';
import type { PlatformStubs } from './supabase.js';

/** A loaded source before schema filtering and ledger removal; paths are absolute. */
export interface RawSchema {
  catalog: Catalog;
  source: SchemaSourceInfo;
  events: AnalysisEvent[];
  definedAt: DefinedAt;
  migrationFiles: string[];
}

export interface PgliteLoad {
  /** Directory cached paths are relative to. */
  root: string;
  source: SchemaSourceInfo;
  units: ApplyUnit[];
  keyFiles: { relativePath: string; content: string }[];
  migrationFiles: string[];
  cacheDir: string | undefined;
  onProgress: ((step: string, done: number, total: number) => void) | undefined;
  apply: Omit<ApplyOptions, 'onFileDone'>;
  limits?: Partial<LoadLimits>;
  /** Stand-ins for a hosting platform's objects, applied before the units (see supabase.ts). */
  platform?: PlatformStubs | undefined;
}

/**
 * Migrations or a dump applied in PGlite (in a worker, under wall-clock limits) and read back,
 * through the cache: a current catalog JSON boots nothing; an older one re-reads its cached
 * data directory; otherwise everything applies from the start. An unreadable cache entry is
 * deleted with a `cache-discarded` event and rebuilt.
 */
export async function loadIntoPglite(given: PgliteLoad): Promise<RawSchema> {
  const requests = findExtensionRequests(given.units);
  const load = withPlatformSource(given, requests);
  const version = pgliteVersion();
  const extensions = [...new Set([...requests.map((r) => r.name), ...(load.platform?.preloadedExtensions ?? [])])];
  const key = cacheKey({
    kind: load.source.kind,
    layout: load.source.layout,
    files: load.keyFiles,
    pgliteVersion: version,
    extensions,
    ...(load.platform === undefined ? {} : { platform: `${load.platform.name}@${load.platform.version}` }),
  });
  const read = load.cacheDir === undefined ? {} : await readCachedSchema(load.cacheDir, key);
  const discarded = read.discarded === undefined ? [] : [read.discarded];
  const cached = read.cached;
  if (cached !== undefined && isCurrent(cached)) {
    const hit = fromCache(cached, load.root);
    return { ...hit, source: { ...hit.source, location: load.source.location, cacheHit: true }, migrationFiles: load.migrationFiles };
  }

  const boot = { extensions, limits: { ...DEFAULT_LIMITS, ...load.limits } };
  if (cached !== undefined && load.cacheDir !== undefined) {
    const reused = await reintrospect(load, key, cached, boot);
    if (reused.raw !== undefined) return reused.raw;
    if (reused.discarded !== undefined) discarded.push(reused.discarded);
  }
  const raw = await applyAll(load, key, requests, boot, version);
  return { ...raw, events: [...discarded, ...raw.events] };
}

type Boot = Parameters<typeof Sandbox.start>[0];

/** The source says which platform's stand-ins applied and which of its extensions they cover. */
function withPlatformSource(load: PgliteLoad, requests: ExtensionRequest[]): PgliteLoad {
  const { platform } = load;
  if (platform === undefined) return load;
  const stubbedExtensions = requests.map((r) => r.name).filter((name) => platform.stubbedExtensions.includes(name));
  return {
    ...load,
    source: { ...load.source, platform: { name: platform.name, stubVersion: platform.version, schemas: [...platform.schemas], stubbedExtensions } },
  };
}

/** Extensions PGlite lacks that nothing stands in for. */
function unavailableOf(db: Sandbox, platform: PlatformStubs | undefined): string[] {
  return db.unavailable.filter((name) => !(platform?.stubbedExtensions.includes(name) ?? false));
}

/** The platform's stand-ins; a failure is reported, and the migrations that need them fail on their own. */
async function applyPlatform(db: Sandbox, platform: PlatformStubs | undefined): Promise<AnalysisEvent[]> {
  if (platform === undefined) return [];
  const outcome = await db.run(platform.sql(db.loaded));
  if (outcome.ok) return [];
  const why = 'error' in outcome ? messageOf(outcome.error) : 'it timed out';
  return [{ kind: 'platform-stubs-failed', message: `the ${platform.name} stand-ins (auth.users, auth.uid(), storage.objects, roles...) did not apply: ${why}; migrations that use them fail` }];
}

/** Only introspection changed since this database was built (the JSON says how applying went): read it again. */
async function reintrospect(
  load: PgliteLoad,
  key: string,
  cached: CachedSchema,
  boot: Boot,
): Promise<{ raw?: RawSchema; discarded?: AnalysisEvent }> {
  const cacheDir = load.cacheDir ?? '';
  const name = `${key}.datadir.tgz`;
  // pruneCache keeps fewer data directories than catalogs: a missing one is normal.
  const dataDir = await readCachedDataDir(cacheDir, name);
  if (dataDir === undefined) return {};
  let db: Sandbox;
  let catalog: Catalog;
  // Booting PGlite takes seconds with nothing else to show; the line says the wait is expected.
  load.onProgress?.('boot', 0, 1);
  try {
    db = await Sandbox.start({ ...boot, dataDir });
  } catch (error) {
    if (error instanceof LoadDeadlineError) throw loadDeadlineMessage(error, 'booting the cached database');
    return { discarded: await discardCacheFile(cacheDir, name, `it does not boot (${messageOf(error)})`) };
  }
  try {
    catalog = await readBack(db, load.onProgress);
  } catch (error) {
    if (error instanceof SchemaSourceError) throw error;
    return { discarded: await discardCacheFile(cacheDir, name, `it cannot be read (${messageOf(error)})`) };
  } finally {
    await db.close();
  }
  const previous = fromCache(cached, load.root);
  const raw: RawSchema = {
    catalog,
    source: { ...load.source, ...pick(previous.source), extensionsLoaded: db.loaded, extensionsUnavailable: unavailableOf(db, load.platform), cacheHit: true },
    events: previous.events,
    definedAt: definitionsOf(load.units, previous.events).resolve(catalog),
    migrationFiles: load.migrationFiles,
  };
  await writeCacheFile(cacheDir, `${key}.catalog.json`, cachedSchemaText(toCache(raw, load.root)));
  return { raw };
}

function pick(source: SchemaSourceInfo): Pick<SchemaSourceInfo, 'statementsApplied' | 'statementsFailed'> {
  return { statementsApplied: source.statementsApplied ?? 0, statementsFailed: source.statementsFailed ?? 0 };
}

async function applyAll(load: PgliteLoad, key: string, requests: ExtensionRequest[], boot: Boot, version: string): Promise<RawSchema> {
  let started: Awaited<ReturnType<typeof bootFresh>>;
  const step = load.source.kind === 'migrations' ? 'migrations' : 'schema';
  load.onProgress?.('boot', 0, 1);
  try {
    started = await bootFresh(boot, load.cacheDir, version);
  } catch (error) {
    if (error instanceof LoadDeadlineError) throw loadDeadlineMessage(error, 'booting PGlite');
    throw new SchemaSourceError(`cannot start the embedded Postgres (PGlite): ${messageOf(error)}`, { cause: error });
  }
  const { db } = started;
  // Booted: the first file may itself be slow, and "starting" would then be stale.
  load.onProgress?.(step, 0, load.units.length);
  try {
    const unavailable = new Set(db.unavailable);
    const stubsFailed = await applyPlatform(db, load.platform);
    const applied = await applyFiles(db, load.units, {
      ...load.apply,
      skip: (statement) => {
        const extension = createdExtension(statement.sql);
        return (extension !== undefined && unavailable.has(extension)) || (load.apply.skip?.(statement) ?? false);
      },
      onFileDone: (done, total) => load.onProgress?.(step, done, total),
    });
    const catalog = await readBack(db, load.onProgress);
    const explained = explainExtensionFailures(requests, new Set(unavailableOf(db, load.platform)), applied.events);
    const raw: RawSchema = {
      catalog,
      source: {
        ...load.source,
        statementsApplied: applied.applied,
        statementsFailed: applied.failed,
        extensionsLoaded: db.loaded,
        extensionsUnavailable: unavailableOf(db, load.platform),
        cacheHit: false,
      },
      events: [...started.events, ...stubsFailed, ...explained.unavailableEvents, ...explained.events],
      definedAt: definitionsOf(load.units, applied.events).resolve(catalog),
      migrationFiles: load.migrationFiles,
    };
    if (load.cacheDir !== undefined) {
      // The data directory first: a catalog JSON without one would send the next run down the re-read path.
      const dataDir = await gzipDataDir(await db.dumpDataDir());
      if (dataDir !== undefined) await writeCacheFile(load.cacheDir, `${key}.datadir.tgz`, dataDir);
      await writeCacheFile(load.cacheDir, `${key}.catalog.json`, cachedSchemaText(toCache(raw, load.root)));
      await pruneCache(load.cacheDir);
    }
    return raw;
  } finally {
    await db.close();
  }
}

/** Session settings cleared, then introspected; run-migrations/ reads its served database back the same way. */
export async function readBack(db: Sandbox, onProgress: PgliteLoad['onProgress']): Promise<Catalog> {
  try {
    await resetSession(db);
    onProgress?.('introspect', 0, 1);
    const catalog = await introspect((sql) => db.query(sql));
    onProgress?.('introspect', 1, 1);
    return catalog;
  } catch (error) {
    if (error instanceof LoadDeadlineError) throw loadDeadlineMessage(error, 'reading the schema back');
    throw error;
  }
}

/** Statements that failed, timed out or were refused defined nothing. */
function definitionsOf(units: ApplyUnit[], events: AnalysisEvent[]): DefinitionIndex {
  const failed = new Set(events.map((e) => `${e.file ?? ''}:${e.line ?? 0}`));
  const index = new DefinitionIndex();
  for (const unit of units) index.addFile(unit.file, unit.statements.filter((s) => !failed.has(`${unit.file}:${s.line}`)));
  return index;
}

function toCache(raw: RawSchema, root: string): CachedSchema {
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  return {
    introspectionVersion: INTROSPECTION_VERSION,
    catalog: raw.catalog,
    source: raw.source,
    // A discarded entry is news for this run only, not for every run that hits the rebuilt one.
    events: raw.events.filter((e) => e.kind !== 'cache-discarded').map((e) => (e.file === undefined ? e : { ...e, file: rel(e.file) })),
    definedAt: Object.fromEntries(Object.entries(raw.definedAt).map(([id, site]) => [id, { ...site, file: rel(site.file) }])),
  };
}

function fromCache(cached: CachedSchema, root: string): Omit<RawSchema, 'migrationFiles'> {
  const abs = (file: string): string => path.resolve(root, file);
  return {
    catalog: cached.catalog,
    source: cached.source,
    events: cached.events.map((e) => (e.file === undefined ? e : { ...e, file: abs(e.file) })),
    definedAt: Object.fromEntries(Object.entries(cached.definedAt).map(([id, site]) => [id, { ...site, file: abs(site.file) }])),
  };
}
