import type { Confidence, Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { CONFIDENCE_ORDER, adviceFor, KIND_ORDER, deadFindings, evidenceLabel, kindLabel, reasonText } from './describe.js';
import type { ReportContext } from './index.js';
import { summaryLine } from './table.js';
import { counted } from '../text/count.js';

/**
 * GitHub rejects comments over 65,536 characters; rows stop well before that, and the rest are
 * counted so the reader knows to look at --format json.
 */
const ROW_BUDGET = 55_000;
const EVENTS_SHOWN = 20;

/**
 * The first line of every Markdown report, hidden when rendered: a CI step finds the comment it
 * posted before by it and edits that one, so a pull request keeps one sticky comment.
 */
export const MARKDOWN_MARKER = '<!-- dead-schema -->';

export function formatMarkdown(report: AuditReport, context: ReportContext = {}): string {
  const findings = deadFindings(report.findings);
  const location = locationCell(context.linkBase);
  const lines: string[] = [MARKDOWN_MARKER, '### dead-schema', ''];
  const since = report.stats.since;
  if (since !== undefined) {
    // What the numbers mean for a pull request: objects the branch adds that nothing uses yet.
    const n = findings.length;
    lines.push(n === 0 ? `Every object the migrations since \`${since.ref}\` define is used.` : `This branch adds ${counted(n, 'object')} nothing reads (migrations since \`${since.ref}\`).`, '');
  }
  if (findings.length === 0) {
    if (since === undefined) lines.push('No dead schema objects found.', '');
  } else {
    lines.push(...countsTable(findings), '');
    let budget = ROW_BUDGET;
    let hidden = 0;
    for (const confidence of CONFIDENCE_ORDER) {
      const group = findings.filter((f) => (f.confidence ?? 'low') === confidence);
      if (group.length === 0) continue;
      const section = detailsSection(confidence, group, budget, adviceFor(report), location);
      budget -= section.size;
      hidden += section.hidden;
      lines.push(...section.lines, '');
    }
    if (hidden > 0) lines.push(`${counted(hidden, 'more finding')} not shown here: run with \`--format json\` for all of them.`, '');
  }
  lines.push(...eventsSection(report), `<sub>${escapeHtml(summaryLine(report))}</sub>`);
  return `${lines.join('\n')}\n`;
}

/** Counts by kind (rows) and confidence (columns), with totals. */
function countsTable(findings: readonly Finding[]): string[] {
  const total = findings.length;
  const byLevel = (list: readonly Finding[], level: Confidence): number => list.filter((f) => (f.confidence ?? 'low') === level).length;
  const kinds = KIND_ORDER.filter((kind) => findings.some((f) => f.kind === kind));
  const summary = CONFIDENCE_ORDER.map((c) => `${byLevel(findings, c)} ${c}`).join(', ');
  return [
    `**${counted(total, 'dead object')}** (${summary}).`,
    '',
    '| kind | high | medium | low | total |',
    '|---|---:|---:|---:|---:|',
    ...kinds.map((kind) => {
      const ofKind = findings.filter((f) => f.kind === kind);
      return `| ${kindLabel(kind)} | ${CONFIDENCE_ORDER.map((c) => byLevel(ofKind, c)).join(' | ')} | ${ofKind.length} |`;
    }),
    `| **total** | ${CONFIDENCE_ORDER.map((c) => `**${byLevel(findings, c)}**`).join(' | ')} | **${total}** |`,
  ];
}

function detailsSection(
  confidence: Confidence,
  group: readonly Finding[],
  budget: number,
  advice: Readonly<Record<Confidence, string>>,
  location: LocationCell,
): { lines: string[]; size: number; hidden: number } {
  const rows: string[] = [];
  let size = 0;
  for (const finding of group) {
    const row = findingRow(finding, location);
    if (size + row.length > budget) break;
    rows.push(row);
    size += row.length + 1;
  }
  const hidden = group.length - rows.length;
  // Open the sure findings: they are the ones a reviewer acts on.
  const open = confidence === 'high' ? ' open' : '';
  const lines = [
    `<details${open}><summary><strong>${confidence} confidence: ${group.length}</strong>, ${escapeHtml(advice[confidence])}</summary>`,
    '',
    '| object | kind | verdict | reasons | strongest evidence | defined at |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(hidden > 0 ? ['', `_${hidden} more not shown._`] : []),
    '',
    '</details>',
  ];
  return { lines, size, hidden };
}

type LocationCell = (site: { file: string; line: number }) => string;

/**
 * `file:line` as code, and under GitHub Actions a link to that line of the commit audited
 * (`<server>/<repo>/blob/<sha>/<path>#L<line>`), so a reviewer opens the migration from the comment.
 */
function locationCell(linkBase: string | undefined): LocationCell {
  return (site) => {
    const code = cellCode(`${site.file}:${site.line}`);
    if (linkBase === undefined || site.file.startsWith('..') || site.file.startsWith('/')) return code;
    const target = `${linkBase}${site.file.split('/').map(encodeURIComponent).join('/')}#L${site.line}`;
    return `[${code}](${target})`;
  };
}

function findingRow(finding: Finding, location: LocationCell): string {
  const first = finding.evidence[0];
  const more = finding.evidenceCount - 1;
  const evidence =
    first === undefined
      ? 'none anywhere'
      : `${cellText(evidenceLabel(finding, first))} ${location(first)}${more > 0 ? ` (+${more} more)` : ''}`;
  const definedAt = finding.definedAt ? location(finding.definedAt) : 'unknown';
  const cells = [
    cellCode(finding.id),
    cellText(kindLabel(finding.kind)),
    cellText(finding.verdict),
    cellText(finding.reasons.map(reasonText).join('; ')),
    evidence,
    definedAt,
  ];
  return `| ${cells.join(' | ')} |`;
}

function eventsSection(report: AuditReport): string[] {
  if (report.events.length === 0) return [];
  const shown = report.events.slice(0, EVENTS_SHOWN).map((event) => {
    const at = event.file !== undefined ? `${cellCode(`${event.file}${event.line !== undefined ? `:${event.line}` : ''}`)} ` : '';
    return `- ${cellText(event.kind)}: ${at}${cellText(event.message)}`;
  });
  const more = report.events.length - shown.length;
  return [
    `<details><summary>${counted(report.events.length, 'analysis event')} (what could not be loaded or parsed)</summary>`,
    '',
    ...shown,
    ...(more > 0 ? [`- ... ${more} more (see \`--format json\`)`] : []),
    '',
    '</details>',
    '',
  ];
}

/** One line of text: a line break would end the table row or list item it sits in. */
function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ');
}

/** Plain text in a table cell or list item: no Markdown or HTML in it takes effect. */
export function cellText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|~#&!]/g, (ch) => `\\${ch}`);
}

/**
 * A code span that survives any content: a fence longer than the longest backtick run inside,
 * and `\|`, which GFM tables unescape before the span is read.
 */
export function cellCode(text: string): string {
  const flat = oneLine(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function escapeHtml(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
