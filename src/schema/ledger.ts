import type { Catalog, CatalogRelation } from '../catalog.js';

/**
 * Tables migration tools create to record what ran. They are infrastructure: no application
 * code reads them, so reporting them as dead would be noise (and dropping them breaks deploys).
 */
const LEDGER_NAMES = new Set([
  'schema_migrations', // dbmate, golang-migrate, Rails
  '_prisma_migrations',
  'flyway_schema_history',
  '__drizzle_migrations',
  'knex_migrations',
  'knex_migrations_lock',
  'pgmigrations', // node-pg-migrate
  'typeorm_metadata',
  'goose_db_version',
  '__diesel_schema_migrations',
  'kysely_migration',
  'kysely_migration_lock',
  'mikro_orm_migrations',
  'SequelizeMeta',
]);

/** `migrations` is also a plausible business table name, so it must look like a ledger. */
const AMBIGUOUS_NAMES = new Set(['migrations']);
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

/** Ids of ledger tables in the catalog. */
export function findLedgerTables(catalog: Catalog): string[] {
  return catalog.relations.filter(isLedger).map((relation) => relation.id);
}

function isLedger(relation: CatalogRelation): boolean {
  if (relation.kind !== 'table') return false;
  if (LEDGER_NAMES.has(relation.name)) return true;
  if (!AMBIGUOUS_NAMES.has(relation.name)) return false;
  const columns = relation.columns.map((c) => c.name);
  return (
    columns.length > 0 &&
    columns.length <= 6 &&
    columns.every((c) => LEDGER_COLUMNS.has(c)) &&
    LEDGER_KEY_COLUMNS.some((c) => columns.includes(c))
  );
}
