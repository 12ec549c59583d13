import { describe, expect, it } from 'vitest';
import dbMigrate from '../../rules/db-migrate/index.js';
import knex from '../../rules/knex/index.js';
import kysely from '../../rules/kysely/index.js';
import mikroOrm from '../../rules/mikro-orm-migrations/index.js';
import nodePgMigrate from '../../rules/node-pg-migrate/index.js';
import sequelize from '../../rules/sequelize/index.js';
import typeorm from '../../rules/typeorm/index.js';
import type { Catalog, CatalogRelation } from '../../src/catalog.js';
import type { Rule, RuleRef } from '../../src/rules/types.js';
import { scanTypeScript } from '../../src/scan/typescript.js';
import { findLedgerTables, MIGRATION_LEDGERS } from '../../src/schema/ledger.js';

/** `via: schema.table [columns]` for each ledger table a rule owns, from its relation-level reads. */
function ledgersOf(refs: readonly RuleRef[]): string[] {
  const out = new Set<string>();
  for (const ref of refs) {
    if (ref.kind !== 'use' || ref.owned === undefined || ref.name !== undefined || ref.role !== 'read') continue;
    const columns = refs.filter((r) => r.kind === 'use' && r.role === 'read' && r.name !== undefined && r.relations[0] === ref.relations[0]).map((r) => (r.kind === 'use' ? r.name : ''));
    for (const relation of ref.relations) {
      if ('model' in relation) continue;
      out.add(`${ref.owned}: ${relation.schema ? `${relation.schema}.` : ''}${relation.table} [${columns.join(',')}]`);
    }
  }
  return [...out];
}

function codeLedgers(rule: Rule, text: string, file = 'src/config.ts'): string[] {
  const scan = scanTypeScript(file, text, false, { interestingNames: new Set(), rules: [rule], packages: new Set(rule.enablers) });
  return ledgersOf(scan.libraryRefs.map(({ ref }) => ref));
}

function fileLedgers(rule: Rule, file: string, text: string): string[] {
  return ledgersOf(rule.projectFiles!.scan(file, text));
}

describe('default ledger names', () => {
  const table = (name: string, columns: string[], schema = 'public'): CatalogRelation =>
    ({ id: `${schema}.${name}`, schema, name, kind: 'table', columns: columns.map((c) => ({ name: c })) }) as unknown as CatalogRelation;
  const ledgers = (...relations: CatalogRelation[]) => findLedgerTables({ relations } as unknown as Catalog);

  it('removes every pack default, in any schema', () => {
    for (const tables of Object.values(MIGRATION_LEDGERS)) {
      for (const { name, columns } of Object.values(tables)) expect(ledgers(table(name, [...columns], 'ops')), name).toEqual([`ops.${name}`]);
    }
    expect(ledgers(table('SequelizeData', ['name']), table('schema_migrations', ['version']))).toEqual(['public.SequelizeData', 'public.schema_migrations']);
  });

  it('takes `migrations` and `seeds` for ledgers only when they have a ledger’s columns', () => {
    expect(ledgers(table('migrations', ['id', 'timestamp', 'name']))).toEqual(['public.migrations']);
    expect(ledgers(table('migrations', ['id', 'species', 'route']))).toEqual([]);
    expect(ledgers(table('seeds', ['id', 'name', 'run_on']))).toEqual(['public.seeds']);
    expect(ledgers(table('seeds', ['id', 'name']), table('seeds', ['id', 'name', 'run_on', 'germination_days'], 'farm'))).toEqual([]);
  });
});

