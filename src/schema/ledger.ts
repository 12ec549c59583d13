import type { Catalog, CatalogRelation } from '../catalog.js';

/**
 * Tables migration tools create to record what ran. They are infrastructure: no application
 * code reads them, so reporting them as dead would be noise (and dropping them breaks deploys).
 * Tables under their default names are removed from the catalog before the audit; a name the
 * app configures instead (knex `migrations.tableName`, Kysely `migrationTableName`, ...) is
 * reported alive by that library's rule, as `library-owned` reads and writes of the table and
 * the columns below (src/rules/ledgers.ts).
 */

/** One table a migration tool creates: its default name and the columns it creates it with. */
export interface LedgerTable {
  name: string;
  columns: readonly string[];
  /** The tool inserts, reads and updates rows but never deletes one (Kysely's lock row). */
  neverDeleted?: boolean;
}

/**
 * The ledgers of the Node migration tools, each read from the library's own source at the tag
 * and path given. The lock table of knex is named after the ledger (`<tableName>_lock`); every
 * other name is configured on its own.
 */
export const MIGRATION_LEDGERS = {
  knex: {
    // knex 3.3.0: lib/migrations/migrate/migrator-configuration-merger.js (`tableName: 'knex_migrations'`,
    // with `schemaName`); columns from lib/migrations/migrate/table-creator.js `_createMigrationTable`
    // (increments, name, batch, migration_time).
    ledger: { name: 'knex_migrations', columns: ['id', 'name', 'batch', 'migration_time'] },
    // knex 3.3.0: lib/migrations/migrate/table-resolver.js `getLockTableName` (tableName + '_lock');
    // columns from table-creator.js `_createMigrationLockTable` (increments('index'), is_locked);
    // Migrator.js `forceFreeMigrationsLock` deletes and re-inserts its row.
    lock: { name: 'knex_migrations_lock', columns: ['index', 'is_locked'] },
  },
  kysely: {
    // kysely v0.29.5: src/migration/migrator.ts `DEFAULT_MIGRATION_TABLE` (option `migrationTableName`,
    // schema `migrationTableSchema`); columns from `#ensureMigrationTableExists` (name, timestamp).
    ledger: { name: 'kysely_migration', columns: ['name', 'timestamp'] },
    // kysely v0.29.5: src/migration/migrator.ts `DEFAULT_MIGRATION_LOCK_TABLE` (option
    // `migrationLockTableName`, same schema); columns from `#ensureMigrationLockTableExists` (id, is_locked);
    // its row is inserted by `#ensureLockRowExists` and only updated after.
    lock: { name: 'kysely_migration_lock', columns: ['id', 'is_locked'], neverDeleted: true },
  },
  typeorm: {
    // typeorm 1.1.0: src/migration/MigrationExecutor.ts (`migrationsTableName ?? "migrations"`, in the
    // driver's `schema`); columns from `createMigrationsTableIfNotExist` (id, timestamp, name).
    ledger: { name: 'migrations', columns: ['id', 'timestamp', 'name'] },
    // typeorm 1.1.0: src/data-source/DataSource.ts (`metadataTableName ?? "typeorm_metadata"`); columns
    // from src/schema-builder/RdbmsSchemaBuilder.ts `createTypeormMetadataTable`.
    metadata: { name: 'typeorm_metadata', columns: ['type', 'database', 'schema', 'table', 'name', 'value'] },
  },
  sequelize: {
    // sequelize-cli v6.6.3: src/helpers/umzug-helper.js (`migrationStorageTableName`, default
    // 'SequelizeMeta'; `migrationStorageTableSchema`), read from the config file (config/config.json).
    // umzug v3.8.3 src/storage/sequelize.ts: model 'SequelizeMeta', `tableName`, `columnName ?? 'name'`.
    ledger: { name: 'SequelizeMeta', columns: ['name'] },
    // sequelize-cli v6.6.3: src/helpers/umzug-helper.js (`seederStorageTableName`, default 'SequelizeData',
    // used when `seederStorage: 'sequelize'`).
    seeds: { name: 'SequelizeData', columns: ['name'] },
  },
  mikroOrm: {
    // mikro-orm v7.1.13: packages/core/src/utils/Configuration.ts (`migrations.tableName`, may be
    // `schema.table`); columns from packages/migrations/src/MigrationStorage.ts (id, name, executed_at).
    ledger: { name: 'mikro_orm_migrations', columns: ['id', 'name', 'executed_at'] },
  },
  nodePgMigrate: {
    // node-pg-migrate v8.0.4: bin/node-pg-migrate.ts (`MIGRATIONS_TABLE ??= 'pgmigrations'`, flag
    // `--migrations-table`/`-t`, `--migrations-schema`); columns from src/runner.ts `ensureMigrationsTable`.
    ledger: { name: 'pgmigrations', columns: ['id', 'name', 'run_on'] },
  },
  dbMigrate: {
    // db-migrate v0.11.14: lib/commands/set-default-argv.js (`table: 'migrations'`, flags `--table`/`-t`/
    // `--migration-table`, or `.db-migraterc`); columns from db-migrate-pg v1.5.2 index.js
    // `createMigrationsTable` (id, name, run_on).
    ledger: { name: 'migrations', columns: ['id', 'name', 'run_on'] },
    // db-migrate v0.11.14: lib/commands/set-default-argv.js (`'seeds-table': 'seeds'`); columns from
    // db-migrate-base v2.3.1 index.js `createSeedsTable`.
    seeds: { name: 'seeds', columns: ['id', 'name', 'run_on'] },
  },
} as const satisfies Record<string, Record<string, LedgerTable>>;

