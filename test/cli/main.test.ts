import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';
import { UsageError } from '../../src/errors.js';

const fixture = path.resolve(__dirname, '../../fixtures/audit/incident');


describe('cli main', () => {
  it('prints the package version', async () => {
    const { io, out } = captured();
    await expect(main(['--version'], io)).resolves.toBe(0);
    expect(out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('rejects a wrong flag and an unknown command with a usage error', async () => {
    await expect(main(['audit', '--nope'], captured().io)).rejects.toBeInstanceOf(UsageError);
    await expect(main(['frobnicate'], captured().io)).rejects.toThrow(/unknown command "frobnicate"/);
  });

  it('an unknown flag names the flag it most likely meant', async () => {
    await expect(main(['audit', '.', '--migration', 'db'], captured().io)).rejects.toMatchObject({ message: 'unknown flag --migration', details: { hint: 'did you mean --migrations?' } });
    await expect(main(['audit', '--fail-onn', 'high'], captured().io)).rejects.toMatchObject({ details: { hint: 'did you mean --fail-on?' } });
    // Nothing close: the help, not a wild guess.
    await expect(main(['audit', '--frobnicate'], captured().io)).rejects.toMatchObject({ message: 'unknown flag --frobnicate', details: { hint: 'run dead-schema --help' } });
  });

  it('audits a fixture to JSON and fails on findings at or above --fail-on', async () => {
    const { io, out, err } = captured();
    const code = await main(['audit', fixture, '--migrations', path.join(fixture, 'migrations'), '--format', 'json', '--fail-on', 'high'], io);
    const report = JSON.parse(out()) as { findings: { id: string; confidence: string }[]; stats: { libraries: Record<string, unknown> } };
    expect(report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    expect(report.stats.libraries).toHaveProperty('postgres');
    expect(code).toBe(1);
    expect(err()).toBe('');
  });

  it('writes several formats in one run with --output-file, stdout keeping its own', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-output-'));
    const sarif = path.join(dir, 'reports', 'dead-schema.sarif');
    const markdown = path.join(dir, 'comment.txt');
    const { io, out } = captured();
    const args = ['audit', fixture, '--migrations', path.join(fixture, 'migrations'), '--format', 'json', '--output-file', sarif, '--output-file', `markdown=${markdown}`];
    expect(await main(args, io)).toBe(0);
    expect((JSON.parse(out()) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    expect(readFileSync(markdown, 'utf8')).toContain('billing_region');
  });

  it('under GitHub Actions the Markdown report links each migration line of the audited commit, from the checkout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dead-schema-output-'));
    const markdown = path.join(dir, 'comment.md');
    const repoRoot = path.resolve(__dirname, '../..');
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/runs', GITHUB_SHA: 'f00dfeed' };
    const { io } = captured(repoRoot, env);
    const rel = path.relative(repoRoot, fixture);
    expect(await main(['audit', rel, '--migrations', `${rel}/migrations`, '--quiet', '--output-file', `markdown=${markdown}`], io)).toBe(0);
    const text = readFileSync(markdown, 'utf8');
    expect(text.startsWith('<!-- dead-schema -->\n')).toBe(true);
    expect(text).toContain(`(https://github.com/acme/runs/blob/f00dfeed/${rel}/migrations/20231101000000_create_organizations.sql#L6)`);
  });

  it('an --output-file without a format it can tell is refused before auditing', async () => {
    await expect(main(['audit', fixture, '--output-file', 'report.out'], captured().io)).rejects.toMatchObject({ message: '--output-file report.out: which format?' });
  });
});
