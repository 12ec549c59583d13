import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { runMigrationCommand } from '../../src/schema/run-migrations/index.js';
import { column, edges, relation, tempDir } from './helpers.js';

/** knex's CLI from this repository's node_modules: the test needs no network and no npx. */
const knexCli = createRequire(import.meta.url).resolve('knex/bin/cli.js');
const repoModules = path.resolve(knexCli, '../../..');

const KNEXFILE = `module.exports = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  // A pool that opens more than one connection, as real projects do.
  pool: { min: 2, max: 10 },
  migrations: { directory: './migrations' },
};
`;

const USERS = `exports.up = async (knex) => {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.timestamp('created_at').defaultTo(knex.fn.now());
  });
};
exports.down = (knex) => knex.schema.dropTable('users');
`;

const POSTS = `exports.up = async (knex) => {
  await knex.schema.createTable('posts', (t) => {
    t.increments('id');
    t.integer('author_id').notNullable().references('id').inTable('users');
    t.string('title', 200);
    t.index(['author_id'], 'posts_author_idx');
  });
};
exports.down = (knex) => knex.schema.dropTable('posts');
`;

const KYSELY_MIGRATION = `import { sql } from 'kysely';
export async function up(db) {
  await db.schema.createTable('accounts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('owner_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(sql\`'x'\`))
    .execute();
}
`;

const KYSELY_RUNNER = `import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect } from 'kysely';
const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) }) });
const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: path.resolve('migrations') }) });
const { error } = await migrator.migrateToLatest();
await db.destroy();
if (error) { console.error(error); process.exit(1); }
`;

let work: Awaited<ReturnType<typeof tempDir>>;
const command = `node ${JSON.stringify(knexCli)} migrate:latest --knexfile knexfile.cjs`;

/** The temp project finds knex and pg the way a real one does, in its own node_modules. */
async function makeProject(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'migrations'), { recursive: true });
  await symlink(repoModules, path.join(dir, 'node_modules'), 'dir');
  await writeFile(path.join(dir, 'knexfile.cjs'), KNEXFILE);
}

beforeAll(async () => {
  work = await tempDir('dead-schema-run-migrations-');
  await makeProject(work.dir);
  await writeFile(path.join(work.dir, 'migrations', '20240101000000_users.js'), USERS);
  await writeFile(path.join(work.dir, 'migrations', '20240102000000_posts.js'), POSTS);
});
afterAll(async () => {
  await work.remove();
});

function base(over: Partial<Parameters<typeof runMigrationCommand>[0]> = {}): Parameters<typeof runMigrationCommand>[0] {
  // The cache dir holds PGlite's base data directory (faster boots); without migrationFiles no catalog is cached.
  return { command, cwd: work.dir, timeoutMs: 60_000, extensions: [], env: process.env, cacheDir: path.join(work.dir, 'base-cache'), ...over };
}

