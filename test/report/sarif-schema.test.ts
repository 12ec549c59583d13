import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSarif, formatSarifFailure } from '../../src/report/sarif.js';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';
import type { AuditReport } from '../../src/run.js';
import { incidentReport, TEST_TOOL } from './incident-report.js';

/**
 * The official OASIS SARIF 2.1.0 schema (errata01, from oasis-tcs/sarif-spec
 * sarif-2.1/schema/sarif-schema-2.1.0.json). It is written in JSON Schema draft-04, hence ajv-draft-04.
 */
const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/sarif-schema-2.1.0.json'), 'utf8')) as object;
// Both are CommonJS modules that are also their own `.default`: this spelling types and runs under NodeNext.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

function errorsOf(sarif: string): string[] {
  if (validate(JSON.parse(sarif))) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

let report: AuditReport;

beforeAll(async () => {
  report = await incidentReport();
});

describe('SARIF output against the SARIF 2.1.0 schema', () => {
  it('rejects an invalid log, so a pass means something', () => {
    expect(errorsOf(JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }))).not.toEqual([]);
  });

  it('validates the incident report', () => {
    expect(errorsOf(formatSarif(report, TEST_TOOL))).toEqual([]);
  });

  it('a failed run under --format sarif still prints a valid log saying so (upload steps with if: always())', async () => {
    const { io, out } = captured();
    // No schema source anywhere: the run fails before auditing.
    const empty = mkdtempSync(path.join(tmpdir(), 'dead-schema-sarif-failure-'));
    const byExtension = path.join(empty, 'reports', 'dead-schema.sarif');
    const byName = path.join(empty, 'reports', 'scan.log');
    const markdown = path.join(empty, 'reports', 'comment.md');
    const args = ['audit', empty, '--format', 'sarif', '--quiet', '--output-file', byExtension, '--output-file', `sarif=${byName}`, '--output-file', markdown];
    const error = (await main(args, io).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(errorsOf(out())).toEqual([]);
    // The SARIF output files, named by extension or by format, get the same log; other formats nothing.
    expect(readFileSync(byExtension, 'utf8')).toBe(out());
    expect(readFileSync(byName, 'utf8')).toBe(out());
    expect(existsSync(markdown)).toBe(false);
    const log = JSON.parse(out()) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[]; results: unknown[] }[] };
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toBe(error.message);
    expect(log.runs[0]!.results).toEqual([]);
    expect(errorsOf(formatSarifFailure('x', TEST_TOOL))).toEqual([]);
  });

  it('validates with the real package info, every kind and verdict, events, and paths outside the root', () => {
    const kinds = ['table', 'column', 'view', 'materializedView', 'function', 'procedure', 'trigger', 'type', 'sequence'] as const;
    const findings = kinds.flatMap((kind, i) =>
      (['unreferenced', 'write-only'] as const).map((verdict) => ({
        kind,
        id: `public.obj_${i}_${verdict}`,
        verdict,
        confidence: (['high', 'medium', 'low'] as const)[i % 3]!,
        reasons: ['no-mentions' as const],
        evidence: [{ file: 'src/a.ts', line: 1, column: 1, kind: 'comment' as const, role: 'mention' as const }],
        evidenceCount: 1,
        ...(i % 2 === 0 ? { definedAt: { file: i % 4 === 0 ? '/abs/outside root/m.sql' : 'db/m.sql', line: i + 1 } } : {}),
      })),
    );
    const events = [
      { kind: 'migration-failed' as const, file: 'db/002.sql', line: 3, message: 'boom' },
      { kind: 'sql-parse-failed' as const, message: 'no file' },
    ];
    const sarif = formatSarif({ ...report, findings, events });
    expect(errorsOf(sarif)).toEqual([]);
    expect(sarif).toContain('"uri": "file:///abs/outside%20root/m.sql"');
  });

  it('gives every rule a PascalCase name that differs from its id, even in case (SARIF1001, RuleIdentifiersMustBeValid)', () => {
    const kinds = ['table', 'column', 'view', 'materializedView', 'function', 'procedure', 'trigger', 'type', 'sequence'] as const;
    const findings = kinds.flatMap((kind) =>
      (['unreferenced', 'write-only'] as const).map((verdict) => ({
        kind,
        id: `public.${kind}_${verdict}`,
        verdict,
        confidence: 'high' as const,
        reasons: ['no-mentions' as const],
        evidence: [],
        evidenceCount: 0,
      })),
    );
    const log = JSON.parse(formatSarif({ ...report, findings, events: [] }, TEST_TOOL)) as Sarif.Log;
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules).toHaveLength(findings.length);
    for (const rule of rules) {
      expect(rule.name, rule.id).toMatch(/^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/);
      expect(rule.name?.toLowerCase(), rule.id).not.toBe(rule.id.toLowerCase());
    }
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
    expect(rules.find((r) => r.id === 'unreferencedColumn')?.name).toBe('ColumnNeverUsed');
    expect(rules.find((r) => r.id === 'writeOnlyMaterializedView')?.name).toBe('MaterializedViewWrittenButNeverRead');
    expect(rules.find((r) => r.id === 'unreferencedFunction')?.name).toBe('FunctionNeverCalled');
  });

  it('validates an empty report', () => {
    expect(errorsOf(formatSarif({ ...report, findings: [], events: [] }, TEST_TOOL))).toEqual([]);
  });
});
