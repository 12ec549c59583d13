import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { detectMigrationTools, kyselyMigratorCommand, runMigrationCommand } from '../../src/schema/run-migrations/index.js';
import { column, edges, relation, tempDir } from './helpers.js';

/*
 * The migrator runs as its own process, which needs JavaScript: its two source files are
 * transpiled into a folder whose node_modules is this repository's (ts-morph, and pg as
 * dead-schema's fallback), as dist/ would hold them. kysely and pg are devDependencies: no network.
 */
const repoModules = path.resolve(createRequire(import.meta.url).resolve('pg/package.json'), '../..');
const sources = path.resolve(import.meta.dirname, '../../src/schema/run-migrations');

const ROLES = `export enum Role { Member = 'member', Admin = 'admin' }
`;

const ACCOUNTS = `import { type Kysely, sql } from 'kysely';
import { Role } from '../src/roles';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo(Role.Member))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql\`now()\`))
    .execute();
  await db.schema.createIndex('accounts_role_idx').on('accounts').column('role').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('accounts').execute();
}
`;

const POSTS = `import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('posts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('accounts').addColumn('display_name', 'varchar(100)').execute();
  await sql\`create view account_posts as select a.email, p.id from accounts a join posts p on p.account_id = a.id\`.execute(db);
}
`;

/** Reads what the catalog does not hold (indexes, the ledger's rows) into a file, over DATABASE_URL. */
const QUERY = `import { writeFileSync } from 'node:fs';
import pg from 'pg';
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const indexes = await client.query("select indexname from pg_indexes where schemaname = 'public' and tablename = 'accounts' order by 1");
const ledger = await client.query('select name from kysely_migration order by timestamp, name');
writeFileSync('state.json', JSON.stringify({ indexes: indexes.rows.map((r) => r.indexname), ledger: ledger.rows.map((r) => r.name) }));
await client.end();
`;

let work: Awaited<ReturnType<typeof tempDir>>;
let script: string;

beforeAll(async () => {
  work = await tempDir('dead-schema-kysely-migrator-');
  const tool = path.join(work.dir, 'tool');
  await mkdir(tool);
  // Inside tool/, not above the projects: the one without kysely must not find it there.
  await symlink(repoModules, path.join(tool, 'node_modules'), 'dir');
  await writeFile(path.join(tool, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const name of ['kysely-migrator', 'ts-modules']) {
    const source = await readFile(path.join(sources, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    await writeFile(path.join(tool, `${name}.js`), outputText);
  }
  script = path.join(tool, 'kysely-migrator.js');
});
afterAll(async () => {
  await work.remove();
});

/** A project with kysely installed (or not) and `files` under it. */
async function project(name: string, files: Record<string, string>, withModules = true): Promise<string> {
  const dir = path.join(work.dir, name);
  await mkdir(path.join(dir, 'migrations'), { recursive: true });
  if (withModules) await symlink(repoModules, path.join(dir, 'node_modules'), 'dir');
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { kysely: '0.28.19' } }));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

function run(cwd: string, command: string): ReturnType<typeof runMigrationCommand> {
  return runMigrationCommand({ command, cwd, timeoutMs: 60_000, extensions: [], env: process.env, cacheDir: path.join(work.dir, 'base-cache') });
}

async function failure(promise: Promise<unknown>): Promise<SchemaSourceError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SchemaSourceError);
  return error as SchemaSourceError;
}

/** Transpiled copies left in the project: there must be none, whatever happened. */
async function leftovers(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => !e.startsWith('node_modules') && e.endsWith('.mjs') && path.basename(e).startsWith('.'));
}

