import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchema, type LoadSchemaOptions } from '../../src/schema/index.js';
import { column, edges, fixture, relation, tempDir, userRelations } from './helpers.js';

let cache: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  cache = await tempDir();
});
afterAll(async () => {
  await cache.remove();
});

const load = (name: string, extra: Partial<LoadSchemaOptions> = {}) =>
  loadSchema({ migrations: fixture(name), cacheDir: cache.dir, ...extra });

describe('migrations layouts applied in PGlite', () => {
  it('dbmate: applies the up sections only', async () => {
    const { catalog, source, events, definedAt } = await load('dbmate');
    expect(source).toMatchObject({ kind: 'migrations', layout: 'dbmate', migrationFiles: 2, statementsFailed: 0 });
    expect(events).toEqual([]);
    expect(userRelations(catalog)).toEqual(['public.posts', 'public.users']);
    expect(relation(catalog, 'public.users').columns.map((c) => c.name)).toEqual(['id', 'email', 'created_at', 'display_name']);
    expect(edges(catalog, 'foreignKey')).toEqual(['public.posts.user_id -> public.users.id']);
    expect(definedAt['public.users.display_name']).toEqual({ file: fixture('dbmate/20240102000000_add_posts.sql'), line: 8 });
    expect(definedAt['public.users.email']?.line).toBe(4);
  });

  it('flyway: versioned in numeric order, then the repeatable view', async () => {
    const { catalog, source, events, definedAt } = await load('flyway');
    expect(source.layout).toBe('flyway');
    expect(events).toEqual([]);
    expect(relation(catalog, 'public.orders').columns.map((c) => c.name)).toEqual(['id', 'account_id', 'total', 'notes']);
    expect(column(catalog, 'public.accounts.status').default).toBe("'active'::text");
    expect(relation(catalog, 'public.active_accounts').kind).toBe('view');
    expect(edges(catalog, 'view', 'public.active_accounts')).toContain('public.active_accounts -> public.accounts.status');
    expect(definedAt['public.active_accounts']?.file).toBe(fixture('flyway/R__active_accounts.sql'));
  });

  it('prisma: quoted PascalCase names and enums', async () => {
    const { catalog, source } = await load('prisma');
    expect(source.layout).toBe('prisma');
    expect(userRelations(catalog)).toEqual(['public.Profile', 'public.User']);
    expect(column(catalog, 'public.User.role').type).toBe('"Role"');
    expect(catalog.types.map((t) => [t.id, t.kind, t.enumValues])).toEqual([['public.Role', 'enum', ['USER', 'ADMIN']]]);
    expect(edges(catalog, 'columnType')).toEqual(['public.User.role -> public.Role']);
    expect(edges(catalog, 'foreignKey')).toEqual(['public.Profile.userId -> public.User.id']);
  });

  it('drizzle: journal order, breakpoints, DO blocks', async () => {
    const { catalog, source, events } = await load('drizzle');
    expect(source).toMatchObject({ layout: 'drizzle', migrationFiles: 2, statementsApplied: 5, statementsFailed: 0 });
    expect(events).toEqual([]);
    expect(userRelations(catalog)).toEqual(['public.projects', 'public.tasks']);
    expect(column(catalog, 'public.tasks.due_at').type).toBe('timestamp without time zone');
    expect(edges(catalog, 'foreignKey')).toEqual(['public.tasks.project_id -> public.projects.id']);
  });

  it('plain: natural order and up files only', async () => {
    const { catalog, source, migrationFiles } = await load('plain');
    expect(source).toMatchObject({ layout: 'plain', migrationFiles: 4, statementsFailed: 0 });
    expect(userRelations(catalog)).toEqual(['public.authors', 'public.book_tags', 'public.books', 'public.tags']);
    expect(relation(catalog, 'public.book_tags').primaryKey).toEqual(['book_id', 'tag_id']);
    expect(migrationFiles).toContain(fixture('plain/3_tags.down.sql'));
  });
});
