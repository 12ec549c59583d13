import Table from 'cli-table3';
import type { Confidence, Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { reasonDetail, tableOfColumn } from './describe.js';
import type { ReportContext } from './index.js';
import { CONFIDENCE_STYLE, painter } from './style.js';
import { counted } from '../text/count.js';

const GROUPED_KINDS = new Set(['table', 'column']);

/** The relation a finding belongs to: columns group under their table. */
function groupOf(finding: Finding): string {
  if (finding.kind === 'column') return tableOfColumn(finding.id);
  if (GROUPED_KINDS.has(finding.kind)) return finding.id;
  return `${finding.kind}s`;
}

function strongestEvidence(finding: Finding): string {
  const first = finding.evidence[0];
  if (first === undefined) return 'no mentions anywhere';
  const more = finding.evidenceCount > 1 ? ` (+${finding.evidenceCount - 1})` : '';
  return `${first.kind} ${first.role} ${first.file}:${first.line}${more}`;
}

const HEAD = ['object', 'kind', 'verdict', 'confidence', 'reasons', 'evidence'];
/** kind, verdict and confidence: short words that keep their width while the others wrap. */
const FIXED = new Set([1, 2, 3]);
const CONFIDENCE_CELL = 3;
/** Narrowest a wrapped column gets (with padding): below it a cell is more line breaks than text. */
const MIN_WIDTH = 10;

/** The box table (`--format table`), its columns shrunk and wrapped so it fits `context.columns` (80 by default). */
export function formatTable(report: AuditReport, context: ReportContext = {}): string {
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = groupOf(finding);
    const list = groups.get(key) ?? [];
    list.push(finding);
    groups.set(key, list);
  }
  // A group heads its rows: one cell spanning the table.
  const rows: (string[] | { group: string })[] = [];
  for (const [group, findings] of groups) {
    rows.push({ group });
    for (const f of findings) {
      rows.push([
        f.kind === 'column' ? `  .${f.id.slice(group.length + 1)}` : `  ${f.id}`,
        f.kind,
        f.verdict,
        f.confidence ?? '',
        f.reasons.map((reason) => reason + reasonDetail(f, reason)).join(', '),
        strongestEvidence(f),
      ]);
    }
  }
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const widths = fitWidths([HEAD, ...rows.filter((row) => Array.isArray(row))], context.columns ?? 80);
    const paint = painter(context.color === true);
    const table = new Table({ head: HEAD, colWidths: widths, style: { head: [], border: [] } });
    // The spanned cell also covers the borders between the columns, less its own padding.
    const spanned = widths.reduce((sum, width) => sum + width + 1, -1) - 2;
    for (const row of rows) {
      if (!Array.isArray(row)) {
        table.push([{ colSpan: HEAD.length, content: wrapCell(row.group, spanned) }]);
        continue;
      }
      table.push(row.map((cell, index) => (index === CONFIDENCE_CELL && cell !== '' ? paint(CONFIDENCE_STYLE[cell as Confidence], cell) : wrapCell(cell, widths[index]! - 2))));
    }
    lines.push(table.toString());
  } else {
    lines.push('No dead schema objects found.');
  }
  lines.push(summaryLine(report), ...eventLines(report));
  return `${lines.join('\n')}\n`;
}

/** The first ten events worth a reader's attention; a SQL parse failure only lowers confidence. */
export function eventLines(report: AuditReport): string[] {
  const lines: string[] = [];
  const failures = report.events.filter((e) => e.kind !== 'sql-parse-failed');
  for (const event of failures.slice(0, 10)) {
    const where = event.file === undefined ? '' : `${event.file}${event.line ? `:${event.line}` : ''} `;
    lines.push(`! ${event.kind}: ${where}${event.message}`);
  }
  if (failures.length > 10) lines.push(`! ... ${failures.length - 10} more events (see --format json)`);
  return lines;
}

