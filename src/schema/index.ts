import path from 'node:path';
import type { AnalysisEvent, Catalog, MigrationsLayout, SchemaSourceInfo } from '../catalog.js';
import { SchemaSourceError } from '../errors.js';
import {
  cacheKey,
  defaultCacheDir,
  isCurrent,
  pruneCache,
  readCachedDataDir,
  readCachedSchema,
  writeCacheFile,
  type CachedSchema,
} from './cache.js';
import { DefinitionIndex, type DefinedAt } from './defined-at.js';
import { isHarmlessDumpError, isSkippedDumpStatement, readSchemaFile, resetSession } from './dump.js';
import { createdExtension, findExtensionRequests, resolveExtensions } from './extensions.js';
import { introspect, INTROSPECTION_VERSION } from './introspect.js';
import { findLedgerTables } from './ledger.js';
import { introspectDatabase, redactUrl, type LiveSessionOptions } from './live/index.js';
import { readMigrations } from './migrations.js';
import {
  applyFiles,
  bootFresh,
  bootPglite,
  dumpDataDir,
  pgliteRunner,
  pgliteVersion,
  type ApplyOptions,
  type ApplyUnit,
} from './pglite.js';
import { pruneCatalog } from './prune.js';

export { withReadOnlySession, redactUrl } from './live/index.js';
export { INTROSPECTION_VERSION } from './introspect.js';

