import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import path from 'node:path';

/**
 * git for test repos on any machine: no global or system config (no signing, hooks or default
 * branch surprises) and a fixed identity.
 */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'user.name=dead-schema test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: devNull, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

export function commit(root: string, message: string, files: Record<string, string>): void {
  write(root, files);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', message);
}

/** The first commit: a table with one column nothing reads (legacy_flag) that --since must not report. */
export const FIRST: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'app', private: true, dependencies: { postgres: '^3.4.0' } }, null, 2),
  'db/migrations/001_accounts.sql': 'CREATE TABLE accounts (\n  id serial PRIMARY KEY,\n  name text NOT NULL,\n  legacy_flag boolean\n);\n',
  'src/accounts.ts': [
    "import postgres from 'postgres';",
    'const sql = postgres();',
    'export async function account(id: number) {',
    '  return sql`SELECT id, name FROM accounts WHERE id = ${id}`;',
    '}',
    '',
  ].join('\n'),
};

/** The second commit: a migration adding a column the code reads (theme) and one nothing reads (unused_note). */
export const SECOND: Record<string, string> = {
  'db/migrations/002_preferences.sql': 'ALTER TABLE accounts ADD COLUMN theme text;\nALTER TABLE accounts ADD COLUMN unused_note text;\n',
  'src/accounts.ts': [
    "import postgres from 'postgres';",
    'const sql = postgres();',
    'export async function account(id: number) {',
    '  return sql`SELECT id, name, theme FROM accounts WHERE id = ${id}`;',
    '}',
    '',
  ].join('\n'),
};