/** With `hiddenLow`, the dead count says how many findings are shown and how many low ones are not. */
export function summaryLine(report: AuditReport, hiddenLow = 0): string {
  const { stats } = report;
  const objects = Object.values(stats.objects).reduce((a, b) => a + b, 0);
  const dead = stats.dead.high + stats.dead.medium + stats.dead.low;
  const deadText =
    hiddenLow > 0
      ? `${dead} dead: ${stats.dead.high + stats.dead.medium} shown (${stats.dead.high} high, ${stats.dead.medium} medium), ${hiddenLow} low hidden`
      : `${dead} dead (${stats.dead.high} high, ${stats.dead.medium} medium, ${stats.dead.low} low)`;
  const libraries = Object.entries(stats.libraries)
    .filter(([, library]) => library.files > 0)
    .map(([name, library]) => `${name} (${counted(library.files, 'file')})`);
  return (
    `${counted(objects, 'object')}, ${deadText}; ` +
    (stats.since ? `only objects from migrations since ${stats.since.ref} (${stats.since.objects}); ` : '') +
    (stats.suppressed.ignored + stats.suppressed.baselined > 0 ? `${stats.suppressed.ignored + stats.suppressed.baselined} suppressed (${stats.suppressed.ignored} ignored, ${stats.suppressed.baselined} baselined); ` : '') +
    `${counted(stats.files.scanned, 'file')}${stats.files.skipped > 0 ? ` (${counted(stats.files.skipped, 'symbolic link')} not followed)` : ''}; SQL ${stats.sql.parsed + stats.sql.fragments}/${stats.sql.statements} parsed, ` +
    `${stats.sql.fallback} failed${otherDialectText(stats.sql.otherDialect)}; ${libraries.length > 0 ? `libraries: ${libraries.join(', ')}; ` : ''}` +
    `${counted(stats.events, 'event')}${unavailableText(stats.extensionsUnavailable)}; ${(stats.timingsMs.total / 1000).toFixed(1)}s`
  );
}

/** ` (PGlite lacks postgis: 3 statements failed)`: objects missing from the audit, not dead or alive. */
function unavailableText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return ` (PGlite lacks ${entries.map(([name, n]) => `${name}: ${counted(n, 'statement')} failed`).join(', ')})`;
}

/** `, 41 ClickHouse/MySQL/... set aside` when any statement was another database's dialect. */
function otherDialectText(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  return `, ${entries.map(([dialect, n]) => `${n} ${dialect}`).join(', ')} set aside as other dialects`;
}

/**
 * Column widths (with padding) that fit `columns`: each column as wide as its widest cell when the
 * whole table fits; otherwise kind, verdict and confidence keep theirs and object, reasons and
 * evidence share what is left, a narrow column getting all it needs before a wide one is cut.
 */
function fitWidths(rows: readonly (readonly string[])[], columns: number): number[] {
  const natural = HEAD.map((_, index) => Math.max(...rows.flatMap((row) => row[index]!.split('\n').map((line) => line.length))) + 2);
  const border = natural.length + 1;
  if (natural.reduce((a, b) => a + b, border) <= columns) return natural;
  const widths = [...natural];
  const flexible = natural.map((_, index) => index).filter((index) => !FIXED.has(index));
  let left = columns - border - [...FIXED].reduce((sum, index) => sum + natural[index]!, 0);
  const byNeed = [...flexible].sort((a, b) => natural[a]! - natural[b]!);
  byNeed.forEach((index, position) => {
    const share = Math.floor(left / (byNeed.length - position));
    widths[index] = Math.max(MIN_WIDTH, Math.min(natural[index]!, share));
    left -= widths[index]!;
  });
  return widths;
}

/**
 * `text` in lines of at most `width`, broken after spaces, slashes, dots, underscores, commas and
 * hyphens so paths and identifiers break where they read, and hard-broken where nothing else can;
 * continuation lines keep the leading indent. cli-table3 would cut a word longer than its column
 * with an ellipsis, losing the path.
 */
function wrapCell(text: string, width: number): string {
  const indent = /^ */.exec(text)![0];
  if (text.length <= width || width <= indent.length) return text;
  return wrapWords(text.slice(indent.length), width - indent.length)
    .map((line) => indent + line)
    .join('\n');
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let token of text.split(/(?<=[\s/._,-])/)) {
    if (line.length + token.length > width && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = '';
      token = token.trimStart();
    }
    line += token;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}
