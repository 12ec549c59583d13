import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaSourceError } from '../../src/errors.js';
import { drizzleExportSql, loadGeneratedSql, prismaSchemaSql } from '../../src/schema/run-migrations/index.js';
import { column, edges, tempDir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;

/** A stand-in CLI that records its arguments and environment and prints SQL, as the real one does on stdout. */
async function fakeBin(dir: string, name: string, pkgVersion: string, sql: string): Promise<void> {
  const bin = path.join(dir, 'node_modules', '.bin');
  await mkdir(bin, { recursive: true });
  await mkdir(path.join(dir, 'node_modules', name), { recursive: true });
  await writeFile(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: pkgVersion }));
  const script = `#!/usr/bin/env node
require('fs').writeFileSync(${JSON.stringify(path.join(dir, `${name}.args.json`))}, JSON.stringify({ args: process.argv.slice(2), url: process.env.DATABASE_URL, cwd: process.cwd() }));
if (process.argv.some((a) => a.endsWith('--fail'))) { console.error('Error: P1012 schema validation'); process.exit(1); }
process.stdout.write(${JSON.stringify(sql)});
`;
  await writeFile(path.join(bin, name), script);
  await chmod(path.join(bin, name), 0o755);
}

const PRISMA_SQL = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

beforeAll(async () => {
  work = await tempDir('dead-schema-generate-');
});
afterAll(async () => {
  await work.remove();
});

describe('prismaSchemaSql', () => {
  it('runs the installed Prisma CLI with the flag its version takes and returns the script', async () => {
    const dir = path.join(work.dir, 'prisma7');
    await fakeBin(dir, 'prisma', '7.10.1', `Loaded Prisma config from prisma.config.ts.\n${PRISMA_SQL}`);
    await writeFile(path.join(dir, 'schema.prisma'), 'model User { id Int @id }');
    const sql = await prismaSchemaSql('schema.prisma', dir, 30_000);
    expect(sql).toBe(PRISMA_SQL);
    const call = JSON.parse(await readFile(path.join(dir, 'prisma.args.json'), 'utf8')) as { args: string[]; url: string; cwd: string };
    expect(call.args).toEqual(['migrate', 'diff', '--from-empty', '--to-schema', path.join(dir, 'schema.prisma'), '--script']);
    // Never the user's database: the URL leads to a closed port.
    expect(call.url).toBe('postgres://postgres:postgres@127.0.0.1:1/postgres');
  });

  it('Prisma 5 and 6 get --to-schema-datamodel', async () => {
    const dir = path.join(work.dir, 'prisma6');
    await fakeBin(dir, 'prisma', '6.19.0', PRISMA_SQL);
    await prismaSchemaSql('schema.prisma', dir, 30_000);
    const call = JSON.parse(await readFile(path.join(dir, 'prisma.args.json'), 'utf8')) as { args: string[] };
    expect(call.args[3]).toBe('--to-schema-datamodel');
  });

  it('finds the CLI hoisted to a parent node_modules (monorepos)', async () => {
    const root = path.join(work.dir, 'mono');
    await fakeBin(root, 'prisma', '7.0.0', PRISMA_SQL);
    const app = path.join(root, 'apps', 'api');
    await mkdir(app, { recursive: true });
    expect(await prismaSchemaSql('schema.prisma', app, 30_000)).toBe(PRISMA_SQL);
  });

  it('without an installed CLI, says which command would work', async () => {
    const dir = path.join(work.dir, 'bare');
    await mkdir(dir, { recursive: true });
    const error = await prismaSchemaSql('schema.prisma', dir, 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toContain('the Prisma CLI is not installed');
    expect((error as SchemaSourceError).details.hint).toContain('npm i -D prisma');
    expect((error as SchemaSourceError).details.hint).toContain('migrate diff --from-empty --to-schema');
  });

  it('generated SQL loads like a schema file', async () => {
    const raw = await loadGeneratedSql(PRISMA_SQL, path.join(work.dir, 'schema.prisma'), { cacheDir: undefined, onProgress: undefined });
    expect(column(raw.catalog, 'public.User.email').notNull).toBe(true);
    expect(edges(raw.catalog, 'foreignKey', 'public.Post.authorId')).toEqual(['public.Post.authorId -> public.User.id']);
    expect(raw.migrationFiles).toEqual([path.join(work.dir, 'schema.prisma')]);
  });
});

describe('drizzleExportSql', () => {
  it('passes a config file as --config and a schema path with the PostgreSQL dialect', async () => {
    const dir = path.join(work.dir, 'drizzle');
    await fakeBin(dir, 'drizzle-kit', '0.31.11', 'CREATE TABLE "users" ("id" serial PRIMARY KEY NOT NULL);\n');
    expect(await drizzleExportSql('drizzle.config.ts', dir, 30_000)).toContain('CREATE TABLE "users"');
    let call = JSON.parse(await readFile(path.join(dir, 'drizzle-kit.args.json'), 'utf8')) as { args: string[] };
    expect(call.args).toEqual(['export', '--sql', '--config', path.join(dir, 'drizzle.config.ts')]);
    await drizzleExportSql('src/db/schema.ts', dir, 30_000);
    call = JSON.parse(await readFile(path.join(dir, 'drizzle-kit.args.json'), 'utf8')) as { args: string[] };
    expect(call.args).toEqual(['export', '--sql', '--dialect', 'postgresql', '--schema', path.join(dir, 'src/db/schema.ts')]);
  });

  it('a failing export throws with its stderr', async () => {
    const dir = path.join(work.dir, 'drizzle');
    const error = await drizzleExportSql('--fail', dir, 30_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as SchemaSourceError).details.reason).toContain('P1012 schema validation');
  });
});
