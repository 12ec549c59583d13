import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DeadSchemaError, UsageError } from '../../src/errors.js';
import type { AuditReport } from '../../src/run.js';
import { captured } from '../support/cli-io.js';

/**
 * Inputs that used to turn into "everything is dead, high confidence, exit 0" (issue 9, point 3)
 * and the messages for a wrong root or reporter (point 7). Each repo is written here; links are
 * made at test time because what they point at is the point.
 */
let scratch: string;
let repo: string;
let empty: string;
let migrations: string;

const MIGRATION = 'CREATE TABLE accounts (\n  id serial PRIMARY KEY,\n  email text NOT NULL,\n  plan text,\n  legacy_flag boolean\n);\n';
const QUERIES = [
  "import postgres from 'postgres';",
  'const sql = postgres();',
  'export const accountPlan = (id: number) => sql`SELECT email, plan FROM accounts WHERE id = ${id}`;',
  '',
].join('\n');

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'dead-schema-inputs-'));
  migrations = path.join(scratch, 'migrations');
  write(path.join(migrations, '001_accounts.sql'), MIGRATION);
  repo = path.join(scratch, 'repo');
  write(path.join(repo, 'package.json'), JSON.stringify({ name: 'app', dependencies: { postgres: '^3.4.0' } }));
  write(path.join(repo, 'src', 'main.ts'), "export { accountPlan } from './shared/queries.js';\n");
  // The only read of plan lives behind a link the include globs reach only through src/.
  write(path.join(repo, 'shared', 'queries.ts'), QUERIES);
  symlinkSync('../shared', path.join(repo, 'src', 'shared'));
  write(path.join(scratch, 'outside', 'more.ts'), 'export const more = 1;\n');
  symlinkSync('../../outside', path.join(repo, 'src', 'outside'));
  empty = path.join(scratch, 'empty');
  write(path.join(empty, 'README.md'), '# nothing to scan\n');
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const run = async (cwd: string, ...argv: string[]): Promise<{ code: number; out: string }> => {
  const { io, out } = captured(cwd);
  const code = await main([...argv, '--migrations', migrations], io);
  return { code, out: out() };
};

describe('a root that is missing, a file, or holds no code', () => {
  it('a missing root is a one-line usage error, for every command that audits', async () => {
    await expect(run(scratch, 'audit', 'no/such/dir')).rejects.toThrow(/^the root .*no\/such\/dir does not exist$/);
    await expect(run(scratch, 'audit', 'no/such/dir')).rejects.toBeInstanceOf(UsageError);
    await expect(run(scratch, 'explain', 'accounts', '--root', 'nope')).rejects.toThrow(/^the root .*nope does not exist$/);
    await expect(run(scratch, 'baseline', 'nope')).rejects.toThrow(/^the root .*nope does not exist$/);
  });

  it('a file given as root says so', async () => {
    await expect(run(repo, 'audit', 'src/main.ts')).rejects.toThrow(/^.*src\/main\.ts is a file, not a directory; pass the folder to audit$/);
    await expect(run(repo, 'check-drops', path.join(migrations, '001_accounts.sql'), '--root', 'package.json')).rejects.toThrow(/is a file, not a directory/);
  });

  it('an audit that scanned no code is an error with a hint, not every table dead at high confidence', async () => {
    const dropScript = path.join(scratch, 'drop.sql');
    write(dropScript, 'DROP TABLE accounts;\n');
    for (const argv of [['audit', '.'], ['explain', 'accounts'], ['baseline', '.'], ['check-drops', dropScript]]) {
      const attempt = run(empty, ...argv);
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
      await expect(attempt).rejects.toThrow(/^no source files found under .*empty, so every object would look dead$/);
      await expect(attempt).rejects.toMatchObject({ details: { hint: expect.stringContaining('--allow-no-code') } });
    }
  });

  it('--allow-no-code audits the schema alone with every finding capped at low, reason no-code-scanned', async () => {
    const { code, out } = await run(empty, 'audit', '.', '--allow-no-code', '--format', 'json', '--fail-on', 'medium');
    const report = JSON.parse(out) as AuditReport;
    expect(report.findings.map((f) => [f.id, f.confidence])).toEqual([['public.accounts', 'low']]);
    expect(report.findings[0]?.reasons).toEqual(['no-mentions', 'no-code-scanned']);
    expect(code).toBe(0);
    const explained = await run(empty, 'explain', 'accounts', '--allow-no-code');
    expect(explained.out).toContain('verdict: unreferenced, confidence low (reasons: no-mentions, no-code-scanned)');
  });
});

describe('symbolic links in the audited code', () => {
  it('a column read only in a linked folder is alive; a link out of the root is counted and reported', async () => {
    const { out } = await run(repo, 'audit', '.', '--include', 'src/**/*.ts', '--format', 'json', '--all');
    const report = JSON.parse(out) as AuditReport;
    const verdict = (id: string): string | undefined => report.findings.find((f) => f.id === id)?.verdict;
    expect(verdict('public.accounts.plan')).toBe('alive');
    expect(verdict('public.accounts.legacy_flag')).toBe('unreferenced');
    expect(report.stats.files).toMatchObject({ scanned: 2, skipped: 1 });
    expect(report.events).toEqual([
      expect.objectContaining({ kind: 'symlink-skipped', file: 'src/outside', message: expect.stringContaining('leads outside the audited root') }),
    ]);
    const table = await run(repo, 'audit', '.', '--include', 'src/**/*.ts');
    expect(table.out).toContain('2 files (1 symbolic link not followed)');
    expect(table.out).toContain('! symlink-skipped: src/outside symbolic link to ../../outside leads outside the audited root');
  });
});

describe('a source file that is not UTF-8', () => {
  it('explain shows its lines decoded as the scan decoded them (fixtures/audit/latin1-source)', async () => {
    const fixture = path.resolve(__dirname, '../../fixtures/audit/latin1-source');
    const { io, out } = captured(fixture);
    await main(['explain', 'public.artikel.größe', '--migrations', 'migrations'], io);
    expect(out()).toContain('src/artikel/etiketten.ts:13 sql read');
    expect(out()).toContain('SELECT a.id, a.bezeichnung, a."größe"');
    expect(out()).not.toContain('\ufffd');
    expect(out()).toContain('verdict: alive');
  });
});

describe('a reporter module that is missing or throws', () => {
  it('names the module in a one-line error', async () => {
    write(path.join(repo, 'reporters', 'boom.mjs'), "export default () => { throw new Error('kaput\\nsecond line'); };\n");
    write(path.join(repo, 'reporters', 'silent.mjs'), 'export default () => undefined;\n');
    write(path.join(repo, 'reporters', 'broken.mjs'), 'export default (;\n');
    const audit = (format: string): Promise<unknown> => run(repo, 'audit', '.', '--format', format);
    await expect(audit('./reporters/missing.mjs')).rejects.toThrow(/^reporter module \.\/reporters\/missing\.mjs not found$/);
    await expect(audit('./reporters/missing.mjs')).rejects.toBeInstanceOf(UsageError);
    await expect(audit('./reporters/boom.mjs')).rejects.toThrow(/^reporter module \.\/reporters\/boom\.mjs threw: kaput$/);
    await expect(audit('./reporters/boom.mjs')).rejects.toBeInstanceOf(DeadSchemaError);
    await expect(audit('./reporters/silent.mjs')).rejects.toThrow(/^reporter module \.\/reporters\/silent\.mjs returned undefined, not the report text$/);
    await expect(audit('./reporters/broken.mjs')).rejects.toThrow(/^reporter module \.\/reporters\/broken\.mjs failed to load: /);
  });
});