describe('kysely-migrator', () => {
  it('is the kysely preset, and applies .ts schema-builder migrations (with a relative .ts import) through the Migrator', async () => {
    const dir = await project('app', {
      'src/roles.ts': ROLES,
      'migrations/20240101_accounts.ts': ACCOUNTS,
      'migrations/20240102_posts.ts': POSTS,
      'migrations/types.d.ts': 'export interface Nothing { x: number }\n',
      'query.mjs': QUERY,
    });
    const [preset] = await detectMigrationTools(dir, path.join(dir, 'migrations'));
    expect(preset).toMatchObject({ tool: 'kysely', command: kyselyMigratorCommand('migrations') });
    expect(preset?.command).toBe(`'${process.execPath}' '${path.resolve(sources, 'kysely-migrator.js')}' 'migrations'`);

    const raw = await run(dir, `${kyselyMigratorCommand('migrations', script)} > applied.txt && node query.mjs`);
    const { catalog } = raw;
    expect(relation(catalog, 'public.accounts').columns.map((c) => c.name)).toEqual(['id', 'email', 'role', 'created_at', 'display_name']);
    expect(column(catalog, 'public.accounts.display_name').type).toBe('character varying(100)');
    expect(column(catalog, 'public.accounts.role').default).toBe("'member'::text");
    expect(edges(catalog, 'foreignKey', 'public.posts.account_id')).toEqual(['public.posts.account_id -> public.accounts.id']);
    expect(relation(catalog, 'public.account_posts').kind).toBe('view');
    expect(catalog.relations.map((r) => r.id)).toEqual(expect.arrayContaining(['public.kysely_migration', 'public.kysely_migration_lock']));
    const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { indexes: string[]; ledger: string[] };
    expect(state.indexes).toEqual(['accounts_email_key', 'accounts_pkey', 'accounts_role_idx']);
    expect(state.ledger).toEqual(['20240101_accounts', '20240102_posts']);
    expect(await readFile(path.join(dir, 'applied.txt'), 'utf8')).toBe('20240101_accounts\n20240102_posts\n');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('orders migrations by name as Kysely does (string order: 10_ before 2_), whatever the files were written in', async () => {
    const dir = await project('order', {
      'migrations/2_second.mjs': `export async function up(db) { await db.schema.alterTable('log').addColumn('second', 'integer').execute(); }\n`,
      'migrations/10_first.ts': `import type { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) { await db.schema.createTable('log').addColumn('first', 'integer').execute(); }\n`,
    });
    const raw = await run(dir, kyselyMigratorCommand('migrations', script));
    expect(relation(raw.catalog, 'public.log').columns.map((c) => c.name)).toEqual(['first', 'second']);
  });

  it('a failing migration fails the command with Kysely’s error, names the migration, and leaves no copies', async () => {
    const dir = await project('broken', {
      'migrations/001_ok.ts': `import { type Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) { await db.schema.createTable('fine').addColumn('id', 'integer').execute(); }\n`,
      'migrations/002_bad.ts': `import { type Kysely, sql } from 'kysely';\nexport async function up(db: Kysely<any>) { await sql\`create table x (id nosuchtype)\`.execute(db); }\n`,
    });
    const error = await failure(run(dir, kyselyMigratorCommand('migrations', script)));
    expect(error.message).toContain('failed with exit code 1');
    expect(error.details.reason).toContain('kysely-migrator: migration 002_bad failed: type "nosuchtype" does not exist');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('a migration TypeScript cannot parse is reported with its file and position', async () => {
    const dir = await project('syntax', {
      // Loaded first: its copy exists when the next one fails, and must go too.
      'migrations/000_ok.ts': 'export async function up(db: unknown) {}\n',
      'migrations/001_bad.ts': 'export async function up(db) {\n  await db.schema.createTable(;\n}\n',
    });
    const error = await failure(run(dir, kyselyMigratorCommand('migrations', script)));
    expect(error.details.reason).toMatch(/cannot load migration 001_bad\.ts: \/.*\/migrations\/001_bad\.ts:2:31: '\)' expected/);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('without kysely installed for the migrations it says to install it', async () => {
    const dir = await project('bare', { 'migrations/001_a.mjs': 'export async function up() {}\n' }, false);
    const error = await failure(run(dir, kyselyMigratorCommand('migrations', script)));
    expect(error.details.reason).toContain('kysely is not installed where the migrations are');
    expect(error.details.reason).toContain('`npm i kysely`');
  });
});