describe('runMigrationCommand', () => {
  it('runs knex migrate:latest against the embedded database and introspects what it built', async () => {
    const raw = await runMigrationCommand(base());
    const { catalog } = raw;
    expect(relation(catalog, 'public.users').columns.map((c) => c.name)).toEqual(['id', 'email', 'created_at']);
    expect(column(catalog, 'public.users.email').notNull).toBe(true);
    expect(relation(catalog, 'public.posts').columns.map((c) => c.name)).toEqual(['id', 'author_id', 'title']);
    expect(column(catalog, 'public.posts.title').type).toBe('character varying(200)');
    expect(edges(catalog, 'foreignKey', 'public.posts.author_id')).toEqual(['public.posts.author_id -> public.users.id']);
    // knex's own ledger is there too: the loader's ledger detection removes it later.
    expect(relation(catalog, 'public.knex_migrations').columns.map((c) => c.name)).toContain('name');
    expect(raw.source).toMatchObject({ kind: 'migrate-command', location: command, cacheHit: false });
  });

  it('runs a Kysely Migrator script (pg Pool from DATABASE_URL) with its ledger and lock tables', async () => {
    const dir = path.join(work.dir, 'kysely');
    await makeProject(dir);
    await writeFile(path.join(dir, 'migrations', '001_accounts.mjs'), KYSELY_MIGRATION);
    await writeFile(path.join(dir, 'migrate.mjs'), KYSELY_RUNNER);
    const raw = await runMigrationCommand(base({ cwd: dir, command: 'node migrate.mjs' }));
    expect(relation(raw.catalog, 'public.accounts').columns.map((c) => c.name)).toEqual(['id', 'owner_id', 'name']);
    expect(edges(raw.catalog, 'foreignKey', 'public.accounts.owner_id')).toEqual(['public.accounts.owner_id -> public.accounts.id']);
    expect(raw.catalog.relations.map((r) => r.id)).toEqual(expect.arrayContaining(['public.kysely_migration', 'public.kysely_migration_lock']));
  });

  it('lets a second connection query while the first holds an idle transaction, as Sequelize migrations do', async () => {
    // One pooled connection opens a transaction; the tool then waits for a query on another
    // (Sequelize's addColumn inside queryInterface.sequelize.transaction). On one PGlite session
    // that deadlocked until the time limit.
    const script = `const pg = require('pg');
(async () => {
  const a = new pg.Client(process.env.DATABASE_URL);
  const b = new pg.Client(process.env.DATABASE_URL);
  await a.connect();
  await b.connect();
  await a.query('BEGIN');
  await a.query('CREATE TABLE documents (id int primary key)');
  await b.query('SELECT 1');
  await a.query('ALTER TABLE documents ADD COLUMN expires_at timestamptz');
  await a.query('COMMIT');
  await a.end();
  await b.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    await writeFile(path.join(work.dir, 'two-connections.cjs'), script);
    const started = Date.now();
    const raw = await runMigrationCommand(base({ command: 'node two-connections.cjs', timeoutMs: 20_000 }));
    expect(relation(raw.catalog, 'public.documents').columns.map((c) => c.name)).toEqual(['id', 'expires_at']);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('points every connection variable at the embedded server, whatever the inherited ones say', async () => {
    const out = path.join(work.dir, 'env.json');
    const dump = `node -e "require('fs').writeFileSync('env.json', JSON.stringify(process.env))" && ${command}`;
    await runMigrationCommand(base({ command: dump, env: { ...process.env, DATABASE_URL: 'postgres://prod.example/app', PGHOST: 'prod.example', PGSERVICE: 'prod' } }));
    const env = JSON.parse(await readFile(out, 'utf8')) as Record<string, string>;
    const port = env.PGPORT ?? '';
    expect(port).toMatch(/^\d+$/);
    expect(env.DATABASE_URL).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
    expect(env.DEAD_SCHEMA_DATABASE_URL).toBe(env.DATABASE_URL);
    expect([env.PGHOST, env.PGUSER, env.PGPASSWORD, env.PGDATABASE, env.PGSSLMODE]).toEqual(['127.0.0.1', 'postgres', 'postgres', 'postgres', 'disable']);
    expect(env.PGSERVICE).toBeUndefined();
  });

  it('a failing command throws with its exit code and the end of its stderr', async () => {
    const failing = `node -e "for (let i = 1; i <= 30; i++) console.error('line ' + i); process.exit(3)"`;
    const error = await runMigrationCommand(base({ command: failing })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    const { message, details } = error as SchemaSourceError;
    expect(message).toContain('exit code 3');
    const lines = (details.reason ?? '').split('\n');
    expect(lines.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
  });

  it('a migration that fails inside knex reports knex’s own error', async () => {
    const broken = path.join(work.dir, 'broken');
    await makeProject(broken);
    await writeFile(path.join(broken, 'migrations', '20240101000000_bad.js'), `exports.up = (knex) => knex.raw('create table x (id nosuchtype)');\nexports.down = () => {};\n`);
    const error = await runMigrationCommand(base({ cwd: broken })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as SchemaSourceError).details.reason).toContain('type "nosuchtype" does not exist');
  });

  it('a command that outlives its limit is killed, with its process group, and the error says so', async () => {
    const pidFile = path.join(work.dir, 'sleeper.pid');
    // The shell starts a grandchild: killing only the shell would leave it running.
    const sleeper = `node -e "require('fs').writeFileSync('sleeper.pid', String(process.pid)); setTimeout(() => {}, 1e6)"; echo done`;
    const started = Date.now();
    const error = await runMigrationCommand(base({ command: sleeper, timeoutMs: 1500 })).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toContain('took over 1.5 s and was stopped');
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(await isRunning(pid)).toBe(false);
  });

  it('a command that exits 0 without connecting is an error: it migrated some other database, or none', async () => {
    const error = await runMigrationCommand(base({ command: 'node -e "0"' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toContain('never connected to the embedded database');
  });

  it('a second run with the same command and files is a cache hit that does not run the command', async () => {
    const cacheDir = path.join(work.dir, 'cache');
    const marker = path.join(work.dir, 'runs.txt');
    const counted = `node -e "require('fs').appendFileSync('runs.txt', 'run\\n')" && ${command}`;
    const migrationFiles = ['knexfile.cjs', 'migrations/20240101000000_users.js', 'migrations/20240102000000_posts.js'];
    const cold = await runMigrationCommand(base({ command: counted, cacheDir, migrationFiles }));
    const warm = await runMigrationCommand(base({ command: counted, cacheDir, migrationFiles }));
    expect(await readFile(marker, 'utf8')).toBe('run\n');
    expect(cold.source.cacheHit).toBe(false);
    expect(warm.source.cacheHit).toBe(true);
    expect(warm.catalog).toEqual(cold.catalog);
    expect(warm.migrationFiles).toEqual(migrationFiles.map((f) => path.join(work.dir, f)));

    // Another command is another key: it runs.
    await runMigrationCommand(base({ command: `${counted} --env development`, cacheDir, migrationFiles }));
    expect(await readFile(marker, 'utf8')).toBe('run\nrun\n');
  });
});

/** A killed grandchild may stay a zombie until init reaps it: on Linux that counts as gone. */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat !== undefined) return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
