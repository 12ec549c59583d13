import type { CheckDropsReport, Dependent, DropEvidence, DroppedObject } from './types.js';
import { counted } from '../text/count.js';

// Enough to explain a live object at a glance; `dead-schema explain` prints all of it.
const EVIDENCE_SHOWN: Record<DroppedObject['status'], number> = { alive: 8, refused: 5, dead: 3, unknown: 0, 'script-object': 0 };

const STATUS_LABEL: Record<DroppedObject['status'], string> = {
  alive: 'ALIVE',
  refused: 'REFUSED',
  unknown: 'UNKNOWN',
  dead: 'dead',
  'script-object': 'script',
};

const DEPENDENCY_TEXT: Record<Dependent['kind'], string> = {
  view: 'a view that reads it',
  default: 'a column default that uses it',
  generated: 'a generated column that reads it',
  trigger: 'a trigger that runs it',
  foreignKey: 'a foreign key that references it',
  policy: 'a row-level security policy that reads it',
  columnType: 'a column of this type',
  sequenceOwner: 'a sequence it owns',
  triggerOn: 'a trigger on it',
};

/** The human-readable check-drops report; formatting only. */
export function formatCheckDrops(report: CheckDropsReport): string {
  const lines: string[] = [`check-drops ${report.script}: ${counted(report.summary.dropped, 'object')} dropped, renamed or moved`];
  for (const drop of report.drops) lines.push('', ...formatDrop(drop));
  if (report.drops.length === 0) lines.push('', 'The script drops, renames or moves no table, column, view, function, trigger, type or sequence.');
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ${report.script}:${w.line}: ${w.message}`);
  }
  if (report.errors.length > 0) {
    lines.push('', 'Errors:');
    for (const e of report.errors) lines.push(`  ${report.script}:${e.line}: ${e.message}`);
  }
  lines.push('', verdictLine(report));
  return `${lines.join('\n')}\n`;
}

function formatDrop(drop: DroppedObject): string[] {
  const renamed = drop.newName !== undefined ? ` -> ${drop.newName}` : '';
  const flags = `${drop.ifExists ? ' IF EXISTS' : ''}${drop.cascade ? ' CASCADE' : ''}`;
  const lines = [`${STATUS_LABEL[drop.status].padEnd(8)} ${drop.kind} ${drop.id}${renamed}  (line ${drop.line}: ${drop.statement}${flags})`];
  const indent = ' '.repeat(9);
  const verdict = drop.verdict === null ? undefined : drop.verdict === 'alive' ? 'alive' : `${drop.verdict}, confidence ${drop.confidence ?? '?'}`;
  const reasons = drop.reasons.length > 0 ? ` (${drop.reasons.join(', ')})` : '';
  if (verdict !== undefined) lines.push(`${indent}verdict: ${verdict}${reasons}`);
  if (drop.message !== undefined) lines.push(`${indent}${drop.message}`);

  const shown = drop.evidence.slice(0, EVIDENCE_SHOWN[drop.status]);
  if (shown.length > 0) {
    const heading = drop.status === 'alive' ? 'still used by' : drop.status === 'refused' ? 'evidence' : 'mentioned in';
    lines.push(`${indent}${heading} (${counted(drop.evidenceCount, 'piece')} of evidence, strongest first):`);
    const width = Math.max(...shown.map((e) => `${e.file}:${e.line}`.length));
    for (const item of shown) lines.push(`${indent}  ${evidenceLine(item, width, drop.id)}`);
    const more = drop.evidenceCount - shown.length;
    if (more > 0) lines.push(`${indent}  ... ${more} more: dead-schema explain ${drop.foldedInto ?? drop.id}`);
  }
  if (drop.dependents.length > 0) {
    lines.push(`${indent}database objects that depend on it:`);
    for (const d of drop.dependents) lines.push(`${indent}  ${dependentLine(d)}`);
  }
  return lines;
}

function evidenceLine(item: DropEvidence, width: number, dropped: string): string {
  const where = `${item.file}:${item.line}`.padEnd(width);
  const about = item.object === undefined ? '' : item.object.startsWith(`${dropped}.`) ? ` [${item.object.slice(dropped.length)}]` : ` [${item.object}]`;
  const via = `${about}${item.via !== undefined && (item.kind === 'database' || item.kind === 'dead-dependent') ? ` via ${item.via}` : ''}`;
  const source = item.source === undefined ? '' : `  ${item.source.length > 100 ? `${item.source.slice(0, 97)}...` : item.source}`;
  return `${item.role.padEnd(8)} ${item.kind.padEnd(14)} ${where}${via}${source}`;
}

function dependentLine(d: Dependent): string {
  const verdict = d.verdict !== undefined ? ` (${d.verdict})` : '';
  const through = d.through !== undefined ? `, through ${d.through}` : '';
  const later = d.droppedAtLine !== undefined ? ` (the script drops it only at line ${d.droppedAtLine}: drop it first)` : '';
  const effect =
    d.effect === 'blocks'
      ? `Postgres refuses the drop without CASCADE${later}`
      : d.effect === 'cascades'
        ? d.kind === 'foreignKey'
          ? 'CASCADE drops the foreign key'
          : `CASCADE drops it too${later}`
        : d.effect === 'drops-with-it'
          ? 'goes with it'
          : 'this script drops it too';
  return `${d.objectKind} ${d.id}${verdict}: ${DEPENDENCY_TEXT[d.kind]}${through}; ${effect}`;
}

function verdictLine(report: CheckDropsReport): string {
  const { summary } = report;
  const failing = [
    summary.alive > 0 ? `${summary.alive} alive` : '',
    summary.refused > 0 ? `${summary.refused} refused` : '',
    report.drops.some((d) => d.status === 'unknown' && !d.ifExists) ? `${report.drops.filter((d) => d.status === 'unknown' && !d.ifExists).length} unknown` : '',
  ].filter(Boolean);
  if (failing.length > 0) return `FAIL: ${failing.join(', ')} of ${counted(summary.dropped, 'dropped object')}; do not run this script as it is.`;
  if (summary.errors > 0) return `ERROR: ${counted(summary.errors, 'statement')} did not parse, so the script is not fully checked.`;
  const absent = report.drops.filter((d) => d.status === 'unknown').length;
  const own = report.drops.filter((d) => d.status === 'script-object').length;
  const parts = [`${summary.dead} dead`, absent > 0 ? `${absent} not in the schema (IF EXISTS)` : '', own > 0 ? `${own} made by this script` : ''].filter(Boolean);
  const warned = summary.warnings > 0 ? `; read the ${counted(summary.warnings, 'warning')} above` : '';
  return `OK: ${summary.dropped === 0 ? 'nothing is dropped' : `no dropped object is in use (${parts.join(', ')})`}${warned}.`;
}
