import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { presetFor } from '../../src/schema/project-tools.js';
import { KYSELY_MIGRATOR, detectMigrationTools } from '../../src/schema/run-migrations/index.js';
import { tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>> | undefined;
afterEach(async () => {
  await work?.remove();
  work = undefined;
});

async function project(files: Record<string, string>): Promise<string> {
  work = await tempDir('dead-schema-presets-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work.dir, name)), { recursive: true });
    await writeFile(path.join(work.dir, name), content);
  }
  return work.dir;
}

const pkg = (extra: object): string => JSON.stringify(extra);

describe('detectMigrationTools', () => {
  it('knex needs the dependency and a knexfile; a non-default knexfile is named', async () => {
    const dir = await project({ 'package.json': pkg({ dependencies: { knex: '3', pg: '8' } }), 'knexfile.ts': 'export default {}' });
    expect(await detectMigrationTools(dir)).toEqual([{ tool: 'knex', command: 'npx knex migrate:latest --knexfile knexfile.ts', why: 'knex in package.json and knexfile.ts' }]);
  });

  it('knex without a knexfile is not a preset (it is only a query builder there)', async () => {
    const dir = await project({ 'package.json': pkg({ dependencies: { knex: '3' } }) });
    expect(await detectMigrationTools(dir)).toEqual([]);
  });

  it('TypeORM takes the data source from a script and picks the ts-node runner by module type', async () => {
    const dir = await project({
      'package.json': pkg({ type: 'module', dependencies: { typeorm: '0.3' }, scripts: { typeorm: 'typeorm-ts-node-esm -d ./src/db/source.ts' } }),
    });
    const [found] = await detectMigrationTools(dir);
    expect(found).toMatchObject({ tool: 'typeorm', command: 'npx typeorm-ts-node-esm migration:run -d ./src/db/source.ts' });
  });

  it('TypeORM finds a data-source file that constructs a DataSource', async () => {
    const dir = await project({
      'package.json': pkg({ dependencies: { typeorm: '0.3' } }),
      'src/config/data-source.ts': 'export const AppDataSource = new DataSource({ type: "postgres" });',
      'src/other-datasource.ts': 'export const notIt = 1;',
    });
    const found = await detectMigrationTools(dir);
    expect(found.map((f) => f.command)).toEqual(['npx typeorm-ts-node-commonjs migration:run -d src/config/data-source.ts']);
  });

  it('kysely-ctl, sequelize-cli, node-pg-migrate, db-migrate, MikroORM and drizzle-kit', async () => {
    const dir = await project({
      'package.json': pkg({
        devDependencies: { 'kysely-ctl': '0.9', 'sequelize-cli': '6', 'node-pg-migrate': '7', 'db-migrate': '0.11', '@mikro-orm/cli': '6', 'drizzle-kit': '0.31' },
      }),
      '.config/kysely.config.ts': '',
      'drizzle.config.ts': '',
    });
    expect((await detectMigrationTools(dir)).map((f) => [f.tool, f.command])).toEqual([
      ['kysely', 'npx kysely migrate:latest'],
      ['sequelize', 'npx sequelize-cli db:migrate --url "$DATABASE_URL"'],
      ['node-pg-migrate', 'npx node-pg-migrate up'],
      ['db-migrate', 'npx db-migrate up'],
      ['mikro-orm', 'npx mikro-orm migration:up'],
      ['drizzle-kit', 'npx drizzle-kit migrate'],
    ]);
  });

  it('kysely without kysely-ctl is dead-schema’s own migrator on the migrations folder, every word quoted; none without the folder', async () => {
    const dir = await project({ 'package.json': pkg({ dependencies: { kysely: '0.28' }, scripts: { 'migration:latest': 'tsx src/database/migrate.ts latest' } }) });
    const found = await detectMigrationTools(dir, path.join(dir, "src/db/it's migrations"));
    expect(found.map((f) => [f.tool, f.command])).toEqual([
      ['kysely', `'${process.execPath}' '${KYSELY_MIGRATOR}' 'src/db/it'\\''s migrations'`],
      ['package-script', 'npm run migration:latest'],
    ]);
    expect(KYSELY_MIGRATOR).toBe(path.resolve(import.meta.dirname, '../../src/schema/run-migrations/kysely-migrator.js'));
    expect((await detectMigrationTools(dir)).map((f) => f.tool)).toEqual(['package-script']);
  });

  it('a kysely-ctl config keeps kysely-ctl even with the folder known', async () => {
    const dir = await project({ 'package.json': pkg({ dependencies: { kysely: '0.28' } }), 'kysely.config.ts': '' });
    expect((await detectMigrationTools(dir, path.join(dir, 'migrations'))).map((f) => f.command)).toEqual(['npx kysely migrate:latest']);
  });

  it('presetFor runs the kysely migrator in the nearest package above the folder, naming the folder from there', async () => {
    const dir = await project({
      'package.json': pkg({ private: true }),
      'apps/server/package.json': pkg({ dependencies: { kysely: '0.28' }, scripts: { 'migration:latest': 'tsx src/database/migrate.ts latest' } }),
      'apps/server/src/database/migrations/001.ts': '',
    });
    const preset = await presetFor('kysely', path.join(dir, 'apps/server/src/database/migrations'));
    expect(preset).toMatchObject({ tool: 'kysely', dir: path.join(dir, 'apps/server') });
    expect(preset?.command.endsWith(` 'src/database/migrations'`)).toBe(true);
  });

  it('package.json scripts that apply migrations, run with the lockfile’s package manager; generating or undoing ones are left out', async () => {
    const dir = await project({
      'package.json': pkg({
        scripts: { migrate: 'tsx scripts/migrate.ts', 'db:migrate': 'prisma migrate deploy', 'migrate:make': 'knex migrate:make', 'db:migrate:down': 'x', 'migration:run': 'y', build: 'tsc' },
      }),
      'pnpm-lock.yaml': '',
    });
    expect((await detectMigrationTools(dir)).map((f) => f.command)).toEqual(['pnpm run migrate', 'pnpm run db:migrate', 'pnpm run migration:run']);
  });
});
