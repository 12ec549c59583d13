import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, type AuditReport } from '../../src/run.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/audit/incident');

/** Migrated once: each test's cache folder starts with this schema, so only the first test boots PGlite. */
let schemaSeed: string | undefined;

/** A private copy of the incident fixture (tests change its files) and a cache folder holding only its schema. */
async function copy(): Promise<{ root: string; cacheDir: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'dead-schema-result-cache-'));
  cpSync(fixture, root, { recursive: true });
  if (schemaSeed === undefined) {
    schemaSeed = mkdtempSync(path.join(tmpdir(), 'dead-schema-result-cache-seed-'));
    await run(root, schemaSeed);
  }
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-result-cache-dir-'));
  for (const name of readdirSync(schemaSeed)) if (/\.(catalog\.json|datadir\.tgz)$/.test(name)) cpSync(path.join(schemaSeed, name), path.join(cacheDir, name));
  return { root, cacheDir };
}

const run = (root: string, cacheDir: string | false, extra: Partial<Parameters<typeof audit>[0]> = {}): Promise<AuditReport> =>
  audit({ root, migrations: path.join(root, 'migrations'), cacheDir, all: true, ...extra });

const verdicts = (report: AuditReport) => report.findings.map((f) => [f.id, f.verdict, f.confidence, f.reasons.join(',')].join(' '));

describe('stored results', () => {
  it('a re-run with nothing changed reuses the whole analysis and reports the same', async () => {
    const { root, cacheDir } = await copy();
    const cold = await run(root, cacheDir);
    expect(cold.stats.cache).toMatchObject({ reused: false, misses: cold.stats.files.scanned });
    const warm = await run(root, cacheDir);
    expect(warm.stats.cache).toEqual({ reused: true, hits: 0, misses: 0 });
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.stats.files).toEqual(cold.stats.files);
    expect(warm.stats.sql).toEqual(cold.stats.sql);
  });

  it('after one file changes, analyses again with only that file parsed, and sees the change', async () => {
    const { root, cacheDir } = await copy();
    const cold = await run(root, cacheDir);
    expect(verdicts(cold)).toContain('public.organizations.billing_region unreferenced high no-mentions');
    // A new read of the dead column in an existing file.
    appendFileSync(path.join(root, 'src/db.ts'), '\nexport const regions = (sql: any) => sql`SELECT billing_region FROM organizations`;\n');
    const after = await run(root, cacheDir);
    expect(after.stats.cache).toEqual({ reused: false, hits: cold.stats.files.scanned - 1, misses: 1 });
    expect(after.findings.find((f) => f.id === 'public.organizations.billing_region')?.verdict).toBe('alive');
  });

  it('an edit that keeps the file size is still seen (sizes only shortcut a check, hashes decide)', async () => {
    const { root, cacheDir } = await copy();
    const file = path.join(root, 'src/db.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// abc\n`);
    const cold = await run(root, cacheDir);
    writeFileSync(file, readFileSync(file, 'utf8').replace('// abc', '// xyz'));
    const after = await run(root, cacheDir);
    expect(after.stats.cache).toEqual({ reused: false, hits: cold.stats.files.scanned - 1, misses: 1 });
  });

  it('a new source file, even one matching nothing cached, means a new analysis', async () => {
    const { root, cacheDir } = await copy();
    await run(root, cacheDir);
    writeFileSync(path.join(root, 'src/backup.ts'), 'export const q = (sql: any) => sql`SELECT * FROM mcp_proxy_sessions`;\n');
    const after = await run(root, cacheDir);
    expect(after.stats.cache?.reused).toBe(false);
    expect(after.findings.find((f) => f.id === 'public.mcp_proxy_sessions')?.verdict).toBe('alive');
  });

  it('different options are a different analysis', async () => {
    const { root, cacheDir } = await copy();
    await run(root, cacheDir);
    const excluded = await run(root, cacheDir, { exclude: ['src/agents/**'] });
    expect(excluded.stats.cache?.reused).toBe(false);
    expect((await run(root, cacheDir, { exclude: ['src/agents/**'] })).stats.cache?.reused).toBe(true);
  });

  it('a corrupt stored result is deleted with a cache-discarded event and rebuilt', async () => {
    const { root, cacheDir } = await copy();
    const cold = await run(root, cacheDir);
    const stored = readdirSync(cacheDir).find((name) => name.startsWith('result-'))!;
    writeFileSync(path.join(cacheDir, stored), '{"format":1,"key":');
    const broken = await run(root, cacheDir);
    expect(broken.stats.cache?.reused).toBe(false);
    expect(broken.events.filter((e) => e.kind === 'cache-discarded')).toHaveLength(1);
    expect(broken.findings).toEqual(cold.findings);
    expect((await run(root, cacheDir)).stats.cache?.reused).toBe(true);
  });

  it('explain right after an audit lists every piece of evidence of an object from the stored result', async () => {
    const { root, cacheDir } = await copy();
    // 30 reads of one column: more than a finding keeps (25).
    writeFileSync(path.join(root, 'src/soul.ts'), Array.from({ length: 30 }, (_, i) => `export const read${i} = (row: any) => row.soul_md;`).join('\n'));
    const audited = await run(root, cacheDir);
    const kept = audited.findings.find((f) => f.id === 'public.agents.soul_md')!;
    expect(kept.evidence.length).toBeLessThan(kept.evidenceCount);
    const wholeEvidence = () => ['public.agents.soul_md'];
    const explained = await run(root, cacheDir, { wholeEvidence });
    expect(explained.stats.cache?.reused).toBe(true);
    const whole = explained.findings.find((f) => f.id === 'public.agents.soul_md')!;
    expect(whole.evidence).toHaveLength(kept.evidenceCount);
    // The same list a run without any cache gathers, and the audit's own entry is unchanged.
    const uncached = (await run(root, false, { wholeEvidence })).findings.find((f) => f.id === 'public.agents.soul_md')!;
    expect(whole.evidence).toEqual(uncached.evidence);
    expect((await run(root, cacheDir)).findings.find((f) => f.id === 'public.agents.soul_md')!.evidence).toEqual(kept.evidence);
  });

  it('--no-cache writes nothing and reuses nothing', async () => {
    const { root, cacheDir } = await copy();
    const before = readdirSync(cacheDir);
    const report = await run(root, false);
    expect(report.stats.cache).toBeUndefined();
    expect(readdirSync(cacheDir)).toEqual(before);
    expect(readdirSync(root).filter((name) => name === 'node_modules')).toEqual([]);
  });
});
