import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisEvent } from '../../src/catalog.js';
import { summaryLine } from '../../src/report/table.js';
import type { AuditReport } from '../../src/run.js';
import { cacheKey } from '../../src/schema/cache.js';
import { explainExtensionFailures } from '../../src/schema/extension-failures.js';
import { loadSchema } from '../../src/schema/index.js';
import { isSupabaseProject } from '../../src/schema/supabase.js';
import { tempDir } from './helpers.js';

const project = path.resolve(import.meta.dirname, '../../fixtures/audit/supabase-project/supabase/migrations');
const unit = (...sql: string[]) => [{ statements: sql.map((s, i) => ({ sql: s, line: i + 1 })) }];

describe('isSupabaseProject', () => {
  it('recognises the Supabase CLI folder and SQL that needs Supabase objects', () => {
    expect(isSupabaseProject('/repo/supabase/migrations', unit('CREATE TABLE t (id int)'))).toBe(true);
    expect(isSupabaseProject('/repo/db', unit('CREATE TABLE p (id uuid REFERENCES auth.users (id))'))).toBe(true);
    expect(isSupabaseProject('/repo/db', unit(`CREATE POLICY p ON t USING ((select auth.uid()) = owner)`))).toBe(true);
    expect(isSupabaseProject('/repo/db', unit(`create policy x on "storage"."objects" for select using (true)`))).toBe(true);
    expect(isSupabaseProject('/repo/db', unit('GRANT SELECT ON t TO anon, authenticated'))).toBe(true);
  });

  it('leaves other projects alone, including ones that build their own auth schema', () => {
    expect(isSupabaseProject('/repo/db/migrations', unit('CREATE TABLE users (id int)', '-- auth.users is not ours'))).toBe(false);
    expect(isSupabaseProject('/repo/db', unit('GRANT SELECT ON t TO reporting'))).toBe(false);
    expect(isSupabaseProject('/repo/supabase/migrations', unit('CREATE SCHEMA auth', 'CREATE TABLE auth.users (id uuid)'))).toBe(false);
    // The storage service itself (supabase/storage): its migrations create the storage schema and grant to anon.
    expect(isSupabaseProject('/repo/migrations/tenant', unit('CREATE SCHEMA IF NOT EXISTS storage', 'GRANT USAGE ON SCHEMA storage TO anon, authenticated'))).toBe(false);
    expect(isSupabaseProject('/repo/migrations/tenant', unit('CREATE TABLE IF NOT EXISTS "storage"."objects" (id uuid)', 'CREATE POLICY p ON storage.objects USING (auth.uid() = owner)'))).toBe(false);
  });
});

describe('explainExtensionFailures', () => {
  const failed = (line: number, message: string, statement: string): AnalysisEvent => ({ kind: 'migration-failed', message, file: '/m/002.sql', line, statement });
  const request = (name: string) => ({ name, file: '/m/001.sql', line: 1 });

  it('ties failures to the missing extension, directly and through what it kept from existing', () => {
    const { unavailableEvents, events } = explainExtensionFailures([request('pg_cron'), request('timescaledb')], new Set(['pg_cron', 'timescaledb']), [
      failed(3, 'schema "cron" does not exist', "SELECT cron.schedule('nightly', '0 3 * * *', 'vacuum')"),
      failed(5, 'function create_hypertable(unknown, unknown) does not exist', "SELECT create_hypertable('metrics', 'time')"),
      failed(7, 'unrecognized parameter namespace "timescaledb"', 'CREATE MATERIALIZED VIEW hourly WITH (timescaledb.continuous) AS SELECT 1'),
      failed(9, 'relation "hourly" does not exist', 'CREATE INDEX hourly_idx ON hourly (x)'),
      failed(11, 'relation "squads" does not exist', 'CREATE TABLE members (squad int REFERENCES squads)'),
    ]);
    expect(unavailableEvents.map((e) => [e.extension, e.objects])).toEqual([
      ['pg_cron', ['SELECT at 002.sql:3']],
      ['timescaledb', ['SELECT at 002.sql:5', 'materialized view hourly', 'index hourly_idx']],
    ]);
    expect(unavailableEvents[1]?.message).toContain('3 statements that need it failed');
    expect(events.map((e) => e.extension)).toEqual(['pg_cron', 'timescaledb', 'timescaledb', 'timescaledb', undefined]);
    expect(events[4]?.message).toBe('relation "squads" does not exist');
  });

  it('still reports an unavailable extension nothing failed for, and ignores available ones', () => {
    const { unavailableEvents, events } = explainExtensionFailures([request('postgis'), request('vector')], new Set(['postgis']), [
      failed(2, 'type "vector" does not exist', 'CREATE TABLE e (v vector(3))'),
    ]);
    expect(unavailableEvents).toEqual([expect.objectContaining({ extension: 'postgis', objects: [], message: expect.stringContaining('no statement failed') })]);
    expect(events[0]?.extension).toBeUndefined();
  });
});

