import type { Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { capitalize, KIND_ORDER, kindLabel, reasonDetail, tableOfColumn } from './describe.js';
import type { ReportContext } from './index.js';
import { CONFIDENCE_STYLE, painter, type Paint } from './style.js';
import { eventLines, summaryLine } from './table.js';
import { pluralize } from '../names/case.js';
import { counted } from '../text/count.js';

/**
 * The default terminal output, after knip and squawk: headed groups, one finding per line, led by
 * the defining migration's `file:line` (what a user opens to act; terminals make it a link), then
 * id, kind, verdict, confidence and reasons. No box: a line grep finds is the whole finding.
 */

const GAP = '  ';
/** Where cellsOf puts the confidence, the one coloured cell. */
const CONFIDENCE_CELL = 4;
const DEFAULT_COLUMNS = 80;

interface Group {
  title: string;
  /** Columns list as `.name` under their table's title. */
  table?: string;
  findings: Finding[];
}

export function formatText(report: AuditReport, context: ReportContext = {}): string {
  const paint = painter(context.color === true);
  const columns = context.columns ?? DEFAULT_COLUMNS;
  const hiddenLow = context.hiddenLow ?? 0;
  const lines: string[] = [];
  for (const group of groupsOf(report.findings)) {
    lines.push(paint('bold', `${group.title} (${group.findings.length})`));
    lines.push(...rowLines(group, columns, paint), '');
  }
  if (report.findings.length === 0 && hiddenLow === 0) lines.push('No dead schema objects found.');
  // A migration error's message spans lines; here every event stays on one.
  lines.push(...eventLines(report).map(oneLine));
  if (hiddenLow > 0) {
    lines.push(`${counted(hiddenLow, 'low-confidence finding')} hidden; --min-confidence low shows ${hiddenLow === 1 ? 'it' : 'them'}`);
  }
  lines.push(...clauses(summaryLine(report, hiddenLow), columns));
  return `${lines.join('\n')}\n`;
}

/** Tables, then each table's columns (by table name), then the other kinds in KIND_ORDER. */
function groupsOf(findings: readonly Finding[]): Group[] {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    // Kinds hold no space, so a `column <table>` key is never a kind's.
    const key = finding.kind === 'column' ? `column ${tableOfColumn(finding.id)}` : finding.kind;
    const list = byKey.get(key) ?? [];
    list.push(finding);
    byKey.set(key, list);
  }
  const groups: Group[] = [];
  for (const kind of KIND_ORDER) {
    if (kind === 'column') {
      const tables = [...byKey.keys()].filter((key) => key.startsWith('column ')).map((key) => key.slice('column '.length));
      for (const table of tables.sort()) groups.push({ title: `Columns of ${table}`, table, findings: byKey.get(`column ${table}`)! });
      continue;
    }
    const list = byKey.get(kind);
    if (list !== undefined) groups.push({ title: plural(kindLabel(kind)), findings: list });
  }
  return groups;
}

function plural(label: string): string {
  return pluralize(capitalize(label));
}

/** location, id, kind, verdict, confidence, reasons. */
function cellsOf(finding: Finding, group: Group): string[] {
  return [
    finding.definedAt === undefined ? '' : `${finding.definedAt.file}:${finding.definedAt.line}`,
    group.table === undefined ? finding.id : `.${finding.id.slice(group.table.length + 1)}`,
    finding.kind,
    finding.verdict,
    finding.confidence ?? '',
    finding.reasons.map((reason) => reason + reasonDetail(finding, reason)).join(', '),
  ].map(oneLine);
}

/** Ids, file names and messages come from user files and may hold line breaks. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * A group's lines, in aligned columns when the widest line then fits the terminal; otherwise each
 * line as short as it can be, so a line overflows only by what its own content needs.
 */
function rowLines(group: Group, columns: number, paint: Paint): string[] {
  const rows = group.findings.map((finding) => cellsOf(finding, group));
  const widths = rows[0]!.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  const used = widths.map((width, index) => index === widths.length - 1 || width > 0);
  const alignedWidth = widths.filter((_, index) => used[index]).reduce((sum, width) => sum + width + GAP.length, -GAP.length);
  const aligned = alignedWidth <= columns;
  return rows.map((row, rowIndex) => {
    const confidence = group.findings[rowIndex]!.confidence;
    const parts: string[] = [];
    row.forEach((cell, index) => {
      if (!used[index] || (!aligned && cell === '')) return;
      const pad = aligned && index < row.length - 1 ? ' '.repeat(widths[index]! - cell.length) : '';
      parts.push((index === CONFIDENCE_CELL && confidence !== null ? paint(CONFIDENCE_STYLE[confidence], cell) : cell) + pad);
    });
    return parts.join(GAP).trimEnd();
  });
}

/** The summary broken after its `; ` separators to fit the terminal, so no clause is split. */
function clauses(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const clause of text.split(/(?<=; )/)) {
    if (line !== '' && (line + clause).trimEnd().length > columns) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += clause;
  }
  lines.push(line.trimEnd());
  return lines;
}