describe('knex ledger', () => {
  it('reads migrations.tableName / schemaName of a knexfile and names the lock after the ledger', () => {
    const knexfile = "module.exports = {\n  development: { client: 'pg', migrations: { tableName: 'app_migrations', schemaName: 'ops' } },\n};";
    expect(codeLedgers(knex, knexfile, 'knexfile.js')).toEqual([
      'knex migrations ledger: ops.app_migrations [id,name,batch,migration_time]',
      'knex migrations lock: ops.app_migrations_lock [index,is_locked]',
    ]);
    // Outside a knexfile the config must look like one (client or connection).
    expect(codeLedgers(knex, "export default { migrations: { tableName: 'app_migrations' } };")).toEqual([]);
    expect(codeLedgers(knex, "const db = knex({ connection: url, migrations: { tableName: 'app_migrations' } });")).toHaveLength(2);
  });

  it('reads the options of knex.migrate calls, and skips defaults and run-time names', () => {
    expect(codeLedgers(knex, "await db.migrate.latest({ tableName: 'svc_migrations', directory: './m' });")).toHaveLength(2);
    expect(codeLedgers(knex, "await db.migrate.latest({ tableName: 'knex_migrations' });")).toEqual([]);
    expect(codeLedgers(knex, 'await db.migrate.latest({ tableName: process.env.LEDGER });')).toEqual([]);
    expect(codeLedgers(knex, "await db.migrate.latest({ tableName: process.env.LEDGER ?? 'svc_migrations' });")).toHaveLength(2);
    expect(codeLedgers(knex, "Model.init({}, { tableName: 'users' });")).toEqual([]);
  });
});

describe('Kysely ledger', () => {
  it('reads Migrator props; a table left at its default is not added', () => {
    expect(codeLedgers(kysely, "new Migrator({ db, provider, migrationLockTableName: 'deploy_lock', migrationTableSchema: 'ops' });")).toEqual([
      'Kysely migrations lock: ops.deploy_lock [id,is_locked]',
    ]);
    expect(codeLedgers(kysely, "new Migrator({ db, provider, migrationTableName: 'deploys' });")).toEqual(['Kysely migrations ledger: deploys [name,timestamp]']);
  });
});

describe('TypeORM ledger', () => {
  it('reads migrationsTableName and metadataTableName in the data source options, with their schema', () => {
    expect(codeLedgers(typeorm, "export const ds = new DataSource({ type: 'postgres', schema: 'core', migrationsTableName: 'typeorm_migrations', metadataTableName: 'orm_meta' });")).toEqual([
      'TypeORM migrations ledger: core.typeorm_migrations [id,timestamp,name]',
      'TypeORM metadata table: core.orm_meta [type,database,schema,table,name,value]',
    ]);
  });

  it('reads an ormconfig.json, one connection or a list', () => {
    const text = JSON.stringify([{ name: 'default', migrationsTableName: 'typeorm_migrations' }, { name: 'audit', schema: 'audit', migrationsTableName: 'audit_migrations' }], null, 2);
    expect(fileLedgers(typeorm, 'ormconfig.json', text)).toEqual([
      'TypeORM migrations ledger: typeorm_migrations [id,timestamp,name]',
      'TypeORM migrations ledger: audit.audit_migrations [id,timestamp,name]',
    ]);
  });
});

describe('Sequelize ledger', () => {
  it('reads sequelize-cli keys in a config.js and umzug storage options', () => {
    expect(codeLedgers(sequelize, "module.exports = { production: { dialect: 'postgres', migrationStorageTableName: 'sequelize_history', migrationStorageTableSchema: 'ops' } };", 'config/config.js')).toEqual([
      'sequelize-cli migrations ledger: ops.sequelize_history [name,createdAt,updatedAt]',
    ]);
    expect(codeLedgers(sequelize, "const umzug = new Umzug({ storage: new SequelizeStorage({ sequelize, tableName: 'umzug_meta', columnName: 'migration' }) });")).toEqual([
      'umzug migrations ledger: umzug_meta [migration,createdAt,updatedAt]',
    ]);
    expect(codeLedgers(sequelize, "new Umzug({ storage: 'sequelize', storageOptions: { sequelize, tableName: 'legacy_meta' } });")).toHaveLength(1);
    expect(codeLedgers(sequelize, "new Umzug({ storage: 'json', storageOptions: { path: './meta.json', tableName: 'x' } });")).toEqual([]);
  });

  it('reads each environment of a JSON config file', () => {
    const text = JSON.stringify({ development: { seederStorage: 'sequelize', seederStorageTableName: 'seed_runs' } }, null, 2);
    expect(fileLedgers(sequelize, 'config/config.json', text)).toEqual(['sequelize-cli seeders ledger: seed_runs [name,createdAt,updatedAt]']);
  });
});

