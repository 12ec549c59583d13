import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { formatPerformance } from '../../src/cli/performance.js';
import type { AuditReport } from '../../src/run.js';
import { captured } from '../support/cli-io.js';
import { tempProject } from '../config/helpers.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/audit/incident');

/** Only what formatPerformance reads; stats fields the report type does not know yet are the point. */
function reportWith(schema: Partial<AuditReport['schema']>, stats: Record<string, unknown>): AuditReport {
  return { version: 1, schema: { kind: 'migrations', ...schema }, stats, findings: [], events: [] } as unknown as AuditReport;
}

describe('formatPerformance', () => {
  it('prints every numeric stage in the order the report has them, aligned, then the caches and peak RSS', () => {
    const report = reportWith(
      { cacheHit: true },
      { timingsMs: { discover: 12, schema: 6705, scan: 2733, parse: 'n/a', match: 1134.4, total: 10572 }, cache: { hits: 940, misses: 10, note: 'x' } },
    );
    expect(formatPerformance(report, 300 * 1024)).toBe(
      [
        'dead-schema: performance',
        '  discover         12 ms',
        '  schema         6705 ms',
        '  scan           2733 ms',
        '  match          1134 ms',
        '  total         10572 ms',
        '  schema cache  hit',
        '  scan cache    hits 940 · misses 10',
        '  peak RSS      300 MB',
        '',
      ].join('\n'),
    );
  });

  it('says when the schema was rebuilt, when the cache is off, and that a live database has none', () => {
    const stats = { timingsMs: { schema: 1, total: 2 } };
    expect(formatPerformance(reportWith({ cacheHit: false }, stats), 1024)).toContain('  schema cache  miss\n');
    expect(formatPerformance(reportWith({ cacheHit: false }, stats), 1024, true)).toContain('  schema cache  off (--no-cache)\n');
    expect(formatPerformance(reportWith({ kind: 'database', cacheHit: false }, stats), 1024)).toContain('  schema cache  none (live database)\n');
    expect(formatPerformance(reportWith({}, stats), 1024)).not.toContain('scan cache');
  });
});

describe('--performance', () => {
  it('prints the stage timings to stderr after the report, leaving the JSON on stdout intact', async () => {
    const cacheDir = tempProject();
    const argv = ['audit', fixture, '--migrations', path.join(fixture, 'migrations'), '--format', 'json', '--performance', '--cache-location', cacheDir];

    const first = captured();
    await main(argv, first.io);
    const report = JSON.parse(first.out()) as AuditReport;
    expect(report.findings.map((f) => f.id)).toContain('public.organizations.billing_region');
    const err = first.err();
    expect(err).toMatch(/^dead-schema: performance\n/);
    for (const stage of Object.keys(report.stats.timingsMs)) expect(err).toMatch(new RegExp(`^  ${stage} +\\d+ ms$`, 'm'));
    expect(err).toMatch(/^ {2}schema cache +miss$/m);
    expect(err).toMatch(/^ {2}peak RSS +\d+ MB$/m);
    expect(first.out()).not.toContain('performance');

    // --cache-location is where the migrated schema went, so the next run reads it from there.
    expect(readdirSync(cacheDir).some((name) => name.endsWith('.catalog.json'))).toBe(true);
    const second = captured();
    await main(argv, second.io);
    expect(second.err()).toMatch(/^ {2}schema cache +hit$/m);
  });
});
