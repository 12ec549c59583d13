import type { Catalog } from '../catalog.js';
import type { Evidence, EvidenceKind, Finding } from '../match/types.js';
import type { AuditReport } from '../run.js';
import { dependentsOf, droppedAt } from './dependents.js';
import { FindingIndex } from './findings.js';
import { CatalogNames, createdEarlier, type CatalogObjectRef, type Resolution } from './resolve.js';
import type { ParsedScript, ScriptTarget } from './script.js';
import { checkSnapshots } from './snapshot-check.js';
import type { CheckDropsReport, Dependent, DropEvidence, DroppedObject } from './types.js';

export interface CheckDropsInput {
  /** The script as the user named it (printed, not read). */
  script: string;
  parsed: ParsedScript;
  /** An audit with `all: true`, so alive objects have findings too. */
  report: AuditReport;
  catalog: Catalog;
  /** The text of a line of a file under the audited root, for evidence. */
  sourceLine?: (file: string, line: number) => string | undefined;
}

/** Evidence kinds that can make an object alive (docs/verdicts.md). */
const LIVE_KINDS = new Set<EvidenceKind>(['sql', 'library', 'database', 'name-match']);
const WRITE_ROLES = new Set<Evidence['role']>(['write', 'delete', 'truncate']);

/** Judges every object a parsed drop script drops, renames or moves against an audit of the code. */
export function checkDrops(input: CheckDropsInput): CheckDropsReport {
  const { parsed, catalog } = input;
  const names = new CatalogNames(catalog);
  const findings = new FindingIndex(input.report.findings, catalog);

  const resolved = parsed.targets.map((target) => ({ target, resolution: resolveTarget(target, names, parsed) }));
  // Only real drops remove dependencies; a renamed or moved object keeps its views and keys.
  const dropped = new Map<string, number>();
  for (const { target, resolution } of resolved) {
    if (resolution.status !== 'found' || target.action === 'rename' || target.action === 'set-schema') continue;
    for (const o of resolution.objects) if (!dropped.has(o.id)) dropped.set(o.id, target.line);
  }

  const drops: DroppedObject[] = [];
  for (const { target, resolution } of resolved) {
    if (resolution.status !== 'found') {
      drops.push(assemble(target, { kind: target.kind, id: targetName(target), status: resolution.status, message: resolution.message }, []));
      continue;
    }
    for (const object of resolution.objects) {
      const judged = judge(object, findings, dropped, input.sourceLine);
      const dependents = dependentsOf(object, target, { catalog, dropped, verdictOf: (ref) => findings.find(ref)?.finding.verdict });
      drops.push(assemble(target, judged, dependents));
    }
  }

  const snapshots = checkSnapshots(parsed.snapshots, drops, names);
  const warnings = [...parsed.problems.filter((p) => p.kind !== 'parse-error'), ...snapshots.warnings].sort((a, b) => a.line - b.line);
  const errors = parsed.problems.filter((p) => p.kind === 'parse-error');
  const count = (status: DroppedObject['status']): number => drops.filter((d) => d.status === status).length;
  return {
    version: 1,
    script: input.script,
    ok: errors.length === 0 && drops.every(isSafe),
    summary: {
      dropped: drops.length,
      dead: count('dead'),
      alive: count('alive'),
      refused: count('refused'),
      unknown: count('unknown'),
      warnings: warnings.length,
      errors: errors.length,
    },
    drops,
    snapshots: snapshots.snapshots,
    warnings,
    errors,
  };
}

/** A drop that loses nothing: dead, the script's own object, or a no-op `IF EXISTS` on something absent. */
export function isSafe(drop: DroppedObject): boolean {
  return drop.status === 'dead' || drop.status === 'script-object' || (drop.status === 'unknown' && drop.ifExists);
}

