import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/match/types.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import { loadReporter, reporters } from '../../src/report/index.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import type * as Sarif from 'sarif';
import { formatSarif } from '../../src/report/sarif.js';
import type { AuditReport } from '../../src/run.js';
import { incidentReport, TEST_TOOL } from './incident-report.js';

let report: AuditReport;

beforeAll(async () => {
  report = await incidentReport();
});

describe('reporters on the incident fixture', () => {
  it('registers every built-in format by name', async () => {
    expect(Object.keys(reporters).sort()).toEqual(['github', 'json', 'markdown', 'sarif', 'table', 'text']);
    await expect(loadReporter('sarif')).resolves.toBe(reporters.sarif);
  });

  it('table, fitted to 80 columns when no width is given', async () => {
    await expect(reporters.table!(report)).toMatchFileSnapshot('__snapshots__/incident.table.txt');
  });

  it('json', async () => {
    await expect(reporters.json!(report)).toMatchFileSnapshot('__snapshots__/incident.json');
  });

  it('sarif', async () => {
    await expect(formatSarif(report, TEST_TOOL)).toMatchFileSnapshot('__snapshots__/incident.sarif');
  });

  it('markdown', async () => {
    await expect(reporters.markdown!(report)).toMatchFileSnapshot('__snapshots__/incident.md');
  });

  it('github', async () => {
    await expect(reporters.github!(report)).toMatchFileSnapshot('__snapshots__/incident.github.txt');
  });

  it('locates each SARIF result at its defining migration line, fingerprinted by object', () => {
    const log = JSON.parse(formatSarif(report, TEST_TOOL)) as Sarif.Log;
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(report.findings.length);
    const billing = results.find((r) => r.properties?.['objectId'] === 'public.organizations.billing_region');
    expect(billing?.ruleId).toBe('unreferencedColumn');
    expect(billing?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'migrations/20231101000000_create_organizations.sql', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6 },
    });
    expect(billing?.partialFingerprints).toEqual({ 'deadSchemaObject/v1': 'column:public.organizations.billing_region' });
    expect(log.runs[0]?.tool.driver.rules?.map((r) => r.id)).toEqual(['unreferencedColumn', 'unreferencedTable']);
  });

  it('annotates no alive object, even when --all lists them', () => {
    const alive: Finding = { kind: 'table', id: 'public.runs', verdict: 'alive', confidence: null, reasons: [], evidence: [], evidenceCount: 3 };
    const withAlive = { ...report, findings: [...report.findings, alive] };
    expect(formatSarif(withAlive, TEST_TOOL)).toBe(formatSarif(report, TEST_TOOL));
    expect(formatGithub(withAlive)).toBe(formatGithub(report));
    expect(formatMarkdown(withAlive)).toBe(formatMarkdown(report));
  });
});

/** A write-only low finding and a function without a known definition, with CRLF where text comes from user files. */
function crlfReport(base: AuditReport): AuditReport {
  const findings: Finding[] = [
    {
      kind: 'column',
      id: 'public.jobs.payload\r\nsecond line',
      verdict: 'write-only',
      confidence: 'low',
      reasons: ['wildcard-only', 'declared-in-model'],
      evidence: [
        { file: 'src/jobs\r\nrepo.ts', line: 3, column: 5, kind: 'sql', role: 'write', via: 'INSERT INTO jobs\r\n(payload) | x' },
        { file: 'src/jobs.ts', line: 9, column: 1, kind: 'wildcard', role: 'read', via: 'jobs.*' },
      ],
      evidenceCount: 2,
      definedAt: { file: 'migrations/001 init,v2:jobs.sql', line: 4 },
    },
    {
      kind: 'function',
      id: 'public.touch(integer[], text)',
      verdict: 'unreferenced',
      confidence: 'medium',
      reasons: ['only-tests'],
      evidence: [{ file: 'test/a|b.test.ts', line: 2, column: 7, kind: 'test', role: 'mention', via: 'touch' }],
      evidenceCount: 1,
    },
  ];
  const events = [{ kind: 'migration-failed' as const, file: 'migrations/002.sql', line: 7, message: 'syntax error at "x"\r\nLINE 1: SELEC 1\r\n' }];
  return { ...base, findings, events, stats: { ...base.stats, events: events.length } };
}