export type MigrationLibrary = keyof typeof MIGRATION_LEDGERS;

/** Default ledger names; `migrations` and `seeds` are plausible business tables and must also look like a ledger. */
const LEDGER_NAMES: ReadonlySet<string> = new Set([
  // Other tools, not re-read from their sources here.
  'schema_migrations', // dbmate, golang-migrate, Rails
  '_prisma_migrations',
  'flyway_schema_history',
  '__drizzle_migrations',
  'goose_db_version',
  '__diesel_schema_migrations',
  // The Node tools above.
  ...Object.values(MIGRATION_LEDGERS).flatMap((tables) => Object.values(tables).map((table: LedgerTable) => table.name)),
]);

/** `migrations` (TypeORM, db-migrate, Laravel) and `seeds` (db-migrate) must look like a ledger. */
const AMBIGUOUS_NAMES = new Set(['migrations', 'seeds']);
const LEDGER_COLUMNS = new Set([
  'id',
  'name',
  'migration',
  'version',
  'batch',
  'timestamp',
  'run_on',
  'executed_at',
  'applied_at',
  'migration_time',
  'created_at',
  'checksum',
  'hash',
]);
const LEDGER_KEY_COLUMNS = ['name', 'migration', 'version'];
const SEEDS_COLUMNS: ReadonlySet<string> = new Set(MIGRATION_LEDGERS.dbMigrate.seeds.columns);

/** A table under a tool's default ledger name (`migrations` and `seeds` only when they look like one). */
export function isDefaultLedgerName(name: string): boolean {
  return LEDGER_NAMES.has(name) && !AMBIGUOUS_NAMES.has(name);
}

/** Ids of ledger tables in the catalog. */
export function findLedgerTables(catalog: Catalog): string[] {
  return catalog.relations.filter(isLedger).map((relation) => relation.id);
}

function isLedger(relation: CatalogRelation): boolean {
  if (relation.kind !== 'table') return false;
  if (!LEDGER_NAMES.has(relation.name)) return false;
  if (!AMBIGUOUS_NAMES.has(relation.name)) return true;
  const columns = relation.columns.map((c) => c.name);
  // db-migrate's seeds ledger is exactly (id, name, run_on); a business `seeds` table is not.
  if (relation.name === 'seeds') return columns.includes('run_on') && columns.every((c) => SEEDS_COLUMNS.has(c));
  return (
    columns.length > 0 &&
    columns.length <= 6 &&
    columns.every((c) => LEDGER_COLUMNS.has(c)) &&
    LEDGER_KEY_COLUMNS.some((c) => columns.includes(c))
  );
}
