import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogRelation } from '../../src/catalog.js';
import { SchemaSourceError } from '../../src/errors.js';
import { loadSchema } from '../../src/schema/index.js';
import { findLedgerTables } from '../../src/schema/ledger.js';
import { redactUrl } from '../../src/schema/live/index.js';

describe('loadSchema source selection', () => {
  it('needs a source', async () => {
    const error = await loadSchema({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toBe('no schema source: pass --migrations DIR, --schema FILE or --db URL, set DATABASE_URL, or set migrations/schemaFile/db in dead-schema.config.json');
  });

  it('refuses two sources', async () => {
    const error = await loadSchema({ migrations: 'db/migrations', databaseUrl: 'postgres://localhost/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toBe('more than one schema source (--migrations, --db): pass exactly one');
  });

  it('names the schema file and the cause when it cannot be read', async () => {
    const error = await loadSchema({ schemaFile: 'nope/schema.sql', cacheDir: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toBe('cannot read schema file nope/schema.sql: ENOENT');
  });
});

describe('redactUrl', () => {
  it('removes passwords from the userinfo and the query string', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/prod?sslmode=require&password=x')).toBe(
      'postgres://app@db.internal:5432/prod?sslmode=require',
    );
    expect(redactUrl('not a url')).toBe('<unparseable database URL>');
  });
});

describe('findLedgerTables', () => {
  const table = (schema: string, name: string, columns: string[]): CatalogRelation => ({
    oid: 0,
    id: `${schema}.${name}`,
    schema,
    name,
    kind: 'table',
    columns: columns.map((c, i) => ({
      name: c,
      attnum: i + 1,
      type: 'text',
      notNull: false,
      default: null,
      generated: null,
      identity: false,
      isPrimaryKey: false,
      comment: null,
    })),
    primaryKey: [],
    partitionOf: null,
    definition: null,
    extensionOwned: false,
    comment: null,
  });
  const catalog = (relations: CatalogRelation[]): Catalog => ({
    schemas: ['public', 'drizzle'],
    searchPath: ['public'],
    relations,
    functions: [],
    triggers: [],
    types: [],
    sequences: [],
    dependencies: [],
    extensions: [],
    serverVersion: '16',
  });

  it('knows the tools’ ledgers by name, in any schema', () => {
    const found = findLedgerTables(
      catalog([
        table('public', '_prisma_migrations', ['id', 'checksum']),
        table('drizzle', '__drizzle_migrations', ['id', 'hash', 'created_at']),
        table('public', 'knex_migrations_lock', ['index', 'is_locked']),
        table('public', 'users', ['id']),
      ]),
    );
    expect(found).toEqual(['public._prisma_migrations', 'drizzle.__drizzle_migrations', 'public.knex_migrations_lock']);
  });

  it('takes a table named migrations only when it looks like a ledger', () => {
    expect(findLedgerTables(catalog([table('public', 'migrations', ['id', 'timestamp', 'name'])]))).toEqual(['public.migrations']);
    expect(findLedgerTables(catalog([table('public', 'migrations', ['id', 'migration', 'batch'])]))).toEqual(['public.migrations']);
    expect(findLedgerTables(catalog([table('public', 'migrations', ['id', 'source_db', 'status', 'started_by'])]))).toEqual([]);
  });
});