describe('Supabase stand-ins', () => {
  let cache: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    cache = await tempDir();
  });
  afterAll(async () => {
    await cache.remove();
  });

  it('load a Supabase project with no failures and keep Supabase objects out of the audit', async () => {
    const { catalog, source, events } = await loadSchema({ migrations: project, cacheDir: cache.dir });
    expect(events).toEqual([]);
    expect(source).toMatchObject({ statementsFailed: 0, platform: { name: 'supabase', stubVersion: 1 } });
    expect(catalog.schemas).toEqual(['public']);
    // auth.users stays only as the bridge the project's trigger sits on, flagged as the platform's.
    const outside = catalog.relations.filter((r) => r.schema !== 'public').map((r) => [r.id, r.platform]);
    expect(outside).toEqual([['auth.users', 'supabase']]);
    expect(catalog.triggers.map((t) => t.id)).toEqual(['auth.users.on_auth_user_created']);
    expect(catalog.functions.every((f) => f.schema === 'public')).toBe(true);
  }, 120_000);

  it('audit a Supabase schema the user names', async () => {
    const { catalog } = await loadSchema({ migrations: project, cacheDir: cache.dir, schemas: ['public', 'auth'] });
    expect(catalog.schemas).toEqual(['auth', 'public']);
    expect(catalog.relations.find((r) => r.id === 'auth.users')?.platform).toBeUndefined();
    expect(catalog.functions.map((f) => f.id)).toContain('auth.uid()');
    // storage stays unaudited; storage.objects is kept as a bridge because its policy calls auth.uid(), now audited.
    expect(catalog.relations.filter((r) => r.schema === 'storage').map((r) => [r.id, r.platform])).toEqual([['storage.objects', 'supabase']]);
  }, 120_000);

  it('are part of the cache key only when applied', () => {
    const base = { kind: 'migrations' as const, files: [{ relativePath: '1.sql', content: 'select 1' }], pgliteVersion: '0.3.0', extensions: [] };
    expect(cacheKey({ ...base, platform: 'supabase@1' })).not.toBe(cacheKey(base));
    expect(cacheKey({ ...base, platform: 'supabase@2' })).not.toBe(cacheKey({ ...base, platform: 'supabase@1' }));
  });
});

describe('summary line', () => {
  it('counts the statements each unavailable extension cost', () => {
    const stats = {
      objects: { table: 1 },
      dead: { high: 0, medium: 0, low: 0 },
      files: { scanned: 1, sql: 0, test: 0, skipped: 0 },
      sql: { statements: 0, parsed: 0, fragments: 0, fallback: 0, otherDialect: {}, parseRate: 1 },
      libraries: {},
      suppressed: { ignored: 0, baselined: 0 },
      events: 5,
      timingsMs: { schema: 0, scan: 0, match: 0, collect: 0, decide: 0, reuse: 0, total: 0 },
    };
    const report = (extra: object): AuditReport => ({ version: 1, schema: { kind: 'migrations', location: 'm' }, stats: { ...stats, ...extra }, findings: [], events: [] });
    expect(summaryLine(report({ extensionsUnavailable: { postgis: 4, pg_cron: 1 } }))).toContain('5 events (PGlite lacks postgis: 4 statements failed, pg_cron: 1 statement failed)');
    expect(summaryLine(report({}))).toContain('5 events; ');
  });
});