describe('line-oriented formats with CRLF in evidence and messages', () => {
  it('github: one command per line, escaped so the runner reads back the original text', () => {
    const crlf = crlfReport(report);
    const out = formatGithub(crlf);
    expect(out).not.toMatch(/\r/);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(crlf.findings.length + crlf.events.length + 1);
    const commands = lines.slice(0, -1);
    for (const line of commands) expect(line).toMatch(/^::(warning|notice) [^:]*::/);
    expect(commands[0]).toMatch(/^::notice file=migrations\/001 init%2Cv2%3Ajobs\.sql,line=4,title=/);
    // The function has no defining migration: the annotation names no file.
    expect(commands[1]).toMatch(/^::warning title=dead-schema%3A unreferenced function public\.touch\(integer\[\]%2C text\) \(medium\)::/);
    const message = commands[0]!.slice(commands[0]!.indexOf('::', 2) + 2);
    const decoded = message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    expect(decoded).toContain('public.jobs.payload\r\nsecond line is write-only (low confidence)');
    expect(decoded).toContain('via INSERT INTO jobs\r\n(payload) | x src/jobs\r\nrepo.ts:3');
    expect(commands[2]).toBe('::warning file=migrations/002.sql,line=7,title=dead-schema%3A migration-failed::syntax error at "x"%0D%0ALINE 1: SELEC 1%0D%0A');
  });

  it('github: escaping follows the Actions toolkit', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext%3A a%2Cb');
  });

  it('markdown: starts with the hidden marker a CI step finds its sticky comment by', () => {
    expect(formatMarkdown(report).split('\n')[0]).toBe('<!-- dead-schema -->');
  });

  it('markdown: under GitHub Actions each file:line links to that line of the audited commit', () => {
    const base = 'https://github.com/acme/runs/blob/0123abc/';
    const out = formatMarkdown(report, { linkBase: base });
    const definedAt = report.findings.find((f) => f.id === 'public.organizations.billing_region')!.definedAt!;
    expect(out).toContain(`[\`${definedAt.file}:${definedAt.line}\`](${base}${definedAt.file}#L${definedAt.line})`);
    // Every location cell is a link; without a base none is.
    expect(out.match(/\]\(https:\/\/github\.com\/acme\/runs\/blob\/0123abc\/[^)\s]+#L\d+\)/g)?.length).toBeGreaterThanOrEqual(report.findings.length);
    expect(formatMarkdown(report)).not.toContain('](https://');
    // A path outside the checkout has no page on GitHub: code, not a broken link.
    const outside = { ...report, findings: report.findings.map((f) => (f.definedAt ? { ...f, definedAt: { ...f.definedAt, file: `../elsewhere/${f.definedAt.file}` } } : f)) };
    expect(formatMarkdown(outside, { linkBase: base })).not.toContain(`](${base}../`);
  });

  it('markdown: every table row stays one row with six cells', () => {
    const out = formatMarkdown(crlfReport(report));
    expect(out).not.toMatch(/\r/);
    const rows = out.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| kind') && !line.startsWith('| object'));
    const findingRows = rows.filter((line) => line.startsWith('| `'));
    expect(findingRows).toHaveLength(2);
    for (const row of findingRows) expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
    // Sections go surest first: the medium function, then the low column.
    expect(findingRows[0]).toContain('`test/a\\|b.test.ts:2`');
    expect(findingRows[0]).toContain('| unknown |');
    expect(findingRows[1]).toContain('`public.jobs.payload second line`');
    expect(findingRows[1]).toContain('`src/jobs repo.ts:3`');
    expect(findingRows[1]).toContain('`migrations/001 init,v2:jobs.sql:4`');
    expect(out).toContain('- migration-failed: `migrations/002.sql:7` syntax error at "x" LINE 1: SELEC 1 \n');
  });

  it('sarif: CRLF stays inside JSON strings, and a finding without a definition gets a logical location only', () => {
    const log = JSON.parse(formatSarif(crlfReport(report), TEST_TOOL)) as Sarif.Log;
    const [low, fn] = log.runs[0]?.results ?? [];
    expect(low?.level).toBe('note');
    expect(low?.ruleId).toBe('writeOnlyColumn');
    expect(low?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('migrations/001%20init%2Cv2%3Ajobs.sql');
    expect(low?.relatedLocations).toHaveLength(2);
    expect(fn?.level).toBe('warning');
    expect(fn?.locations?.[0]).toEqual({
      logicalLocations: [{ name: 'touch(integer[], text)', fullyQualifiedName: 'public.touch(integer[], text)', kind: 'function' }],
    });
    // Brackets in text are escaped; the evidence links to its related location.
    expect(fn?.message.text).toContain('Function public.touch(integer\\[\\], text) is unreferenced');
    expect(fn?.message.text).toContain('Evidence: test mention [test/a|b.test.ts:2](1).');
    expect(log.runs[0]?.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toBe('syntax error at "x"\r\nLINE 1: SELEC 1\r\n');
  });
});
