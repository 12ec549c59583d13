import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/index.js';
import { readMigrations } from '../src/schema/migrations.js';

const adminUrl = process.env.DATABASE_URL;
const incident = path.resolve(__dirname, '../fixtures/audit/incident');

/**
 * The same repo audited from a live server and from its migrations in PGlite must give the
 * same verdicts: the live path differs only in how the catalog is read.
 */
describe.skipIf(!adminUrl)('audit --db against a real server', () => {
  const database = `dead_schema_audit_${randomBytes(4).toString('hex')}`;
  let admin: postgres.Sql;
  let url: string;

  beforeAll(async () => {
    admin = postgres(adminUrl ?? '', { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    const target = new URL(adminUrl ?? '');
    target.pathname = `/${database}`;
    url = target.toString();
    const setup = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const migrations = await readMigrations(path.join(incident, 'migrations'));
      for (const file of migrations.files) for (const statement of file.statements) await setup.unsafe(statement.sql);
      // dbmate's ledger exists on a real database and must not be reported.
      await setup.unsafe('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)');
    } finally {
      await setup.end();
    }
  });

  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('reports what the migrations-based audit reports', async () => {
    const live = await audit({ root: incident, databaseUrl: url, cacheDir: false });
    const embedded = await audit({ root: incident, migrations: path.join(incident, 'migrations'), cacheDir: false });
    const summary = (r: typeof live) => r.findings.map((f) => `${f.kind} ${f.id} ${f.verdict} ${f.confidence}`).sort();
    expect(live.schema.kind).toBe('database');
    expect(live.schema.location).not.toContain('@127.0.0.1:1/');
    expect(summary(live)).toEqual(summary(embedded));
    expect(summary(live)).toContain('table public.mcp_proxy_sessions unreferenced high');
    expect(live.findings.some((f) => f.id.includes('schema_migrations'))).toBe(false);
  });
});
