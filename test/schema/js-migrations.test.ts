import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { readScriptMigrations } from '../../src/schema/js-migrations/index.js';
import { readMigrations } from '../../src/schema/migrations.js';

const made: string[] = [];

/** A migrations folder from `{ relativePath: text }`; texts are trimmed of the leading newline so line 1 is the first line shown. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dead-schema-js-migrations-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text.replace(/^\n/, ''));
  }
  return dir;
}

afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const statementsOf = (set: { files: { relativePath: string; statements: { sql: string; line: number }[] }[] }) =>
  set.files.flatMap((f) => f.statements.map((s) => `${f.relativePath}:${s.line} ${s.sql.replace(/\s+/g, ' ')}`));

describe('readScriptMigrations: TypeORM', () => {
  it("creates uuid-ossp first when migrations call uuid_generate_v4() without creating it, as TypeORM's driver does on connect", async () => {
    const init = (stamp: string, sql: string) => `
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init${stamp} implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`${sql}\`);
  }
}
`;
    const generated = await readScriptMigrations(await folder({ '1700000000000-Init.ts': init('1700000000000', 'CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4())') }));
    expect(generated?.files[0]?.statements.map((st) => `${st.line} ${st.sql}`)).toEqual([
      '1 CREATE EXTENSION IF NOT EXISTS "uuid-ossp"',
      '5 CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4())',
    ]);
    const ownExtension = await readScriptMigrations(
      await folder({
        '1700000000000-Ext.ts': init('1700000000000', 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"'),
        '1700000000001-Init.ts': init('1700000000001', 'CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT uuid_generate_v4())'),
      }),
    );
    expect(ownExtension?.files.flatMap((f) => f.statements).filter((st) => /create extension/i.test(st.sql))).toHaveLength(1);
  });


  it('orders by the class name timestamp, keeps script lines, folds constant holes and ignores down()', async () => {
    const dir = await folder({
      // The file names sort the other way round; TypeORM goes by the class name.
      'a-AddEmail.ts': `
import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE = 'users';

export class AddEmail1700000200000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "\${TABLE}" ADD "email" character varying\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "\${TABLE}" DROP COLUMN "email"\`);
  }
}
`,
      'b-Init.ts': `
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1700000100000 implements MigrationInterface {
  name = 'Init1700000100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      CREATE TABLE "users" (
        "id" SERIAL NOT NULL,
        CONSTRAINT "PK_users" PRIMARY KEY ("id")
      );
      CREATE INDEX "IDX_users_id" ON "users" ("id")\`);
    await queryRunner.query('DROP TABLE IF EXISTS "legacy"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "users"');
  }
}
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('typeorm');
    expect(set?.needsRunning).toEqual([]);
    expect(statementsOf(set!)).toEqual([
      'b-Init.ts:8 CREATE TABLE "users" ( "id" SERIAL NOT NULL, CONSTRAINT "PK_users" PRIMARY KEY ("id") )',
      'b-Init.ts:12 CREATE INDEX "IDX_users_id" ON "users" ("id")',
      'b-Init.ts:13 DROP TABLE IF EXISTS "legacy"',
      'a-AddEmail.ts:7 ALTER TABLE "users" ADD "email" character varying',
    ]);
  });

  it('reports queryRunner.createTable(new Table(...)) and an unknown hole as needing a run', async () => {
    const dir = await folder({
      '1700000000000-Init.ts': `
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class Init1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'users', columns: [{ name: 'id', type: 'int' }] }));
    await queryRunner.query(\`ALTER TABLE users ADD COLUMN \${process.env.EXTRA_COLUMN} text\`);
    await queryRunner.query(\`UPDATE users SET id = id + \${Number(process.env.SHIFT)}\`);
  }
  async down(): Promise<void> {}
}
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.needsRunning.map((n) => `${path.basename(n.file)}:${n.line}`)).toEqual([
      '1700000000000-Init.ts:5',
      '1700000000000-Init.ts:6',
    ]);
    expect(set?.needsRunning[0]?.reason).toContain('queryRunner.createTable');
    expect(set?.needsRunning[1]?.reason).toContain('process.env.EXTRA_COLUMN');
    // The UPDATE only touches rows: skipped, with an event at its line.
    expect(set?.events).toEqual([expect.objectContaining({ kind: 'migration-statement-skipped', line: 7 })]);
  });
});

describe('readScriptMigrations: Kysely', () => {
  it('reads sql`` templates in name order; constant holes become literals, sql.raw/sql.ref become text', async () => {
    const dir = await folder({
      '2024_02_01_add_status.ts': `
import { Kysely, sql } from 'kysely';

const DEFAULT_STATUS = 'draft';
const STATUS_COLUMN = 'status';

export async function up(db: Kysely<any>): Promise<void> {
  await sql\`alter table \${sql.ref('posts')} add column \${sql.raw(STATUS_COLUMN)} text not null default \${DEFAULT_STATUS}\`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql\`alter table posts drop column status\`.execute(db);
}
`,
      '2024_01_15_init.ts': `
import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql\`
    create table posts (
      id serial primary key,
      title text not null
    )
  \`.execute(db);
  await db.insertInto('posts').values({ title: 'hello' }).execute();
}
`,
      'helpers/util.ts': `export const unused = 1;\n`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('kysely');
    expect(set?.needsRunning).toEqual([]);
    expect(statementsOf(set!)).toEqual([
      '2024_01_15_init.ts:5 create table posts ( id serial primary key, title text not null )',
      `2024_02_01_add_status.ts:7 alter table "posts" add column status text not null default 'draft'`,
    ]);
    expect(set?.allFiles.map((f) => path.relative(dir, f)).sort()).toEqual(['2024_01_15_init.ts', '2024_02_01_add_status.ts', 'helpers/util.ts']);
  });

  it('marks db.schema builder chains and unknown holes as needing a run', async () => {
    const dir = await folder({
      '001_init.ts': `
import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .execute();
  await sql\`create index on person (\${sql.raw(pickColumn())})\`.execute(db);
}
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.needsRunning.map((n) => n.line)).toEqual([4, 8]);
    expect(set?.needsRunning[0]?.reason).toContain('db.schema.createTable');
  });
});

describe('readScriptMigrations: Sequelize', () => {
  it('reads queryInterface.sequelize.query strings, skips row changes with bound values', async () => {
    const dir = await folder({
      '20240102000000-add-phone.js': `
'use strict';

/** @type {import('sequelize-cli').Migration} */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.query('ALTER TABLE customers ADD COLUMN phone text');
    await queryInterface.sequelize.query('UPDATE customers SET phone = :phone', { replacements: { phone: '' } });
  },
  async down(queryInterface) {
    await queryInterface.sequelize.query('ALTER TABLE customers DROP COLUMN phone');
  },
};
`,
      '20240101000000-create-customers.js': `
