/**
 * The one schema model every source (migrations, dump file, live database) produces.
 * Ids are canonical and stable across runs: they key findings, baselines and suppressions.
 *   table/view/sequence/type: `schema.name`
 *   column:                    `schema.table.column`
 *   function/procedure:        `schema.name(argtypes)` with pg's identity argument types
 *   trigger:                   `schema.table.trigger`
 */

export interface CatalogColumn {
  name: string;
  attnum: number;
  /** format_type() output, e.g. `integer`, `character varying(20)`, `vector(3)`. */
  type: string;
  notNull: boolean;
  /** pg_get_expr of the default, or null. */
  default: string | null;
  /** Expression of a GENERATED ALWAYS AS (...) STORED column, or null. */
  generated: string | null;
  identity: boolean;
  isPrimaryKey: boolean;
  comment: string | null;
}

export type RelationKind = 'table' | 'partitioned' | 'foreign' | 'view' | 'materializedView';

export interface CatalogRelation {
  oid: number;
  id: string;
  schema: string;
  name: string;
  kind: RelationKind;
  columns: CatalogColumn[];
  /** Column names of the primary key, in key order; empty when there is none. */
  primaryKey: string[];
  /** `schema.name` of the partitioned parent when this relation is a partition. */
  partitionOf: string | null;
  /** View and materialized-view SQL (pg_get_viewdef); null for tables. */
  definition: string | null;
  extensionOwned: boolean;
  comment: string | null;
  /**
   * Logical replication sends its rows elsewhere: the publications that include it, and whether
   * its replica identity was set to FULL (done for change-data-capture consumers). Readers the
   * code cannot show.
   */
  replication?: { publications: string[]; identityFull: boolean };
  /**
   * A hosting platform's table kept only because the project's own triggers or policies sit
   * on it (a trigger on Supabase's auth.users): the platform writes and reads it, so those run.
   * Never reported itself.
   */
  platform?: string;
}

export type FunctionKind = 'function' | 'procedure' | 'aggregate' | 'window';

export interface CatalogFunction {
  oid: number;
  id: string;
  schema: string;
  name: string;
  kind: FunctionKind;
  /** pg_get_function_identity_arguments, e.g. `integer, text`. */
  identityArgs: string;
  argCount: number;
  returnType: string;
  language: string;
  /** prosrc for sql/plpgsql functions (null for C/internal). */
  body: string | null;
  isTriggerFunction: boolean;
  extensionOwned: boolean;
  /** COMMENT ON FUNCTION/PROCEDURE text, or null. */
  comment: string | null;
}

export type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';

export interface CatalogTrigger {
  oid: number;
  id: string;
  schema: string;
  /** Relation id the trigger is on. */
  relationId: string;
  name: string;
  functionId: string;
  events: TriggerEvent[];
  /** `UPDATE OF a, b` columns; empty means any column. */
  columns: string[];
  timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  extensionOwned: boolean;
}

export interface CatalogType {
  oid: number;
  id: string;
  schema: string;
  name: string;
  kind: 'enum' | 'composite' | 'domain' | 'range';
  enumValues: string[];
  extensionOwned: boolean;
}

export interface CatalogSequence {
  oid: number;
  id: string;
  schema: string;
  name: string;
  /** Column id (`schema.table.column`) that owns the sequence (serial/identity), or null. */
  ownedBy: string | null;
  extensionOwned: boolean;
}

/** Why one object needs another inside the database. */
export type DependencyKind =
  | 'view' // a view/matview definition reads the target
  | 'default' // a column default uses the target (function, sequence)
  | 'generated' // a generated column reads the target column
  | 'trigger' // a trigger runs the target function
  | 'foreignKey' // a FK column references the target column
  | 'policy' // a row-level-security policy reads the target
  | 'columnType' // a column is of the target type
  | 'sequenceOwner'; // a sequence belongs to the target column

export type CatalogObjectKind =
  | 'table'
  | 'column'
  | 'view'
  | 'materializedView'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'type'
  | 'sequence';

/** Views and materialized views are objects of their own kind; every other relation is a table. */
export function relationObjectKind(kind: RelationKind): CatalogObjectKind {
  if (kind === 'view' || kind === 'materializedView') return kind;
  return 'table';
}

export interface CatalogDependency {
  kind: DependencyKind;
  /** Id of the object that holds the reference (the view, the column with the default, the trigger...). */
  from: string;
  fromKind: CatalogObjectKind;
  /** Id of the object referenced. */
  to: string;
  toKind: CatalogObjectKind;
}

