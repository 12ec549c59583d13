import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SchemaSourceError } from '../../src/errors.js';
import { introspectionStatements } from '../../src/schema/introspect.js';
import { loadSchema, type LoadedSchema } from '../../src/schema/index.js';
import { withReadOnlySession } from '../../src/schema/live/index.js';
import { BEGIN_STATEMENT, END_STATEMENT } from '../../src/schema/live/session.js';
import { captured } from '../support/cli-io.js';
import { startWireProxy, type WireCapture } from '../support/pg-wire.js';

const adminUrl = process.env.DATABASE_URL;

/**
 * Issue 9, reproduced: the owner of a database (not a superuser) puts a schema of theirs ahead
 * of pg_catalog in the database's search_path, with an `=` operator that makes them superuser
 * when a superuser's session calls it, and a pg_namespace view that hides the public schema.
 * A superuser then audits the database with --db.
 */
describe.skipIf(!adminUrl)('a hostile database audited by a superuser', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `ds_owner_${suffix}`;
  const dbName = `ds_attack_${suffix}`;
  const hostileSchema = `q'\\x`;
  let admin: postgres.Sql;
  let dbUrl: string;
  let loaded: LoadedSchema;
  let capture: WireCapture;
  let proxied: string;

  const isSuperuser = async (): Promise<boolean> => (await admin`select rolsuper from pg_roles where rolname = ${owner}`)[0]!.rolsuper as boolean;

  beforeAll(async () => {
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE ROLE ${owner} LOGIN NOSUPERUSER`);
    await admin.unsafe(`CREATE DATABASE ${dbName} OWNER ${owner}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    url.username = owner;
    const asOwner = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await asOwner.unsafe(`
      CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE public.canary (n integer);
      INSERT INTO public.canary VALUES (1), (2);
      CREATE SCHEMA evil;
      CREATE SCHEMA "${hostileSchema.replace(/"/g, '""')}";
      CREATE FUNCTION evil.escalate_oid(a oid, b oid) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN EXECUTE 'ALTER ROLE ${owner} SUPERUSER'; RETURN pg_catalog.oideq(a, b); END $$;
      CREATE OPERATOR evil.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = evil.escalate_oid);
      CREATE FUNCTION evil.escalate_name(a name, b name) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN EXECUTE 'ALTER ROLE ${owner} SUPERUSER'; RETURN pg_catalog.nameeq(a, b); END $$;
      CREATE OPERATOR evil.= (LEFTARG = name, RIGHTARG = name, FUNCTION = evil.escalate_name);
      CREATE VIEW evil.pg_namespace AS SELECT * FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.<>) 'public';
      ALTER DATABASE ${dbName} SET search_path = evil, pg_catalog, public, "${hostileSchema.replace(/"/g, '""')}";
      ALTER DATABASE ${dbName} SET standard_conforming_strings = off;
    `);
    await asOwner.end();

    const proxy = await startWireProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const viaProxy = new URL(dbUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.search = '?sslmode=disable&search_path=evil&statement_timeout=0&options=-c%20default_transaction_read_only%3Doff';
    proxied = viaProxy.toString();
    loaded = await loadSchema({ databaseUrl: proxied });
    capture = proxy.capture;
    await proxy.close();
  });

  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.unsafe(`DROP ROLE IF EXISTS ${owner}`);
    await admin.end();
  });

  it('runs none of the owner\'s code: the owner is still not a superuser, nothing was written', async () => {
    expect(await isSuperuser()).toBe(false);
    // fetch_types off: postgres.js's own type query compares oids with `=`, the very trap.
    const check = postgres(dbUrl, { max: 1, onnotice: () => {}, fetch_types: false });
    expect((await check.unsafe('select n from public.canary order by n')).map((r) => r.n)).toEqual([1, 2]);
    await check.end();
  });

  it('the view in front of pg_namespace hides nothing', () => {
    expect(loaded.catalog.relations.map((r) => r.id)).toEqual(['evil.pg_namespace', 'public.accounts', 'public.canary']);
    expect(loaded.catalog.schemas).toContain('public');
  });

  it("reads the application's search path from the database setting, hostile names included", () => {
    expect(loaded.catalog.searchPath).toEqual(['evil', 'public', hostileSchema]);
  });

  it('sends exactly the statements the code lists, on one connection, with its own startup settings', async () => {
    expect(capture.startups).toHaveLength(1);
    const startup = capture.startups[0]!;
    expect(startup).toMatchObject({
      options: '-c search_path=pg_catalog -c default_transaction_read_only=on',
      statement_timeout: '30000',
      lock_timeout: '5000',
      idle_in_transaction_session_timeout: '60000',
      application_name: 'dead-schema',
    });
    expect(startup).not.toHaveProperty('search_path');
    const expected = [BEGIN_STATEMENT, ...(await introspectionStatements(loaded.catalog.searchPath)), END_STATEMENT];
    expect(capture.statements).toEqual(expected);
  });

  it('reports the URL parameters it did not apply', () => {
    expect(loaded.events.filter((e) => e.kind === 'db-setting-ignored').map((e) => /"(\w+)"/.exec(e.message)?.[1])).toEqual([
      'options',
      'search_path',
      'statement_timeout',
    ]);
  });

  it('control: the same lookups in a plain session do run the owner\'s operator (the trap is armed)', async () => {
    const plain = postgres(dbUrl, { max: 1, onnotice: () => {}, fetch_types: false });
    const [row] = await plain.unsafe(
      'select (select count(*) from pg_namespace)::int as visible, (select count(*) from pg_catalog.pg_namespace)::int as total, 1::oid = 1::oid as compared',
    );
    await plain.end();
    expect(row!.visible).toBe(row!.total - 1);
    expect(await isSuperuser()).toBe(true);
    await admin.unsafe(`ALTER ROLE ${owner} NOSUPERUSER`);
  });
});

