import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { readMigrations } from '../src/schema/migrations.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/throwaway-database.js';

const adminUrl = process.env.DATABASE_URL;
const incident = path.resolve(__dirname, '../fixtures/audit/incident');

/**
 * The same repo audited from a live server and from its migrations in PGlite must give the
 * same verdicts: the live path differs only in how the catalog is read.
 */
describe.skipIf(!adminUrl)('audit --db against a real server', () => {
  let database: ThrowawayDatabase | undefined;

  beforeAll(async () => {
    database = await createThrowawayDatabase(adminUrl ?? '', 'dead_schema_audit', async (sql) => {
      const migrations = await readMigrations(path.join(incident, 'migrations'));
      for (const file of migrations.files) for (const statement of file.statements) await sql.unsafe(statement.sql);
      // dbmate's ledger exists on a real database and must not be reported.
      await sql.unsafe('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)');
    });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('reports what the migrations-based audit reports', async () => {
    const live = await audit({ root: incident, databaseUrl: database!.url, cacheDir: false });
    const embedded = await audit({ root: incident, migrations: path.join(incident, 'migrations'), cacheDir: false });
    const summary = (r: typeof live) => r.findings.map((f) => `${f.kind} ${f.id} ${f.verdict} ${f.confidence}`).sort();
    expect(live.schema.kind).toBe('database');
    expect(summary(live)).toEqual(summary(embedded));
    expect(summary(live)).toContain('table public.mcp_proxy_sessions unreferenced high');
    expect(live.findings.some((f) => f.id.includes('schema_migrations'))).toBe(false);
  });
});