export interface Catalog {
  /** Schemas audited (non-system by default). */
  schemas: string[];
  searchPath: string[];
  relations: CatalogRelation[];
  functions: CatalogFunction[];
  triggers: CatalogTrigger[];
  types: CatalogType[];
  sequences: CatalogSequence[];
  dependencies: CatalogDependency[];
  /** Extension names installed (from pg_extension). */
  extensions: string[];
  /** Server version string. */
  serverVersion: string;
}

/** `migrate-command`: the project's own migration tool, run against an embedded database. */
export type SchemaSourceKind = 'migrations' | 'schema-file' | 'database' | 'migrate-command';

export interface SchemaSourceInfo {
  kind: SchemaSourceKind;
  /** Directory, file path, or database URL with the password removed. */
  location: string;
  /** Detected or forced migrations layout. */
  layout?: MigrationsLayout;
  migrationFiles?: number;
  statementsApplied?: number;
  statementsFailed?: number;
  extensionsLoaded?: string[];
  extensionsUnavailable?: string[];
  cacheHit?: boolean;
  /** Ledger tables treated as infrastructure (schema_migrations, _prisma_migrations, ...). */
  ledgerTables?: string[];
  /**
   * Set when the migrations expected a hosting platform's objects (Supabase's auth.users,
   * auth.uid(), storage.objects, roles...) and stand-ins for them were created before the
   * migrations ran. Objects in the platform's schemas are not audited unless `schemas` names them.
   */
  platform?: PlatformInfo;
}

export interface PlatformInfo {
  name: 'supabase';
  /** Version of the stand-in SQL (part of the cache key). */
  stubVersion: number;
  /** Schemas the platform owns. */
  schemas: string[];
  /** Extensions PGlite lacks that the migrations create and the stand-ins cover (pg_cron, pg_net...). */
  stubbedExtensions: string[];
}

export type MigrationsLayout =
  | 'dbmate'
  | 'flyway'
  | 'prisma'
  | 'drizzle'
  | 'plain'
  // JS/TS migration scripts, read statically (src/schema/js-migrations/).
  | 'typeorm'
  | 'kysely'
  | 'sequelize'
  | 'knex'
  | 'node-pg-migrate'
  | 'mikro-orm'
  | 'db-migrate';

/** Something the tool could not do fully; reported and counted, never thrown past the stage. */
export interface AnalysisEvent {
  kind:
    | 'migration-failed'
    | 'extension-unavailable'
    | 'schema-statement-failed'
    | 'ts-parse-error'
    | 'sql-parse-failed'
    | 'file-read-error'
    | 'function-body-parse-failed'
    | 'package-json-invalid'
    | 'library-rule-failed'
    | 'library-model-unresolved'
    // Files with a library's call shapes where its rule did not run (off in config, or no dependency).
    | 'library-rule-off'
    // Suppressions (src/suppress/): an ignore or baseline entry that hides nothing any more, or
    // a `@dead-schema-ignore` comment without a reason.
    | 'stale-ignore'
    | 'stale-baseline'
    | 'invalid-ignore'
    // Safety (issue 9): a migration statement stopped by the wall-clock limit, or never run
    // because it would run a program on this machine (COPY ... PROGRAM).
    | 'migration-timeout'
    // A migration the layout's own index (a drizzle journal) lists but the folder lacks.
    | 'migration-missing'
    // A row-only statement in a JS/TS migration with a value known only at run time; the schema does not depend on it.
    | 'migration-statement-skipped'
    | 'statement-refused'
    // A cached catalog or data directory that could not be read; it was discarded and rebuilt.
    | 'cache-discarded'
    // Source files: one that is not UTF-8 (decoded another way, named here), a symbolic link not followed.
    | 'file-not-utf8'
    | 'symlink-skipped'
    // A setting in a database URL that dead-schema does not let override its read-only session.
    | 'db-setting-ignored'
    // The stand-ins for a hosting platform's objects (Supabase) did not apply; migrations that need them fail.
    | 'platform-stubs-failed';
  message: string;
  file?: string;
  line?: number;
  /** The statement or SQL text involved, truncated. */
  statement?: string;
  /** The object id or ignore glob a suppression event is about. */
  id?: string;
  /** The reason given with that ignore. */
  reason?: string;
  /**
   * An extension PGlite lacks: on `extension-unavailable`, the one it is about; on a failed
   * statement, the one whose absence made it fail.
   */
  extension?: string;
  /** On `extension-unavailable`: the objects (or statements) that failed because of it. */
  objects?: string[];
}