function resolveTarget(target: ScriptTarget, names: CatalogNames, parsed: ParsedScript): Resolution {
  const resolution = names.resolve(target);
  if (resolution.status !== 'unknown') return resolution;
  const earlier = createdEarlier(target, parsed.created);
  if (earlier === undefined) {
    const hint = target.ifExists
      ? 'IF EXISTS makes it a no-op here; if the target database has it, check against that database (--db)'
      : 'Postgres would stop the script here, or the schema source is not the database the script targets';
    return { status: 'unknown', message: `${resolution.message}: ${hint}` };
  }
  return { status: 'script-object', message: `created or renamed into place at line ${earlier.line} of this script` };
}

interface Judged {
  kind: DroppedObject['kind'];
  id: string;
  status: DroppedObject['status'];
  message?: string;
  verdict?: DroppedObject['verdict'];
  confidence?: DroppedObject['confidence'];
  reasons?: DroppedObject['reasons'];
  foldedInto?: string;
  evidence?: DropEvidence[];
  evidenceCount?: number;
}

/** One report entry, fields in reading order. */
function assemble(target: ScriptTarget, judged: Judged, dependents: Dependent[]): DroppedObject {
  return {
    line: target.line,
    statement: target.statement,
    action: target.action,
    kind: judged.kind,
    id: judged.id,
    ...(target.newName !== undefined ? { newName: target.newName } : {}),
    status: judged.status,
    ...(judged.message !== undefined ? { message: judged.message } : {}),
    verdict: judged.verdict ?? null,
    confidence: judged.confidence ?? null,
    reasons: judged.reasons ?? [],
    ...(judged.foldedInto !== undefined ? { foldedInto: judged.foldedInto } : {}),
    evidence: judged.evidence ?? [],
    evidenceCount: judged.evidenceCount ?? 0,
    ifExists: target.ifExists,
    cascade: target.cascade,
    dependents,
  };
}

function targetName(target: ScriptTarget): string {
  const qualified = (n: { schema?: string; name: string }): string => (n.schema === undefined ? n.name : `${n.schema}.${n.name}`);
  const name = target.relation ? `${qualified(target.relation)}.${target.name.name}` : qualified(target.name);
  return target.args === undefined ? name : `${name}(${target.args.join(', ')})`;
}

function judge(object: CatalogObjectRef, findings: FindingIndex, dropped: ReadonlyMap<string, number>, sourceLine: CheckDropsInput['sourceLine']): Judged {
  const hit = findings.find(object);
  if (hit === undefined) {
    const message = findings.extensionOwned(object.id) ? 'owned by an extension, which dead-schema does not audit' : 'the audit has no verdict for it';
    return { kind: object.kind, id: object.id, status: 'unknown', message };
  }
  const { finding, foldedInto } = hit;
  const gathered = gatherEvidence(object, hit, findings);
  const evidence: DropEvidence[] = gathered.items.map((item) => {
    const text = sourceLine?.(item.file, item.line)?.trim();
    return text ? { ...item, source: text } : item;
  });
  const judged: Judged = {
    kind: object.kind,
    id: object.id,
    status: 'dead',
    verdict: finding.verdict,
    confidence: finding.confidence,
    reasons: finding.reasons,
    ...(foldedInto !== undefined ? { foldedInto, message: `judged with ${foldedInto}, which is ${finding.verdict}` } : {}),
    evidence,
    evidenceCount: gathered.count,
  };
  if (finding.verdict === 'alive') {
    // A table kept alive only by a foreign key from a column the script drops too is dead once the script has run.
    const carriers = gathered.complete ? onlyThroughDropped(gathered.items, dropped) : undefined;
    if (carriers !== undefined) return { ...judged, message: `alive only through ${carriers.join(', ')}, which this script drops too` };
    return { ...judged, status: 'alive' };
  }
  // The ORM names a declared column in its default selects and RETURNING lists, so the drop
  // breaks those queries until a deploy without the declaration has gone out.
  if (finding.reasons.includes('declared-in-model')) {
    const at = places(finding.evidence.filter((e) => e.kind === 'model'));
    return { ...judged, status: 'refused', message: `declared in a model${at}: remove it from the model, deploy, then drop it` };
  }
  // Nothing reads a write-only object, but its INSERTs and UPDATEs fail once it is gone: that is
  // how the incident's drop surfaced (`column "retry_delay_seconds" of relation "runs" does not exist`).
  if (finding.verdict === 'write-only') {
    const at = places(finding.evidence.filter((e) => WRITE_ROLES.has(e.role) && LIVE_KINDS.has(e.kind)));
    return { ...judged, status: 'refused', message: `still written${at}: remove the writes, deploy, then drop it` };
  }
  return judged;
}