describe('MikroORM ledger', () => {
  it('reads migrations.tableName with its schema (option, prefix, then the config’s)', () => {
    expect(codeLedgers(mikroOrm, "export default defineConfig({ migrations: { tableName: 'ops.orm_migrations' } });")).toEqual(['MikroORM migrations ledger: ops.orm_migrations [id,name,executed_at]']);
    expect(codeLedgers(mikroOrm, "MikroORM.init({ schema: 'crm', migrations: { tableName: 'orm_log' } });")).toEqual(['MikroORM migrations ledger: crm.orm_log [id,name,executed_at]']);
    expect(codeLedgers(mikroOrm, "MikroORM.init({ migrations: { tableName: 'x.orm_log', schema: 'y' } });")).toEqual(['MikroORM migrations ledger: y.orm_log [id,name,executed_at]']);
  });

  it('leaves knex configs to knex', () => {
    expect(codeLedgers(mikroOrm, "knex({ client: 'pg', migrations: { tableName: 'report_migrations' } });")).toEqual([]);
  });
});

describe('node-pg-migrate ledger', () => {
  const scripts = (entries: Record<string, string>) => fileLedgers(nodePgMigrate, 'package.json', JSON.stringify({ scripts: entries }, null, 2));

  it('reads the flags of package.json scripts that run it', () => {
    expect(scripts({ migrate: 'node-pg-migrate up --migrations-table=schema_changes -s app' })).toEqual([
      'node-pg-migrate migrations ledger (script migrate): app.schema_changes [id,name,run_on]',
    ]);
    expect(scripts({ migrate: 'npx node-pg-migrate -t $LEDGER up', setup: 'npm i node-pg-migrate -t x', other: 'tsc -t es2022' })).toEqual([]);
  });

  it('reads the dashed keys of a config JSON and the runner options', () => {
    const config = JSON.stringify({ db: { url: 'postgres://localhost/app', 'migrations-table': 'runs', schema: ['tenant', 'public'] } }, null, 2);
    expect(fileLedgers(nodePgMigrate, 'config/default.json', config)).toEqual(['node-pg-migrate migrations ledger: tenant.runs [id,name,run_on]']);
    expect(codeLedgers(nodePgMigrate, "await runner({ databaseUrl, dir, direction: 'up', migrationsTable: 'runs', migrationsSchema: 'ops', schema: 'app' });")).toEqual([
      'node-pg-migrate migrations ledger: ops.runs [id,name,run_on]',
    ]);
  });
});

describe('db-migrate ledger', () => {
  it('reads scripts, a JSON or ini .db-migraterc, and getInstance cmdOptions', () => {
    expect(fileLedgers(dbMigrate, 'package.json', JSON.stringify({ scripts: { up: 'db-migrate up --migration-table runs' } }))).toEqual([
      'db-migrate migrations ledger (script up): runs [id,name,run_on]',
    ]);
    expect(fileLedgers(dbMigrate, '.db-migraterc', 'table = runs\nseeds-table = "seed_runs"\n')).toEqual([
      'db-migrate migrations ledger: runs [id,name,run_on]',
      'db-migrate seeds ledger: seed_runs [id,name,run_on]',
    ]);
    expect(codeLedgers(dbMigrate, "const dbm = DBMigrate.getInstance(true, { env: 'prod', cmdOptions: { table: 'runs', 'seeds-table': 'seed_runs' } });")).toHaveLength(2);
  });
});
