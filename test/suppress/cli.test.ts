import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ConfigError } from '../../src/errors.js';
import { captured } from '../support/cli-io.js';
import type { AuditReport } from '../../src/run.js';

const fixtures = path.resolve(__dirname, '../../fixtures/audit');


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dead-schema-baseline-'));
  await cp(path.join(fixtures, 'write-only-column'), dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { io, out, err } = captured(dir);
  const code = await main([...argv, '--migrations', 'migrations'], io);
  return { code, out: out(), err: err() };
}

const json = async (...argv: string[]): Promise<AuditReport> => JSON.parse((await run('audit', '.', '--format', 'json', ...argv)).out) as AuditReport;

describe('baseline round trip', () => {
  it('writes the dead findings and hides them from later audits', async () => {
    const before = await json();
    expect(before.findings.map((f) => f.id).sort()).toEqual(['public.sessions.user_agent', 'public.users.last_login_ip']);

    const written = await run('baseline', '.');
    expect(written.code).toBe(0);
    expect(written.out).toBe('dead-schema.baseline.json\n');
    expect(written.err).toBe('baselined 2 dead objects\n');
    const file = JSON.parse(await readFile(path.join(dir, 'dead-schema.baseline.json'), 'utf8')) as { version: number; findings: Record<string, unknown> };
    expect(file.version).toBe(1);
    expect(Object.keys(file.findings)).toEqual(['public.sessions.user_agent', 'public.users.last_login_ip']);
    expect(file.findings['public.users.last_login_ip']).toEqual({
      kind: 'column',
      verdict: 'write-only',
      confidence: 'high',
      reasons: ['only-writes'],
      since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    const after = await json();
    expect(after.findings).toEqual([]);
    expect(after.stats.suppressed).toEqual({ ignored: 0, baselined: 2 });
    expect(after.stats.dead).toEqual({ high: 0, medium: 0, low: 0 });
    expect(after.events.filter((e) => e.kind.startsWith('stale-'))).toEqual([]);

    const table = await run('audit', '.', '--fail-on', 'low');
    expect(table.code).toBe(0);
    expect(table.out).toContain('No dead schema objects found.');
    // The default text output breaks its summary between clauses to fit 80 columns.
    expect(table.out).toMatch(/0 dead \(0 high, 0 medium, 0 low\);\s2 suppressed \(0 ignored, 2 baselined\);/);

    const unbaselined = await json('--no-baseline');
    expect(unbaselined.findings).toHaveLength(2);
  });

  it('reports a baselined column that code now reads as a stale entry', async () => {
    await writeFile(
      path.join(dir, 'src/auth/login-history.ts'),
      "import { sql } from '../db.js';\n\nexport async function lastLoginIp(userId: string): Promise<string | null> {\n" +
        '  const [row] = await sql`SELECT last_login_ip FROM users WHERE id = ${userId}`;\n  return row?.last_login_ip ?? null;\n}\n',
    );
    const report = await json();
    expect(report.findings).toEqual([]);
    expect(report.stats.suppressed).toEqual({ ignored: 0, baselined: 1 });
    const stale = report.events.filter((e) => e.kind === 'stale-baseline');
    expect(stale).toEqual([expect.objectContaining({ id: 'public.users.last_login_ip', message: expect.stringMatching(/alive now; run `dead-schema baseline`/) })]);

    // Re-baselining drops the stale entry and keeps the other's since date.
    const old = JSON.parse(await readFile(path.join(dir, 'dead-schema.baseline.json'), 'utf8')) as { findings: Record<string, { since: string }> };
    const rewritten = await run('baseline');
    expect(rewritten.err).toBe('baselined 1 dead object (0 new, 1 gone since the last baseline)\n');
    const now = JSON.parse(await readFile(path.join(dir, 'dead-schema.baseline.json'), 'utf8')) as { findings: Record<string, { since: string }> };
    expect(Object.keys(now.findings)).toEqual(['public.sessions.user_agent']);
    expect(now.findings['public.sessions.user_agent']?.since).toBe(old.findings['public.sessions.user_agent']?.since);
  });

  it('reads --baseline FILE, rejects a missing or malformed one, and refuses --no-baseline with --baseline', async () => {
    await writeFile(path.join(dir, 'other.json'), '{ "version": 1, "findings": [] }');
    const malformed = run('audit', '.', '--baseline', 'other.json');
    await expect(malformed).rejects.toBeInstanceOf(ConfigError);
    await expect(malformed).rejects.toThrow(/baseline .*other\.json is malformed/);
    await expect(run('audit', '.', '--baseline', 'nope.json')).rejects.toThrow(/baseline .*nope\.json does not exist/);
    await expect(run('audit', '.', '--baseline', 'other.json', '--no-baseline')).rejects.toThrow(/contradict/);

    const written = await run('baseline', '--baseline', 'ci-baseline.json');
    expect(written.out).toBe('ci-baseline.json\n');
    expect((await json('--baseline', 'ci-baseline.json')).stats.suppressed.baselined).toBe(1);
  });
});
