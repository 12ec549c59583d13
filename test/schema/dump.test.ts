import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema, type LoadedSchema } from '../../src/schema/index.js';
import { column, edges, fixture, relation, tempDir } from './helpers.js';

const dumpFile = fixture('pg-dump/schema.sql');
let loaded: LoadedSchema;
let cache: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  cache = await tempDir();
  loaded = await loadSchema({ schemaFile: dumpFile, cacheDir: cache.dir });
});
afterAll(async () => {
  await cache.remove();
});

describe('pg_dump --schema-only file', () => {
  it('applies cleanly: ownership, grants and psql meta-commands are skipped, missing roles created', () => {
    expect(loaded.events).toEqual([]);
    expect(loaded.source).toMatchObject({ kind: 'schema-file', statementsFailed: 0, extensionsLoaded: ['pg_trgm'], cacheHit: false });
    expect(loaded.migrationFiles).toEqual([dumpFile]);
  });

  it('restores a sane search_path after set_config(search_path, empty)', () => {
    expect(loaded.catalog.searchPath).toEqual(['public']);
    expect(column(loaded.catalog, 'public.runs.status').type).toBe('run_status');
  });

  it('keeps composite primary keys in key order', () => {
    const runs = relation(loaded.catalog, 'public.runs');
    expect(runs.primaryKey).toEqual(['organization_id', 'id']);
    expect(runs.columns.filter((c) => c.isPrimaryKey).map((c) => c.name)).toEqual(['organization_id', 'id']);
  });

  it('reads columns: defaults, generated expressions, identity, comments', () => {
    const { catalog } = loaded;
    expect(column(catalog, 'public.runs.title_lower').generated).toBe('lower(title)');
    expect(column(catalog, 'public.runs.title_lower').default).toBeNull();
    expect(column(catalog, 'public.runs.id').identity).toBe(true);
    expect(column(catalog, 'public.organizations.name').comment).toBe('Display name; unique per tenant');
    expect(column(catalog, 'billing.invoices.id').default).toBe("nextval('billing.invoices_id_seq'::regclass)");
  });

  it('records view → column and view → relation edges', () => {
    expect(relation(loaded.catalog, 'public.active_runs').definition).toContain('JOIN organizations o');
    expect(edges(loaded.catalog, 'view', 'public.active_runs')).toEqual([
      'public.active_runs -> public.organizations',
      'public.active_runs -> public.organizations.id',
      'public.active_runs -> public.organizations.name',
      'public.active_runs -> public.run_status',
      'public.active_runs -> public.runs',
      'public.active_runs -> public.runs.id',
      'public.active_runs -> public.runs.organization_id',
      'public.active_runs -> public.runs.status',
      'public.active_runs -> public.runs.title',
    ]);
  });

  it('reads triggers and links them to their function', () => {
    expect(loaded.catalog.triggers).toEqual([
      expect.objectContaining({
        id: 'public.runs.runs_touch_updated_at',
        relationId: 'public.runs',
        functionId: 'public.touch_updated_at()',
        events: ['UPDATE'],
        columns: ['status', 'title'],
        timing: 'BEFORE',
      }),
    ]);
    expect(edges(loaded.catalog, 'trigger')).toEqual(['public.runs.runs_touch_updated_at -> public.touch_updated_at()']);
    const fn = loaded.catalog.functions.find((f) => f.id === 'public.touch_updated_at()');
    expect(fn).toMatchObject({ language: 'plpgsql', isTriggerFunction: true, returnType: 'trigger', argCount: 0 });
    expect(fn?.body).toContain('NEW.updated_at := now()');
  });

  it('links defaults to sequences, sequences to owners, and FK columns to referenced columns', () => {
    const { catalog } = loaded;
    expect(edges(catalog, 'default', 'public.organizations.id')).toEqual([
      'public.organizations.id -> public.organizations_id_seq',
    ]);
    expect(catalog.sequences.map((s) => [s.id, s.ownedBy])).toEqual([
      ['billing.invoices_id_seq', 'billing.invoices.id'],
      ['public.organizations_id_seq', 'public.organizations.id'],
      ['public.runs_id_seq', 'public.runs.id'],
    ]);
    expect(edges(catalog, 'foreignKey')).toEqual([
      'billing.invoices.organization_id -> public.organizations.id',
      'public.runs.organization_id -> public.organizations.id',
    ]);
    expect(edges(catalog, 'generated')).toEqual(['public.runs.title_lower -> public.runs.title']);
    expect(edges(catalog, 'policy')).toEqual(['public.runs -> public.runs.organization_id']);
    expect(edges(catalog, 'columnType')).toEqual(['public.runs.status -> public.run_status']);
  });

  it('flags extension-owned objects instead of dropping them', () => {
    const trgm = loaded.catalog.functions.filter((f) => f.name === 'similarity');
    expect(trgm.length).toBeGreaterThan(0);
    expect(trgm.every((f) => f.extensionOwned)).toBe(true);
    expect(loaded.catalog.functions.filter((f) => !f.extensionOwned).map((f) => f.id)).toEqual(['public.touch_updated_at()']);
  });

  it('removes migration ledgers (and their sequences) from the catalog and lists them in the source', () => {
    expect(loaded.source.ledgerTables).toEqual(['drizzle.__drizzle_migrations', 'public.schema_migrations']);
    expect(loaded.catalog.relations.some((r) => r.name === 'schema_migrations' || r.schema === 'drizzle')).toBe(false);
    expect(loaded.catalog.sequences.some((s) => s.schema === 'drizzle')).toBe(false);
    expect(loaded.catalog.dependencies.some((d) => d.from.startsWith('drizzle.') || d.to.startsWith('drizzle.'))).toBe(false);
    // Drizzle's schema held nothing but its ledger.
    expect(loaded.catalog.schemas).toEqual(['billing', 'public']);
    expect(loaded.definedAt['drizzle.__drizzle_migrations']).toBeUndefined();
  });

  it('maps objects to the dump line that defines them', () => {
    expect(loaded.definedAt['public.runs']).toEqual({ file: dumpFile, line: 216 });
    expect(loaded.definedAt['public.runs.retry_delay_seconds']).toEqual({ file: dumpFile, line: 220 });
    expect(loaded.definedAt['public.touch_updated_at()']?.line).toBe(86);
    expect(loaded.definedAt['public.runs.runs_touch_updated_at']?.line).toBe(344);
  });

  it('filters to the requested schemas, keeping only edges between kept objects', async () => {
    // Same file, so this comes from the cache: filtering happens after it.
    const billing = await loadSchema({ schemaFile: dumpFile, cacheDir: cache.dir, schemas: ['billing'] });
    expect(billing.source.cacheHit).toBe(true);
    expect(billing.catalog.schemas).toEqual(['billing']);
    expect(billing.catalog.relations.map((r) => r.id)).toEqual(['billing.invoices']);
    expect(billing.catalog.functions).toEqual([]);
    expect(edges(billing.catalog, 'foreignKey')).toEqual([]);
    expect(billing.catalog.dependencies.map((d) => d.kind).sort()).toEqual(['default', 'sequenceOwner']);
    expect(Object.keys(billing.definedAt).every((id) => id.startsWith('billing.'))).toBe(true);
  });
});
