import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverSchema } from '../../src/discover/index.js';

/*
 * Discovery on small trees shaped like the real repositories it was measured on (bench/real):
 * Prisma and drizzle monorepos, a Supabase app, a service keeping several schemas under
 * migrations/, TS migrations, a bare schema.prisma.
 */

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-discover-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function picked(root: string): Promise<{ chosen: string | undefined; kind: string | undefined; others: string[] }> {
  const found = await discoverSchema(root);
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  return { chosen: found.chosen && rel(found.chosen.path), kind: found.chosen?.kind, others: found.others.map((c) => rel(c.path)) };
}

const CREATE = 'create table t (id int);\n';

describe('discoverSchema', () => {
  it('finds Prisma migrations in a workspace package, ahead of a SQL folder of another database', async () => {
    const root = tree({
      'package.json': '{"workspaces":["packages/*"]}',
      'packages/db/prisma/schema.prisma': 'model T { id Int @id }\n',
      'packages/db/prisma/migrations/20240101000000_init/migration.sql': CREATE,
      'packages/db/prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'db/clickhouse/migrations/01_init.sql': CREATE,
      // An example app's schema is never the project's.
      'examples/demo/prisma/schema.prisma': 'model X { id Int @id }\n',
    });
    const found = await picked(root);
    expect(found).toEqual({ chosen: 'packages/db/prisma/migrations', kind: 'prisma', others: ['db/clickhouse/migrations'] });
    expect((await discoverSchema(root)).chosen?.why).toBe('Prisma migrations next to packages/db/prisma/schema.prisma');
  });

  it("follows a drizzle.config's out folder, and a journal names a folder whatever its name", async () => {
    const root = tree({
      'apps/web/drizzle.config.ts': "export default { schema: './schema.ts', out: '../../packages/db/sql', dialect: 'postgresql' };\n",
      'packages/db/sql/0000_init.sql': CREATE,
      'packages/db/sql/meta/_journal.json': '{"entries":[{"idx":0,"tag":"0000_init"}]}',
    });
    const found = await discoverSchema(root);
    expect(found.chosen).toMatchObject({ kind: 'drizzle', layout: 'drizzle', why: 'the out folder of apps/web/drizzle.config.ts', files: 1 });
    expect(found.others).toEqual([]);
  });

  it('prefers supabase/migrations, then the largest of several schemas kept under migrations/', async () => {
    expect(await picked(tree({ 'supabase/migrations/20240101_init.sql': CREATE, 'supabase/seed.sql': 'insert into t values (1);\n' }))).toMatchObject({
      chosen: 'supabase/migrations',
      kind: 'supabase',
    });
    const service = await picked(
      tree({
        'migrations/tenant/0001-init.sql': CREATE,
        'migrations/tenant/0002-more.sql': CREATE,
        'migrations/tenant/0003-more.sql': CREATE,
        'migrations/multitenant/0001-init.sql': CREATE,
        // TypeScript that runs migrations is not a migrations folder.
        'src/database/migrations/migrate.ts': 'export async function runMigrations() {}\n',
      }),
    );
    expect(service).toEqual({ chosen: 'migrations/tenant', kind: 'sql-folder', others: ['migrations/multitenant'] });
  });

  it('ranks a folder a tool config names over one found by its name, and the root over deeper folders', async () => {
    const root = tree({
      'knexfile.js': "module.exports = { client: 'pg', migrations: { directory: './db/knex' } };\n",
      // A function declared and exported later, as kutt writes them.
      'db/knex/20240101_init.js': 'const models = require("../models");\n\nasync function up(knex) {\n  await models.createUserTable(knex);\n}\n\nmodule.exports = { up, down: async () => {} };\n',
      'migrations/001.sql': CREATE,
      'services/api/migrations/001.sql': CREATE,
    });
    const found = await discoverSchema(root);
    expect(found.chosen).toMatchObject({ kind: 'tool-config', scripts: true, why: 'migrations.directory of knexfile.js' });
    expect(found.others.map((c) => path.relative(root, c.path))).toEqual(['migrations', path.join('services', 'api', 'migrations')]);
  });

  it('finds TypeScript migrations by their up() shape, and a bare schema.prisma last', async () => {
    const root = tree({
      'src/migrations/1700000000000-Init.ts': 'export class Init1700000000000 implements MigrationInterface {\n  async up(queryRunner) { await queryRunner.query(`create table t (id int)`); }\n}\n',
      'prisma/schema.prisma': 'model T { id Int @id }\n',
    });
    const found = await discoverSchema(root);
    expect(found.chosen).toMatchObject({ kind: 'script-folder', scripts: true, files: 1 });
    expect(found.others.map((c) => c.kind)).toEqual(['prisma-schema']);
    expect(await picked(tree({ 'prisma/schema.prisma': 'model T { id Int @id }\n' }))).toMatchObject({ chosen: 'prisma/schema.prisma', kind: 'prisma-schema' });
  });

  it('takes a drizzle config whose out folder holds no migrations as a schema to generate, but not a SQLite one', async () => {
    const config = (dialect: string) => `export default { schema: './src/db/schema.ts', out: './drizzle', dialect: '${dialect}' };\n`;
    expect(await picked(tree({ 'drizzle.config.ts': config('postgresql'), 'src/db/schema.ts': 'export {};\n' }))).toMatchObject({ chosen: 'drizzle.config.ts', kind: 'drizzle-schema' });
    expect(await discoverSchema(tree({ 'drizzle.config.ts': config('sqlite'), 'src/db/schema.ts': 'export {};\n' }))).toEqual({ others: [] });
  });

  it('finds nothing in a project that keeps no schema', async () => {
    expect(await discoverSchema(tree({ 'src/index.ts': 'export {};\n', 'src/migrations/helpers.ts': 'export const x = 1;\n' }))).toEqual({ others: [] });
  });
});