describe.skipIf(!adminUrl)('errors during the read-only transaction', () => {
  const dbName = `ds_locks_${randomBytes(4).toString('hex')}`;
  let admin: postgres.Sql;
  let dbUrl: string;
  let locker: postgres.ReservedSql;
  let lockerPool: postgres.Sql;

  beforeAll(async () => {
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    lockerPool = postgres(dbUrl, { max: 1, onnotice: () => {} });
    locker = await lockerPool.reserve();
    // Catalog queries read pg_depend; another session holding it is a lock wait the tool must bound.
    await locker.unsafe('BEGIN');
    await locker.unsafe('LOCK TABLE pg_catalog.pg_depend IN ACCESS EXCLUSIVE MODE');
  });

  afterAll(async () => {
    await locker.unsafe('ROLLBACK');
    locker.release();
    await lockerPool.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('a lock wait past lock_timeout is one line with its SQLSTATE', async () => {
    const error = await loadSchema({ databaseUrl: dbUrl, live: { limits: { lockTimeoutMs: 200 } } }).then(
      () => new Error('loaded'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect(error.message).toMatch(/^cannot read the schema of .*: canceling statement due to lock timeout \(SQLSTATE 55P03\)$/);
    expect((error as SchemaSourceError).details.hint).toMatch(/holds a lock/);
  });

  it('a statement past statement_timeout is one line too', async () => {
    const error = await withReadOnlySession(dbUrl, (query) => query('select pg_catalog.pg_sleep(5)'), { limits: { statementTimeoutMs: 200 } }).then(
      () => new Error('returned'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/canceling statement due to statement timeout \(SQLSTATE 57014\)$/);
  });

  it('through the CLI it is a DeadSchemaError (exit 2), not a crash', async () => {
    const io = captured(process.cwd(), {});
    const run = main(['audit', 'fixtures/audit/incident', '--db', dbUrl, '--quiet', '--connect-timeout', '5'], io.io);
    // The default lock_timeout (5 s) applies here; the command must end with the typed error.
    await expect(run).rejects.toBeInstanceOf(SchemaSourceError);
  });
});

describe.skipIf(!adminUrl)('database-level settings cannot shape the session', () => {
  it('a 1 ms statement_timeout and default_transaction_read_only=off set on the database change nothing', async () => {
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    const dbName = `ds_settings_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    try {
      const url = new URL(adminUrl!);
      url.pathname = `/${dbName}`;
      // A table to load: a database with none is an error of its own (no tables in the audited schemas).
      const owner = postgres(url.toString(), { max: 1, onnotice: () => {} });
      await owner.unsafe('CREATE TABLE accounts (id int PRIMARY KEY)');
      await owner.end();
      await admin.unsafe(`ALTER DATABASE ${dbName} SET statement_timeout = '1ms'`);
      await admin.unsafe(`ALTER DATABASE ${dbName} SET default_transaction_read_only = off`);
      const settings = await withReadOnlySession(url.toString(), async (query) => [
        ...(await query("select pg_catalog.current_setting('statement_timeout') as value")),
        ...(await query("select pg_catalog.current_setting('transaction_read_only') as value")),
      ]);
      expect(settings).toEqual([{ value: '30s' }, { value: 'on' }]);
      await expect(loadSchema({ databaseUrl: url.toString() })).resolves.toBeDefined();
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });
});
