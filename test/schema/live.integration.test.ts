import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { loadSchema, type LoadedSchema } from '../../src/schema/index.js';
import { withReadOnlySession } from '../../src/schema/live/index.js';
import { column, edges, relation } from './helpers.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/throwaway-database.js';

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('live database (DATABASE_URL)', () => {
  let database: ThrowawayDatabase | undefined;
  let url: string;
  let loaded: LoadedSchema;

  beforeAll(async () => {
    database = await createThrowawayDatabase(adminUrl ?? '', 'dead_schema_it', async (setup) => {
      await setup.unsafe(`
        CREATE SCHEMA app;
        CREATE TYPE app.plan AS ENUM ('free', 'pro');
        CREATE TABLE app.accounts (
          organization_id bigint NOT NULL,
          id bigint GENERATED ALWAYS AS IDENTITY,
          plan app.plan NOT NULL DEFAULT 'free',
          email text NOT NULL,
          email_domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED,
          PRIMARY KEY (organization_id, id)
        );
        CREATE TABLE app.notes (
          id serial PRIMARY KEY,
          organization_id bigint NOT NULL,
          account_id bigint NOT NULL,
          body text,
          FOREIGN KEY (organization_id, account_id) REFERENCES app.accounts (organization_id, id)
        );
        CREATE VIEW app.pro_accounts AS SELECT id, email FROM app.accounts WHERE plan = 'pro';
        CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
        CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER notes_touch AFTER INSERT OR DELETE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.touch();
        CREATE TABLE public.schema_migrations (version text PRIMARY KEY);
      `);
    });
    url = database.url;
    loaded = await loadSchema({ databaseUrl: url });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('reads the catalog through pg_catalog', () => {
    const { catalog, source } = loaded;
    expect(source).toMatchObject({ kind: 'database', ledgerTables: ['public.schema_migrations'] });
    expect(source.location).toContain(database!.name);
    expect(catalog.schemas).toEqual(['app', 'public']);
    expect(catalog.relations.map((r) => r.id)).toEqual(['app.accounts', 'app.notes', 'app.pro_accounts']);
    expect(relation(catalog, 'app.accounts').primaryKey).toEqual(['organization_id', 'id']);
    expect(column(catalog, 'app.accounts.email_domain').generated).toBe("split_part(email, '@'::text, 2)");
    expect(column(catalog, 'app.accounts.plan').type).toBe('app.plan');
    expect(catalog.functions.map((f) => [f.id, f.identityArgs])).toEqual([
      ['app.add(integer, integer)', 'a integer, b integer'],
      ['app.touch()', ''],
    ]);
    expect(catalog.triggers[0]).toMatchObject({ id: 'app.notes.notes_touch', events: ['INSERT', 'DELETE'], timing: 'AFTER' });
    expect(edges(catalog, 'foreignKey')).toEqual([
      'app.notes.account_id -> app.accounts.id',
      'app.notes.organization_id -> app.accounts.organization_id',
    ]);
    expect(edges(catalog, 'view', 'app.pro_accounts')).toEqual([
      'app.pro_accounts -> app.accounts',
      'app.pro_accounts -> app.accounts.email',
      'app.pro_accounts -> app.accounts.id',
      'app.pro_accounts -> app.accounts.plan',
      'app.pro_accounts -> app.plan',
    ]);
    expect(edges(catalog, 'generated')).toEqual(['app.accounts.email_domain -> app.accounts.email']);
    expect(catalog.sequences.map((s) => [s.id, s.ownedBy])).toEqual([
      ['app.accounts_id_seq', 'app.accounts.id'],
      ['app.notes_id_seq', 'app.notes.id'],
    ]);
  });

  it('the tool session refuses writes', async () => {
    const attempt = withReadOnlySession(url, async (query) => query('INSERT INTO app.notes (organization_id, account_id) VALUES (1, 1)'));
    await expect(attempt).rejects.toThrow(/read-only transaction/);
  });

  it('an unreachable server is a one-line SchemaSourceError without the password', async () => {
    const error = await loadSchema({ databaseUrl: 'postgres://x:hunter2@127.0.0.1:1/db' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toBe('cannot connect to postgres://x@127.0.0.1:1/db: 127.0.0.1:1: ECONNREFUSED');
  });
});
