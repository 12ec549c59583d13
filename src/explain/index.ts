import leven from 'leven';
import type { Evidence, Finding } from '../match/types.js';
import type { SourceLine } from '../text/source-lines.js';

/** The groups `explain` prints evidence in, strongest kind of use first. */
export const EVIDENCE_GROUPS = [
  'write',
  'read',
  'database-internal',
  'model declaration',
  'wildcard',
  'possible read',
  'name match',
  'test',
  'type',
  'comment',
  'migration',
] as const;
export type EvidenceGroup = (typeof EVIDENCE_GROUPS)[number];

export function evidenceGroup(item: Evidence): EvidenceGroup {
  switch (item.kind) {
    case 'sql':
    case 'library':
    case 'library-owned':
      return item.role === 'read' || item.role === 'call' || item.role === 'mention' ? 'read' : 'write';
    case 'database':
    case 'dead-dependent':
      return 'database-internal';
    case 'model':
      return 'model declaration';
    case 'wildcard':
      return 'wildcard';
    case 'sql-ambiguous':
    case 'sql-token':
    case 'other-language':
    case 'unresolved-model':
      return 'possible read';
    case 'name-match':
    case 'common-name':
    case 'outside-model':
      return 'name match';
    case 'test':
      return 'test';
    case 'type':
      return 'type';
    case 'comment':
      return 'comment';
  }
}

/**
 * Finds the findings an id given on the command line means: an exact id, an id without its
 * schema (`runs.retry_delay_seconds` → `public.runs.retry_delay_seconds`), or a function without
 * its signature (`public.touch` → every overload).
 */
export function matchIds(wanted: string, findings: readonly Finding[]): Finding[] {
  const exact = findings.filter((f) => f.id === wanted);
  if (exact.length > 0) return exact;
  const withoutSchema = findings.filter((f) => f.id.slice(f.id.indexOf('.') + 1) === wanted);
  if (withoutSchema.length > 0) return withoutSchema;
  const overloads = (id: string): string => id.replace(/\(.*\)$/, '');
  return findings.filter((f) => f.id.endsWith(')') && (overloads(f.id) === wanted || overloads(f.id).slice(f.id.indexOf('.') + 1) === wanted));
}

/** Up to three ids closest to a mistyped one (edit distance on the id, and on the id without schema). */
export function suggestIds(wanted: string, findings: readonly Finding[]): string[] {
  const scored = findings.map((f) => {
    const short = f.id.slice(f.id.indexOf('.') + 1);
    return { id: f.id, score: Math.min(distance(wanted, f.id), distance(wanted, short)) };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((s) => s.id);
}

/** Ids far apart in length are never suggested, so their distance is not worth computing. */
function distance(a: string, b: string): number {
  return Math.abs(a.length - b.length) > 8 ? Number.POSITIVE_INFINITY : leven(a, b);
}

/** Every piece of evidence by group with its source line, then the verdict: what `explain` prints. */
/**
 * `displayPath` turns a root-relative path into the one printed (the CLI makes it relative to the
 * working directory, so a terminal can open it); the source line is still read by the original.
 */
export function formatExplanation(finding: Finding, source: SourceLine, displayPath: (file: string) => string = (file) => file): string {
  const lines: string[] = [`${finding.id} (${finding.kind})`];
  const groups = new Map<EvidenceGroup, Evidence[]>();
  for (const item of finding.evidence) {
    const group = evidenceGroup(item);
    const list = groups.get(group) ?? [];
    list.push(item);
    groups.set(group, list);
  }
  const located = (file: string, line: number, detail: string): string => {
    const text = source(file, line)?.trim();
    return `    ${displayPath(file)}:${line}${detail}${text ? `\n        ${text.length > 160 ? `${text.slice(0, 157)}...` : text}` : ''}`;
  };
  for (const group of EVIDENCE_GROUPS) {
    if (group === 'migration') {
      if (finding.definedAt === undefined) continue;
      lines.push(`  migration (defined at):`);
      lines.push(located(finding.definedAt.file, finding.definedAt.line, ''));
      continue;
    }
    const items = groups.get(group);
    if (items === undefined) continue;
    lines.push(`  ${group} (${items.length}):`);
    for (const item of items) {
      const detail = ` ${item.kind} ${item.role}${item.via ? ` via ${item.via}` : ''}`;
      lines.push(located(item.file, item.line, detail));
    }
  }
  // An alive object always carries what keeps it alive; "no evidence" belongs to dead ones only.
  if (finding.evidence.length === 0 && finding.verdict !== 'alive') lines.push('  no evidence anywhere: no SQL, library call, database object or name mentions it');
  const verdict = finding.verdict === 'alive' ? 'alive' : `${finding.verdict}, confidence ${finding.confidence}`;
  lines.push(`  verdict: ${verdict}${finding.reasons.length > 0 ? ` (reasons: ${finding.reasons.join(', ')})` : ''}`);
  for (const at of finding.dynamicSql ?? []) lines.push(`  dynamic SQL: ${at.file}:${at.line} builds a statement whose table is known only at run time, in a file that names this table`);
  if (finding.channel !== undefined) lines.push(`  no listener: nothing in the code LISTENs on channel "${finding.channel}" (SQL LISTEN, postgres.js sql.listen, pg-listen)`);
  if (finding.suppressed !== undefined) lines.push(`  hidden from audits: ${finding.suppressed}`);
  return lines.join('\n');
}
