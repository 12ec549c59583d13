import path from 'node:path';
import type { AnalysisEvent, Catalog, MigrationsLayout, SchemaSourceInfo } from '../catalog.js';
import { SchemaSourceError } from '../errors.js';
import { defaultCacheDir } from './cache.js';
import type { DefinedAt } from './defined-at.js';
import { isHarmlessDumpError, isSkippedDumpStatement, readSchemaFile } from './dump.js';
import { loadIntoPglite, type RawSchema } from './embedded.js';
import { findLedgerTables } from './ledger.js';
import { introspectDatabase, redactUrl, type LiveSessionOptions } from './live/index.js';
import { readMigrations } from './migrations.js';
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
  /**
   * Wall-clock limits for applying migrations or a dump in PGlite: one statement (default 15 s;
   * it is skipped with a `migration-timeout` event) and the whole load (default 600 s; the run
   * stops with a SchemaSourceError).
   */
  migrationTimeouts?: { statementSeconds?: number; totalSeconds?: number };
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
  const embedded: Embedded = { cacheDir, onProgress: opts.onProgress, limits: limitsOf(opts.migrationTimeouts) };
  if (opts.migrations) raw = await loadMigrations(opts.migrations, opts.layout, embedded);
  else if (opts.schemaFile) raw = await loadSchemaFile(opts.schemaFile, embedded);
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

/** What both PGlite sources share: the cache, progress and the wall-clock limits. */
interface Embedded {
  cacheDir: string | undefined;
  onProgress: Progress;
  limits: { statementMs?: number; totalMs?: number };
}

function limitsOf(timeouts: LoadSchemaOptions['migrationTimeouts']): Embedded['limits'] {
  return {
    ...(timeouts?.statementSeconds !== undefined ? { statementMs: timeouts.statementSeconds * 1000 } : {}),
    ...(timeouts?.totalSeconds !== undefined ? { totalMs: timeouts.totalSeconds * 1000 } : {}),
  };
}

async function loadMigrations(dir: string, layout: MigrationsLayout | undefined, embedded: Embedded): Promise<RawSchema> {
  const set = await readMigrations(dir, layout);
  const root = path.resolve(dir);
  const raw = await loadIntoPglite({
    root,
    source: { kind: 'migrations', location: displayPath(root), layout: set.layout, migrationFiles: set.files.length },
    units: set.files,
    keyFiles: set.files,
    migrationFiles: set.allSqlFiles,
    ...embedded,
    apply: { eventKind: 'migration-failed' },
  });
  return { ...raw, events: [...set.events, ...raw.events] };
}

async function loadSchemaFile(file: string, embedded: Embedded): Promise<RawSchema> {
  const schema = await readSchemaFile(file);
  const root = path.dirname(schema.file);
  return loadIntoPglite({
    root,
    source: { kind: 'schema-file', location: displayPath(schema.file) },
    units: [schema],
    keyFiles: [{ relativePath: path.basename(schema.file), content: schema.content }],
    migrationFiles: [schema.file],
    ...embedded,
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

function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute) || '.';
}