'use strict';
module.exports = {
  up: (queryInterface, Sequelize) => {
    return queryInterface.sequelize.query(
      "CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL)"
    );
  },
  down: (queryInterface) => queryInterface.dropTable('customers'),
};
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('sequelize');
    expect(statementsOf(set!)).toEqual([
      '20240101000000-create-customers.js:5 CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL)',
      '20240102000000-add-phone.js:6 ALTER TABLE customers ADD COLUMN phone text',
    ]);
    expect(set?.needsRunning).toEqual([]);
    expect(set?.events.map((e) => `${e.kind}:${e.line}`)).toEqual(['migration-statement-skipped:7']);
  });
});

describe('readScriptMigrations: knex, node-pg-migrate, MikroORM, db-migrate', () => {
  it('reads knex.raw, and reports a knex.schema builder file with its line', async () => {
    const dir = await folder({
      '20240101_create_users.js': `
exports.up = function (knex) {
  return knex.raw('CREATE TABLE users (id serial PRIMARY KEY)');
};
exports.down = function (knex) {
  return knex.schema.dropTable('users');
};
`,
      '20240102_create_orders.js': `
exports.up = async function (knex) {
  await knex.schema.createTable('orders', (table) => {
    table.increments('id');
  });
};
exports.down = (knex) => knex.schema.dropTable('orders');
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('knex');
    expect(statementsOf(set!)).toEqual(['20240101_create_users.js:2 CREATE TABLE users (id serial PRIMARY KEY)']);
    expect(set?.needsRunning).toEqual([
      { file: path.join(dir, '20240102_create_orders.js'), line: 2, reason: expect.stringContaining('knex.schema.createTable') },
    ]);
  });

  it('readMigrations rejects the whole set, naming the tool, the count, the first file:line and the command', async () => {
    const dir = await folder({
      '20240101_create_users.js': `exports.up = (knex) => knex.raw('CREATE TABLE users (id serial PRIMARY KEY)');\n`,
      '20240102_create_orders.js': `exports.up = (knex) => knex.schema.createTable('orders', (t) => { t.increments('id'); });\n`,
    });
    const error = await readMigrations(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    const { message, details } = error as SchemaSourceError;
    expect(message).toMatch(/^1 of 2 knex migrations in .* change the schema/);
    expect(message).toContain('20240102_create_orders.js:1');
    expect(details.hint).toContain('--migrate-command "npx knex migrate:latest"');
  });

  it('node-pg-migrate: pgm.sql is read, pgm.createTable needs a run', async () => {
    const dir = await folder({
      '1700000000000_init.js': `
/** @param pgm {import('node-pg-migrate').MigrationBuilder} */
exports.up = (pgm) => {
  pgm.sql(\`CREATE TABLE accounts (id serial PRIMARY KEY)\`);
  pgm.createTable('audit', { id: 'id', at: { type: 'timestamp', default: pgm.func('now()') } });
};
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('node-pg-migrate');
    expect(statementsOf(set!)).toEqual(['1700000000000_init.js:3 CREATE TABLE accounts (id serial PRIMARY KEY)']);
    expect(set?.needsRunning.map((n) => [n.line, n.reason])).toEqual([[4, expect.stringContaining('pgm.createTable')]]);
  });

  it('MikroORM: this.addSql in the up method', async () => {
    const dir = await folder({
      'Migration20240101000000.ts': `
import { Migration } from '@mikro-orm/migrations';

export class Migration20240101000000 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table "book" ("id" serial primary key, "title" varchar(255) not null);');
  }
  async down(): Promise<void> {
    this.addSql('drop table if exists "book" cascade;');
  }
}
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.tool).toBe('mikro-orm');
    expect(statementsOf(set!)).toEqual(['Migration20240101000000.ts:5 create table "book" ("id" serial primary key, "title" varchar(255) not null)']);
  });

  it('db-migrate: runSql strings, and --sql-file migrations read from sqls/*-up.sql', async () => {
    const dir = await folder({
      '20240101000000-init.js': `
'use strict';
exports.setup = function (options, seedLink) {};
exports.up = function (db) {
  return db.runSql('CREATE TABLE teams (id serial PRIMARY KEY)');
};
exports.down = function (db) {
  return db.runSql('DROP TABLE teams');
};
exports._meta = { version: 1 };
`,
      '20240102000000-members.js': `
'use strict';
var fs = require('fs');
var path = require('path');
exports.up = function (db) {
  var filePath = path.join(__dirname, 'sqls', '20240102000000-members-up.sql');
  return new Promise(function (resolve, reject) {
    fs.readFile(filePath, { encoding: 'utf-8' }, function (err, data) {
      if (err) return reject(err);
      resolve(data);
    });
  }).then(function (data) {
    return db.runSql(data);
  });
};
exports._meta = { version: 1 };
`,
      'sqls/20240102000000-members-up.sql': '\n-- one row per team member\nCREATE TABLE members (\n  id serial PRIMARY KEY\n);\n',
      'sqls/20240102000000-members-down.sql': 'DROP TABLE members;\n',
    });
    const set = await readMigrations(dir);
    expect(set.layout).toBe('db-migrate');
    expect(statementsOf(set)).toEqual([
      '20240101000000-init.js:4 CREATE TABLE teams (id serial PRIMARY KEY)',
      'sqls/20240102000000-members-up.sql:2 CREATE TABLE members ( id serial PRIMARY KEY )',
    ]);
    expect(set.allSqlFiles.map((f) => path.relative(dir, f))).toEqual(
      expect.arrayContaining(['20240102000000-members.js', 'sqls/20240102000000-members-down.sql']),
    );
  });
});

describe('readScriptMigrations: what cannot be read statically', () => {
  it('SQL in a loop and the runner handed to a helper need a run', async () => {
    const dir = await folder({
      '20240101_init.js': `
const { addTimestamps } = require('./helpers');
const TABLES = ['a', 'b'];
exports.up = async (knex) => {
  for (const name of TABLES) {
    await knex.raw(\`CREATE TABLE \${name} (id int)\`);
  }
  await addTimestamps(knex, 'a');
};
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.needsRunning.map((n) => [n.line, n.reason])).toEqual([
      [5, expect.stringContaining('loop')],
      [7, expect.stringContaining('addTimestamps')],
    ]);
  });

  it('a constant shadowed in two scopes is not folded', async () => {
    const dir = await folder({
      '20240101_init.js': `
const COLUMN = 'a';
function other() { const COLUMN = 'b'; return COLUMN; }
exports.up = (knex) => knex.raw(\`ALTER TABLE t ADD COLUMN \${COLUMN} int\`);
`,
    });
    const set = await readScriptMigrations(dir);
    expect(set?.needsRunning.map((n) => n.line)).toEqual([3]);
  });

  it('is undefined for a folder without migration scripts', async () => {
    expect(await readScriptMigrations(await folder({ 'notes.md': '# nothing\n' }))).toBeUndefined();
    expect(await readScriptMigrations(await folder({ 'index.ts': 'export const x = 1;\n' }))).toBeUndefined();
  });
});
