import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../src/schema/index.js';
import { column, edges, fixture, tempDir, userRelations } from './helpers.js';

let cache: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  cache = await tempDir();
});
afterAll(async () => {
  await cache.remove();
});

const load = (name: string) => loadSchema({ migrations: fixture(name), cacheDir: cache.dir });
const relative = (name: string) => path.relative(process.cwd(), fixture(name));

describe('extensions', () => {
  it('boots with pgvector when a migration creates it', async () => {
    const { catalog, source, events } = await load('vector');
    expect(events).toEqual([]);
    expect(source.extensionsLoaded).toEqual(['vector']);
    expect(catalog.extensions).toContain('vector');
    expect(column(catalog, 'public.documents.embedding').type).toBe('vector(3)');
  });

  it('loads contrib extensions by their SQL name (uuid-ossp) and links defaults to their functions', async () => {
    const { catalog, source, events } = await load('uuid-ossp');
    expect(events).toEqual([]);
    expect(source.extensionsLoaded).toEqual(['uuid-ossp']);
    expect(column(catalog, 'public.sessions.id').default).toBe('uuid_generate_v4()');
    expect(edges(catalog, 'default', 'public.sessions.id')).toEqual(['public.sessions.id -> public.uuid_generate_v4()']);
    const fn = catalog.functions.find((f) => f.id === 'public.uuid_generate_v4()');
    expect(fn?.extensionOwned).toBe(true);
    expect(catalog.functions.filter((f) => !f.extensionOwned)).toEqual([]);
  });

  it('skips an extension PGlite lacks, reports it, and applies the rest', async () => {
    const { catalog, source, events } = await load('postgis');
    expect(source.extensionsUnavailable).toEqual(['postgis']);
    expect(userRelations(catalog)).toEqual(['public.visitors']);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'extension-unavailable',
        file: relative('postgis/001_places.sql'),
        line: 1,
        extension: 'postgis',
        objects: ['table places'],
      }),
      expect.objectContaining({
        kind: 'migration-failed',
        file: relative('postgis/001_places.sql'),
        line: 3,
        message: 'type "geometry" does not exist (needs extension "postgis", which PGlite lacks)',
        extension: 'postgis',
      }),
    ]);
    expect(source.statementsFailed).toBe(1);
  });
});

describe('failing migrations', () => {
  it('reports each failing statement with file and line and keeps going', async () => {
    const { catalog, source, events } = await load('failing');
    expect(events).toEqual([
      {
        kind: 'migration-failed',
        message: 'relation "squads" does not exist',
        file: relative('failing/001_init.sql'),
        line: 6,
        statement: 'CREATE TABLE members ( id int PRIMARY KEY, team_id int NOT NULL REFERENCES squads(id) )',
      },
      expect.objectContaining({
        kind: 'migration-failed',
        message: 'relation "missing_table" does not exist',
        file: relative('failing/003_wrapped.sql'),
        line: 5,
      }),
    ]);
    // Statements around the failure and later files still apply, and nothing ran twice
    // (a re-run after a partial commit would fail with "already exists").
    expect(userRelations(catalog)).toEqual(['public.audit_log', 'public.invites', 'public.settings', 'public.teams']);
    expect(source).toMatchObject({ migrationFiles: 3, statementsApplied: 4, statementsFailed: 2 });
  });
});
