import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/match/types.js';
import { relocateReport } from '../../src/report/relocate.js';
import { formatTable } from '../../src/report/table.js';
import { formatText } from '../../src/report/text.js';
import type { AuditReport } from '../../src/run.js';
import { incidentReport } from './incident-report.js';

let report: AuditReport;

beforeAll(async () => {
  report = await incidentReport();
});

/** A dead column of `table` defined at `db/001.sql:line`. */
function column(table: string, name: string, confidence: 'high' | 'medium' | 'low', line: number): Finding {
  return {
    kind: 'column',
    id: `public.${table}.${name}`,
    verdict: 'unreferenced',
    confidence,
    reasons: [confidence === 'low' ? 'wildcard-only' : 'no-mentions'],
    evidence: [],
    evidenceCount: 0,
    definedAt: { file: 'db/001.sql', line },
  };
}

function withFindings(findings: Finding[], dead = { high: 0, medium: 0, low: 0 }): AuditReport {
  return { ...report, findings, stats: { ...report.stats, dead } };
}

describe('text reporter (the default) at 80 columns', () => {
  it('incident fixture, no colour', async () => {
    await expect(formatText(report, { columns: 80 })).toMatchFileSnapshot('__snapshots__/incident.text.txt');
  });

  it('incident fixture, coloured by confidence', async () => {
    const coloured = formatText(report, { columns: 80, color: true });
    await expect(coloured).toMatchFileSnapshot('__snapshots__/incident.text-color.txt');
    expect(coloured).toContain('\u001b[31mhigh\u001b[39m');
    expect(coloured).toContain('\u001b[33mmedium\u001b[39m');
    expect(stripVTControlCharacters(coloured)).toBe(formatText(report, { columns: 80 }));
  });

  it('paths relative to the working directory when the audited root is below it', () => {
    const out = formatText(relocateReport(report, 'fixtures/audit/incident'), { columns: 80 });
    expect(out).toContain('\nfixtures/audit/incident/migrations/20231101000000_create_organizations.sql:6  .billing_region  column');
  });

  it('aligns the columns of a group when its lines then fit', () => {
    expect(formatText(report, { columns: 140 })).toMatchInlineSnapshot(`
      "Tables (2)
      migrations/20231120000000_create_mcp_proxy_sessions.sql:2  public.mcp_proxy_sessions  table  unreferenced  high  no-mentions
      migrations/20240101120000_backfill_failed_run_retry_delay.sql:3  public.migration_20240101_runs_backup  table  unreferenced  high  no-mentions

      Columns of public.agents (2)
      migrations/20240115000000_add_agent_skill_domains.sql:3  .skill_auto_granted_domains  column  unreferenced  high    only-comments
      migrations/20231105000000_create_agents.sql:10           .legacy_sandbox_image        column  unreferenced  medium  only-types

      Columns of public.organizations (1)
      migrations/20231101000000_create_organizations.sql:6  .billing_region  column  unreferenced  high  no-mentions

      33 objects, 5 dead (4 high, 1 medium, 0 low); 14 files; SQL 12/12 parsed, 0 failed; libraries: postgres (14 files); 0 events; 0.0s
      "
    `);
  });

  it('keeps every line within 80 columns where the content allows', () => {
    const short = withFindings(
      [column('users', 'nickname', 'high', 4), column('users', 'legacy_flags', 'medium', 12), column('orders', 'note', 'low', 30)],
      { high: 1, medium: 1, low: 1 },
    );
    const lines = formatText(short, { columns: 80 }).trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines).toContain('db/001.sql:4   .nickname      column  unreferenced  high    no-mentions');
    // The incident's migration names alone take most of 80 columns: its lines are as short as
    // their content (no padding), and the summary breaks between clauses.
    for (const line of formatText(report, { columns: 80 }).trimEnd().split('\n')) {
      if (line.length > 80) expect(line, line).not.toMatch(/\S {3,}\S/);
    }
  });

  it('says how many low findings the CLI hid, and counts them in the summary', () => {
    const shown = withFindings([column('users', 'nickname', 'high', 4)], { high: 1, medium: 0, low: 312 });
    const out = formatText(shown, { columns: 80, hiddenLow: 312 });
    expect(out).toContain('\n312 low-confidence findings hidden; --min-confidence low shows them\n');
    // The summary is broken between clauses at 80 columns.
    expect(out.replace(/; \n|;\n/g, '; ')).toMatch(/\n\d+ objects, 313 dead: 1 shown \(1 high, 0 medium\), 312 low hidden; /);
    const allHidden = formatText(withFindings([], { high: 0, medium: 0, low: 1 }), { hiddenLow: 1 });
    expect(allHidden).not.toContain('No dead schema objects found.');
    expect(allHidden).toContain('1 low-confidence finding hidden; --min-confidence low shows it\n');
  });

  it('one finding per line, led by its id when no migration defines it', () => {
    const odd: Finding = { kind: 'function', id: 'public.touch(\r\nint)', verdict: 'write-only', confidence: 'low', reasons: ['only-tests'], evidence: [], evidenceCount: 0 };
    const out = formatText(withFindings([odd, column('users', 'nickname', 'high', 4)]), { columns: 80 });
    expect(out).toContain('\nFunctions (1)\npublic.touch( int)  function  write-only  low  only-tests\n');
    expect(formatText(withFindings([]))).toMatch(/^No dead schema objects found\.\n\d+ objects, 0 dead/);
  });
});

describe('table reporter sized to the terminal', () => {
  it('fits 80 columns, wrapping paths at slashes rather than cutting them', () => {
    const out = formatTable(report, { columns: 80 });
    for (const line of out.split('\n').filter((line) => /^[┌│├└]/.test(line))) expect(line.length).toBe(80);
    expect(out).toContain('│ src/agents/ │');
    expect(out).not.toContain('…');
  });

  it('keeps natural widths when the terminal is wide enough', () => {
    const wide = formatTable(report, { columns: 200 });
    expect(wide.split('\n')[0]!.length).toBe(141);
    expect(wide).toContain('│   public.migration_20240101_runs_backup │ table  │');
  });
});