/**
 * The evidence that explains a verdict. A table's own finding rarely carries it (code names
 * its columns), so a dropped relation also shows its columns' evidence, and an alive trigger
 * shows the writes that fire it. `complete` is false when the audit kept only the
 * strongest part of some finding's evidence.
 */
function gatherEvidence(object: CatalogObjectRef, hit: NonNullable<ReturnType<FindingIndex['find']>>, findings: FindingIndex): { items: DropEvidence[]; count: number; complete: boolean } {
  const items: DropEvidence[] = [...hit.finding.evidence];
  let count = hit.finding.evidenceCount;
  let complete = hit.finding.evidenceCount === hit.finding.evidence.length;
  const related = (id: string, finding: Finding, keep: (e: Evidence) => boolean): void => {
    const kept = finding.evidence.filter(keep);
    items.push(...kept.map((e) => ({ ...e, object: id })));
    count += kept.length;
    if (finding.evidenceCount !== finding.evidence.length) complete = false;
  };
  const isRelation = object.kind === 'table' || object.kind === 'view' || object.kind === 'materializedView';
  const relation = isRelation && hit.foldedInto === undefined ? findings.relation(object.id) : undefined;
  if (relation !== undefined) {
    for (const column of relation.columns) {
      const own = findings.find({ id: `${relation.id}.${column.name}`, kind: 'column' });
      // Primary-key columns are alive because their table is: that evidence explains nothing.
      if (own !== undefined && own.foldedInto === undefined) related(own.finding.id, own.finding, (e) => e.via !== 'primary key');
    }
  }
  const trigger = object.kind === 'trigger' && hit.foldedInto === undefined && hit.finding.verdict === 'alive' ? findings.trigger(object.id) : undefined;
  if (trigger !== undefined) {
    // What fires it: writes to its `UPDATE OF` columns, or to its table; each statement once.
    const writes = (e: Evidence): boolean => WRITE_ROLES.has(e.role) && (e.kind === 'sql' || e.kind === 'library');
    const seen = new Set<string>();
    const firstAt = (e: Evidence): boolean => {
      const key = `${e.file}:${e.line}`;
      if (!writes(e) || seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const sources = trigger.columns.length > 0 ? trigger.columns.map((c) => ({ id: `${trigger.relationId}.${c}`, kind: 'column' as const })) : [{ id: trigger.relationId, kind: 'table' as const }];
    for (const source of sources) {
      const own = findings.find(source);
      if (own !== undefined && own.foldedInto === undefined) related(source.id, own.finding, firstAt);
    }
  }
  // Live evidence first, in the audit's order; then the weak mentions.
  const live = items.filter((e) => LIVE_KINDS.has(e.kind));
  return { items: [...live, ...items.filter((e) => !LIVE_KINDS.has(e.kind))], count, complete };
}

/** The objects carrying every live use when each is a database object the script drops; otherwise undefined. */
function onlyThroughDropped(items: readonly DropEvidence[], dropped: ReadonlyMap<string, number>): string[] | undefined {
  const live = items.filter((e) => LIVE_KINDS.has(e.kind));
  if (live.length === 0) return undefined;
  const carriers = new Set<string>();
  for (const item of live) {
    if (item.kind !== 'database' || item.via === undefined || droppedAt(item.via, dropped) === undefined) return undefined;
    carriers.add(item.via);
  }
  return [...carriers].sort();
}

function places(items: Evidence[]): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, 3).map((e) => `${e.file}:${e.line}`);
  return ` at ${shown.join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
}