export interface LoadSchemaOptions {
  /** Migrations directory. */
  migrations?: string;
  /** Overrides layout auto-detection. */
  layout?: MigrationsLayout;
  /** A `pg_dump --schema-only` file. */
  schemaFile?: string;
  /** A live database (read in a READ ONLY transaction). */
  databaseUrl?: string;
  /** How the live session connects: whose credentials it may use, cleartext passwords, time limits. */
  live?: LiveSessionOptions;
  /** The flag or variable the schema source came from, for messages (`--db`, `DATABASE_URL`, `config db`). */
  sourceNames?: { migrations?: string; schemaFile?: string; databaseUrl?: string };
  /** Schemas to audit; default: every non-system schema. */
  schemas?: string[];
  /** Default `<cwd>/node_modules/.cache/dead-schema`; false disables caching. */
  cacheDir?: string | false;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface LoadedSchema {
  catalog: Catalog;
  source: SchemaSourceInfo;
  /** Event `file`s are relative to the current directory. */
  events: AnalysisEvent[];
  /**
   * Absolute paths of migration files (the code scanner excludes them; later features map
   * findings to the migration line that created an object). For a migrations directory this
   * is every `.sql` file in it, applied ones first in order, then down/undo files; for a
   * schema file, that file.
   */
  migrationFiles: string[];
  /**
   * For each object id, the migration file (absolute path) and 1-based line where it was
   * created, replaced or renamed, when known.
   */
  definedAt: Record<string, { file: string; line: number }>;
}

/** A loaded source before schema filtering and ledger removal; paths are absolute. */
interface RawSchema {
  catalog: Catalog;
  source: SchemaSourceInfo;
  events: AnalysisEvent[];
  definedAt: DefinedAt;
  migrationFiles: string[];
}

export async function loadSchema(opts: LoadSchemaOptions): Promise<LoadedSchema> {
  const names = opts.sourceNames ?? {};
  const given = [
    opts.migrations !== undefined && opts.migrations !== '' ? (names.migrations ?? '--migrations') : undefined,
    opts.schemaFile !== undefined && opts.schemaFile !== '' ? (names.schemaFile ?? '--schema') : undefined,
    opts.databaseUrl !== undefined && opts.databaseUrl !== '' ? (names.databaseUrl ?? '--db') : undefined,
  ].filter((s): s is string => s !== undefined);
  if (given.length === 0) {
    throw new SchemaSourceError('no schema source: pass --migrations DIR, --schema FILE or --db URL, set DATABASE_URL, or set migrations/schemaFile/db in dead-schema.config.json');
  }
  if (given.length > 1) {
    throw new SchemaSourceError(`more than one schema source (${given.join(', ')}): pass exactly one`);
  }

  const cacheDir = opts.cacheDir === false ? undefined : (opts.cacheDir ?? defaultCacheDir());
  let raw: RawSchema;
  if (opts.migrations) raw = await loadMigrations(opts.migrations, opts.layout, cacheDir, opts.onProgress);
  else if (opts.schemaFile) raw = await loadSchemaFile(opts.schemaFile, cacheDir, opts.onProgress);
  else raw = await loadDatabase(opts.databaseUrl ?? '', opts.live, opts.onProgress);
  return finish(raw, opts.schemas);
}

function finish(raw: RawSchema, schemas: string[] | undefined): LoadedSchema {
  const audited = schemas === undefined ? raw.catalog.schemas : raw.catalog.schemas.filter((s) => schemas.includes(s));
  const inAudited = pruneCatalog(raw.catalog, { schemas: audited, dropRelations: new Set() }).catalog;
  const ledgerTables = findLedgerTables(inAudited);
  const { catalog, keptIds } = pruneCatalog(inAudited, { schemas: audited, dropRelations: new Set(ledgerTables) });
  // Drizzle keeps its ledger in a schema of its own; once the ledger is gone it is not a schema to audit.
  if (catalog.schemas.includes('drizzle') && !hasObjects(catalog, 'drizzle')) {
    catalog.schemas = catalog.schemas.filter((s) => s !== 'drizzle');
  }
  const definedAt: DefinedAt = {};
  for (const id of Object.keys(raw.definedAt).sort()) {
    const site = raw.definedAt[id];
    if (site !== undefined && keptIds.has(id)) definedAt[id] = site;
  }
  const cwd = process.cwd();
  return {
    catalog,
    source: { ...raw.source, ledgerTables },
    events: raw.events.map((e) => (e.file === undefined ? e : { ...e, file: path.relative(cwd, e.file) || e.file })),
    migrationFiles: raw.migrationFiles,
    definedAt,
  };
}

function hasObjects(catalog: Catalog, schema: string): boolean {
  return [catalog.relations, catalog.functions, catalog.types, catalog.sequences].some((list) =>
    list.some((o) => o.schema === schema),
  );
}

type Progress = LoadSchemaOptions['onProgress'];

async function loadMigrations(
  dir: string,
  layout: MigrationsLayout | undefined,
  cacheDir: string | undefined,
  onProgress: Progress,
): Promise<RawSchema> {
  const set = await readMigrations(dir, layout);
  const root = path.resolve(dir);
  return loadIntoPglite({
    root,
    source: { kind: 'migrations', location: displayPath(root), layout: set.layout, migrationFiles: set.files.length },
    units: set.files,
    keyFiles: set.files,
    migrationFiles: set.allSqlFiles,
    cacheDir,
    onProgress,
    apply: { eventKind: 'migration-failed' },
  });
}

async function loadSchemaFile(file: string, cacheDir: string | undefined, onProgress: Progress): Promise<RawSchema> {
  const schema = await readSchemaFile(file);
  const root = path.dirname(schema.file);
  return loadIntoPglite({
    root,
    source: { kind: 'schema-file', location: displayPath(schema.file) },
    units: [schema],
    keyFiles: [{ relativePath: path.basename(schema.file), content: schema.content }],
    migrationFiles: [schema.file],
    cacheDir,
    onProgress,
    apply: { eventKind: 'schema-statement-failed', skip: isSkippedDumpStatement, isHarmless: isHarmlessDumpError },
  });
}

async function loadDatabase(url: string, live: LiveSessionOptions | undefined, onProgress: Progress): Promise<RawSchema> {
  onProgress?.('introspect', 0, 1);
  const { catalog, events } = await introspectDatabase(url, live);
  onProgress?.('introspect', 1, 1);
  return {
    catalog,
    source: { kind: 'database', location: redactUrl(url), cacheHit: false },
    events,
    definedAt: {},
    migrationFiles: [],
  };
}

interface PgliteLoad {
  /** Directory cached paths are relative to. */
  root: string;
  source: SchemaSourceInfo;
  units: ApplyUnit[];
  keyFiles: { relativePath: string; content: string }[];
  migrationFiles: string[];
  cacheDir: string | undefined;
  onProgress: Progress;
  apply: Omit<ApplyOptions, 'onFileDone'>;
}

async function loadIntoPglite(load: PgliteLoad): Promise<RawSchema> {
  const requests = findExtensionRequests(load.units);
  const requested = requests.map((r) => r.name);
  const version = pgliteVersion();
  const key = cacheKey({
    kind: load.source.kind,
    layout: load.source.layout,
    files: load.keyFiles,
    pgliteVersion: version,
    extensions: requested,
  });
  /** Statements that failed to apply defined nothing. */
  const definitions = (events: AnalysisEvent[]): DefinitionIndex => {
    const failed = new Set(events.map((e) => `${e.file ?? ''}:${e.line ?? 0}`));
    const index = new DefinitionIndex();
    for (const unit of load.units) {
      index.addFile(unit.file, unit.statements.filter((s) => !failed.has(`${unit.file}:${s.line}`)));
    }
    return index;
  };

  const cached = load.cacheDir === undefined ? undefined : await readCachedSchema(load.cacheDir, key);
  if (cached !== undefined && isCurrent(cached)) {
    const hit = fromCache(cached, load.root);
    return { ...hit, source: { ...hit.source, location: load.source.location, cacheHit: true }, migrationFiles: load.migrationFiles };
  }

  const resolved = await resolveExtensions(requested);
  const unavailable = new Set(resolved.unavailable);
  // Only introspection changed since this database was built (the JSON says how applying went):
  // reuse the database instead of applying everything again.
  const cachedDataDir =
    load.cacheDir === undefined || cached === undefined ? undefined : await readCachedDataDir(load.cacheDir, key);
  const db =
    cachedDataDir === undefined
      ? await bootFresh(resolved.extensions, load.cacheDir, version)
      : await bootPglite(resolved.extensions, cachedDataDir);

  try {
    let applied: { applied: number; failed: number; events: AnalysisEvent[] };
    if (cached !== undefined && cachedDataDir !== undefined) {
      applied = {
        applied: cached.source.statementsApplied ?? 0,
        failed: cached.source.statementsFailed ?? 0,
        events: fromCache(cached, load.root).events,
      };
    } else {
      const events: AnalysisEvent[] = requests
        .filter((r) => unavailable.has(r.name))
        .map((r) => ({
          kind: 'extension-unavailable' as const,
          message: `extension "${r.name}" is not available in PGlite; creating it is skipped and objects that need it cannot be loaded`,
          file: r.file,
          line: r.line,
        }));
      const result = await applyFiles(db, load.units, {
        ...load.apply,
        skip: (statement) => {
          const extension = createdExtension(statement.sql);
          return (extension !== undefined && unavailable.has(extension)) || (load.apply.skip?.(statement) ?? false);
        },
        onFileDone: (done, total) => load.onProgress?.(load.source.kind === 'migrations' ? 'migrations' : 'schema', done, total),
      });
      applied = { ...result, events: [...events, ...result.events] };
    }

    await resetSession(db);
    load.onProgress?.('introspect', 0, 1);
    const catalog = await introspect(pgliteRunner(db));
    load.onProgress?.('introspect', 1, 1);
    const source: SchemaSourceInfo = {
      ...load.source,
      statementsApplied: applied.applied,
      statementsFailed: applied.failed,
      extensionsLoaded: resolved.loaded,
      extensionsUnavailable: resolved.unavailable,
      cacheHit: cachedDataDir !== undefined,
    };
    const raw: RawSchema = {
      catalog,
      source,
      events: applied.events,
      definedAt: definitions(applied.events).resolve(catalog),
      migrationFiles: load.migrationFiles,
    };
    if (load.cacheDir !== undefined) {
      await writeCacheFile(load.cacheDir, `${key}.catalog.json`, JSON.stringify(toCache(raw, load.root)));
      const dataDir = cachedDataDir === undefined ? await dumpDataDir(db) : undefined;
      if (dataDir !== undefined) {
        await writeCacheFile(load.cacheDir, `${key}.datadir.tgz`, dataDir);
        await pruneCache(load.cacheDir);
      }
    }
    return raw;
  } finally {
    await db.close().catch(() => undefined);
  }
}

function toCache(raw: RawSchema, root: string): CachedSchema {
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  return {
    introspectionVersion: INTROSPECTION_VERSION,
    catalog: raw.catalog,
    source: raw.source,
    events: raw.events.map((e) => (e.file === undefined ? e : { ...e, file: rel(e.file) })),
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

function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute) || '.';
}
