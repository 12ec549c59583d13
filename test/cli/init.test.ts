import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SchemaSourceError, UsageError } from '../../src/errors.js';
import { captured, tempProject } from '../config/helpers.js';

/*
 * `init` writes what discovery finds; `--run-migrations` lets the project's own migration tool
 * build the schema when its migrations cannot be read statically. The knex project runs the real
 * knex CLI from this repository's node_modules (a dev dependency), so no network is needed.
 */

const incident = path.resolve(__dirname, '../../fixtures/audit/incident');
const modules = path.resolve(__dirname, '../../node_modules');

function write(root: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** A knex app whose migration builds its table with the schema builder: only running it applies it. */
function knexProject(): string {
  const root = write(tempProject(), {
    'package.json': JSON.stringify({ name: 'ledger-app', dependencies: { knex: '^3.1.0', pg: '^8.0.0' } }),
    'knexfile.js': "module.exports = { client: 'pg', connection: process.env.DATABASE_URL, migrations: { directory: './migrations' } };\n",
    'migrations/20240101000000_accounts.js': [
      'exports.up = (knex) =>',
      "  knex.schema.createTable('accounts', (table) => {",
      "    table.increments('id');",
      "    table.string('email').notNullable();",
      "    table.string('legacy_fax');",
      '  });',
      "exports.down = (knex) => knex.schema.dropTable('accounts');",
      '',
    ].join('\n'),
    'src/accounts.ts': "import { db } from './db.js';\n\nexport const emails = () => db('accounts').select('id', 'email');\n",
    'src/db.ts': "import knex from 'knex';\n\nexport const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n",
  });
  symlinkSync(modules, path.join(root, 'node_modules'), 'dir');
  return root;
}

async function init(root: string): Promise<{ config: Record<string, unknown>; err: string }> {
  const { io, out, err } = captured(root);
  expect(await main(['init'], io)).toBe(0);
  expect(out()).toBe('dead-schema.config.json\n');
  return { config: JSON.parse(readFileSync(path.join(root, 'dead-schema.config.json'), 'utf8')) as Record<string, unknown>, err: err() };
}

describe('init', () => {
  it('writes the discovered migrations folder, and refuses to overwrite the file', async () => {
    const root = tempProject();
    cpSync(incident, root, { recursive: true });
    const { config, err } = await init(root);
    expect(config).toEqual({ $schema: './node_modules/dead-schema/schema.json', migrations: 'migrations' });
    expect(err).toContain('dead-schema: schema: migrations (');
    await expect(main(['init'], captured(root).io)).rejects.toThrow(UsageError);
  });

  it("writes the tool's command, switched off, for migrations that need running", async () => {
    const { config, err } = await init(knexProject());
    expect(config).toEqual({
      $schema: './node_modules/dead-schema/schema.json',
      migrations: 'migrations',
      migrateCommand: 'npx knex migrate:latest',
      runMigrations: false,
    });
    expect(err).toContain('"runMigrations": true');
  });

  it('says so when the repository holds no schema source', async () => {
    const root = write(tempProject(), { 'src/index.ts': 'export {};\n' });
    const { config, err } = await init(root);
    expect(config).toEqual({ $schema: './node_modules/dead-schema/schema.json' });
    expect(err).toContain('no migrations found');
  });
});

describe('--run-migrations', () => {
  it('runs nothing unasked: the error names the command that would apply the migrations', async () => {
    const root = knexProject();
    const error = await main(['audit'], captured(root, { PATH: process.env.PATH }).io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as SchemaSourceError).details.hint).toContain('--run-migrations (runs `npx knex migrate:latest` in .)');
  });

  it('generates nothing unasked from a schema.prisma with no migrations, and says which command would', async () => {
    const root = write(tempProject(), { 'prisma/schema.prisma': 'model Account {\n  id Int @id\n}\n', 'src/index.ts': 'export {};\n' });
    const error = await main(['audit'], captured(root, { PATH: process.env.PATH }).io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSourceError);
    expect((error as Error).message).toBe("prisma/schema.prisma has no migrations: its SQL comes from the project's Prisma CLI (prisma migrate diff --from-empty --to-schema prisma/schema.prisma --script)");
    expect((error as SchemaSourceError).details.hint).toContain('--run-migrations');
  });

  it("applies knex schema-builder migrations with the project's knex against the embedded database", async () => {
    const root = knexProject();
    // The command finds npx on PATH, and knex through the project's node_modules.
    const { io, out, err } = captured(root, { PATH: process.env.PATH });
    expect(await main(['audit', '--format', 'json', '--run-migrations', '--no-cache'], io)).toBe(0);
    const report = JSON.parse(out()) as { findings: { id: string; verdict: string }[]; schema: { kind: string } };
    expect(report.schema.kind).toBe('migrate-command');
    expect(report.findings.map((f) => `${f.id} ${f.verdict}`)).toEqual(['public.accounts.legacy_fax unreferenced']);
    expect(err()).toContain("dead-schema: running the project's migration command in . against an embedded database (project code runs; DATABASE_URL points at it): npx knex migrate:latest");
  }, 120_000);
});
