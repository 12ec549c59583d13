import Table from 'cli-table3';
import type { Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { reasonDetail } from './describe.js';

const GROUPED_KINDS = new Set(['table', 'column']);

/** The relation a finding belongs to: columns group under their table. */
function groupOf(finding: Finding): string {
  if (finding.kind === 'column') return finding.id.slice(0, finding.id.lastIndexOf('.'));
  if (GROUPED_KINDS.has(finding.kind)) return finding.id;
  return `${finding.kind}s`;
}

function strongestEvidence(finding: Finding): string {
  const first = finding.evidence[0];
  if (first === undefined) return 'no mentions anywhere';
  const more = finding.evidenceCount > 1 ? ` (+${finding.evidenceCount - 1})` : '';
  return `${first.kind} ${first.role} ${first.file}:${first.line}${more}`;
}

export function formatTable(report: AuditReport): string {
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = groupOf(finding);
    const list = groups.get(key) ?? [];
    list.push(finding);
    groups.set(key, list);
  }
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const table = new Table({
      head: ['object', 'kind', 'verdict', 'confidence', 'reasons', 'evidence'],
      style: { head: [], border: [] },
      wordWrap: true,
    });
    for (const [group, findings] of groups) {
      table.push([{ colSpan: 6, content: group }]);
      for (const f of findings) {
        table.push([
          f.kind === 'column' ? `  .${f.id.slice(group.length + 1)}` : `  ${f.id}`,
          f.kind,
          f.verdict,
          f.confidence ?? '',
          f.reasons.map((reason) => reason + reasonDetail(f, reason)).join(', '),
          strongestEvidence(f),
        ]);
      }
    }
    lines.push(table.toString());
  } else {
    lines.push('No dead schema objects found.');
  }
  lines.push(summaryLine(report));
  const failures = report.events.filter((e) => e.kind !== 'sql-parse-failed');
  for (const event of failures.slice(0, 10)) {
    const where = event.file === undefined ? '' : `${event.file}${event.line ? `:${event.line}` : ''} `;
    lines.push(`! ${event.kind}: ${where}${event.message}`);
  }
  if (failures.length > 10) lines.push(`! ... ${failures.length - 10} more events (see --format json)`);
  return `${lines.join('\n')}\n`;
}

export function summaryLine(report: AuditReport): string {
  const { stats } = report;
  const objects = Object.values(stats.objects).reduce((a, b) => a + b, 0);
  const dead = stats.dead.high + stats.dead.medium + stats.dead.low;
  const libraries = Object.entries(stats.libraries)
    .filter(([, library]) => library.files > 0)
    .map(([name, library]) => `${name} (${library.files} file${library.files === 1 ? '' : 's'})`);
  return (
    `${objects} objects, ${dead} dead (${stats.dead.high} high, ${stats.dead.medium} medium, ${stats.dead.low} low); ` +
    (stats.since ? `only objects from migrations since ${stats.since.ref} (${stats.since.objects}); ` : '') +
    (stats.suppressed.ignored + stats.suppressed.baselined > 0 ? `${stats.suppressed.ignored + stats.suppressed.baselined} suppressed (${stats.suppressed.ignored} ignored, ${stats.suppressed.baselined} baselined); ` : '') +
    `${stats.files.scanned} files${stats.files.skipped > 0 ? ` (${stats.files.skipped} symbolic link${stats.files.skipped === 1 ? '' : 's'} not followed)` : ''}; SQL ${stats.sql.parsed + stats.sql.fragments}/${stats.sql.statements} parsed, ` +
    `${stats.sql.fallback} failed${otherDialectText(stats.sql.otherDialect)}; ${libraries.length > 0 ? `libraries: ${libraries.join(', ')}; ` : ''}` +
    `${stats.events} events${unavailableText(stats.extensionsUnavailable)}; ${(stats.timingsMs.total / 1000).toFixed(1)}s`
  );
}

/** ` (PGlite lacks postgis: 3 statements failed)`: objects missing from the audit, not dead or alive. */
function unavailableText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return ` (PGlite lacks ${entries.map(([name, n]) => `${name}: ${n} statement${n === 1 ? '' : 's'} failed`).join(', ')})`;
}

/** `, 41 ClickHouse/MySQL/... set aside` when any statement was another database's dialect. */
function otherDialectText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return `, ${entries.map(([dialect, n]) => `${n} ${dialect}`).join(', ')} set aside as other dialects`;
}
