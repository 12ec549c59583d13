import type { AuditReport } from '../run.js';
import type { CatalogObjectKind } from '../catalog.js';
import type { Confidence, Evidence, Finding, Reason, Verdict } from '../match/types.js';

/**
 * The words every human-facing reporter (sarif, markdown, github) uses for a finding, so a PR
 * annotation, a PR comment and a code-scanning alert say the same thing about the same object.
 */

const KIND_LABEL: Readonly<Record<CatalogObjectKind, string>> = {
  table: 'table',
  column: 'column',
  view: 'view',
  materializedView: 'materialized view',
  function: 'function',
  procedure: 'procedure',
  trigger: 'trigger',
  type: 'type',
  sequence: 'sequence',
};

const REASON_TEXT: Readonly<Record<Reason, string>> = {
  'no-mentions': 'nothing in the code or the database mentions it',
  'only-comments': 'only comments mention it',
  'only-tests': 'only test files mention it',
  'only-types': 'only type declarations mention it',
  'common-name-matches': 'its name appears only as a common name that other objects share',
  'dynamic-sql-in-file': 'a file that mentions its table builds SQL with a dynamic relation name',
  'wildcard-only': 'only wildcard reads (SELECT *, t.*, queries without a column list) may read it',
  'ambiguous-reads': 'only ambiguous unqualified column references may read it',
  'unparsed-sql-mentions': 'only SQL that did not parse mentions it',
  'only-writes': 'code writes it and nothing reads it',
  'only-dead-dependents': 'only dead views or functions use it',
  'declared-in-model': 'an ORM model declares it, which is not a use',
  'table-never-written': 'its table is never written, so it never fires',
  'column-names-only': 'nothing names the table; only property names matching its columns may read it',
  'weak-dependents': 'the dead columns or functions that use it are themselves uncertain, and it is no more certain than they are',
  'not-in-model': 'only properties named like it match, and the ORM model of its table does not declare it, so the ORM never reads it',
  'primary-key': 'it is its table\'s primary key: dropping it needs a replacement key, and tools outside the code use keys',
  'other-language-mentions': 'a file in another language (a Python or Go service, say) names it; its queries are not parsed',
  'near-unresolved-model': 'an ORM model maps to a table the schema lacks whose name is almost this one (a pluralisation off?); that model\'s uses may be this table\'s',
  'replicated': 'its table is published for logical replication (or has REPLICA IDENTITY FULL): a consumer outside the code receives its rows',
  'no-listener': 'its function only notifies a channel that no code LISTENs on (a listener may live in another service)',
  'no-code-scanned': 'no source file was scanned (--allow-no-code), so nothing could show it is used',
};

/** What each confidence level asks of the reader; the README's "Reading the verdicts" in one line. */
export const CONFIDENCE_ADVICE: Readonly<Record<Confidence, string>> = {
  high: 'no evidence of use: safe to plan a drop after a look at the evidence',
  medium: 'mentioned only in tests, types, or files with dynamic SQL: check those places',
  low: 'possibly read (wildcards, ambiguous or common names, unparsed SQL): a lead, not a verdict',
};

/**
 * Under `--since` every reported object is new in the branch: what each level asks of the
 * branch's author, who adds it, rather than drop advice for a schema's owner.
 */
export const SINCE_ADVICE: Readonly<Record<Confidence, string>> = {
  high: 'new in this branch and nothing reads or writes it: use it, or leave it out of the migration',
  medium: 'new, and only tests, types or files with dynamic SQL mention it: check that something will use it',
  low: 'new, and only possibly read (wildcards, common names, unparsed SQL): check before merging',
};

/** The advice for a report: drop advice for an audit, author advice for `--since`. */
export function adviceFor(report: AuditReport): Readonly<Record<Confidence, string>> {
  return report.stats.since === undefined ? CONFIDENCE_ADVICE : SINCE_ADVICE;
}

export const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'medium', 'low'];

/** Kinds in the order a reader expects them: relations, then their parts, then the rest. */
export const KIND_ORDER = Object.keys(KIND_LABEL) as CatalogObjectKind[];

export function kindLabel(kind: CatalogObjectKind): string {
  return KIND_LABEL[kind];
}

export function reasonText(reason: Reason): string {
  return REASON_TEXT[reason];
}

/** Dead findings only: alive objects (listed with --all) are not problems to annotate. */
export function deadFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.verdict !== 'alive');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The table a column id belongs to: `public.agents.name` → `public.agents`. */
export function tableOfColumn(columnId: string): string {
  return columnId.slice(0, columnId.lastIndexOf('.'));
}

/** `unreferencedColumn`, `writeOnlyMaterializedView`: stable because kinds and verdicts are a closed set. */
export function ruleId(kind: CatalogObjectKind, verdict: Verdict): string {
  const [first = '', ...rest] = verdict.split('-');
  return first + rest.map(capitalize).join('') + capitalize(kind);
}

/** What the verdict means for this kind of object, e.g. "nothing reads or writes it". */
export function verdictPhrase(kind: CatalogObjectKind, verdict: Verdict): string {
  if (verdict === 'alive') return 'something uses it';
  if (verdict === 'write-only') return 'code writes it but nothing reads it';
  if (kind === 'function' || kind === 'procedure') return 'nothing calls it';
  if (kind === 'trigger') return 'nothing fires it';
  return 'nothing reads or writes it';
}

/** For a rule title: "a column that nothing reads or writes", "a column that is written but never read". */
export function objectThat(kind: CatalogObjectKind, verdict: Verdict): string {
  const clause = verdict === 'write-only' ? 'is written but never read' : verdictPhrase(kind, verdict).replace(/ it$/, '');
  return `a ${kindLabel(kind)} that ${clause}`;
}

/** "Column public.agents.x is unreferenced (high confidence): nothing reads or writes it." */
export function whatText(finding: Finding): string {
  const confidence = finding.confidence === null ? '' : ` (${finding.confidence} confidence)`;
  return `${capitalize(kindLabel(finding.kind))} ${finding.id} is ${finding.verdict}${confidence}: ${verdictPhrase(finding.kind, finding.verdict)}.`;
}

/** "Why: only comments mention it." */
export function whyText(finding: Finding): string {
  if (finding.reasons.length === 0) return '';
  return `Why: ${finding.reasons.map((reason) => reasonText(reason) + reasonDetail(finding, reason)).join('; ')}.`;
}

/** What a reason is about in this finding, when the reason alone does not say: ` (channel "orders")`. */
export function reasonDetail(finding: Finding, reason: Reason): string {
  if (reason === 'no-listener' && finding.channel !== undefined) return ` (channel "${finding.channel}")`;
  const [first] = finding.dynamicSql ?? [];
  if (reason === 'dynamic-sql-in-file' && first !== undefined) return ` (${first.file}:${first.line}${finding.dynamicSql!.length > 1 ? ` and ${finding.dynamicSql!.length - 1} more` : ''})`;
  return '';
}

/** The next step, in the order it must happen: stop writing, stop declaring, then drop. */
export function todoText(finding: Finding): string {
  const explain = `dead-schema explain ${finding.id}`;
  const steps: string[] = [];
  if (finding.verdict === 'write-only') steps.push('remove the code that writes it and deploy');
  if (finding.reasons.includes('declared-in-model')) steps.push('remove it from the ORM model and deploy');
  steps.push('drop it in a migration');
  const plan = steps.join(', then ');
  switch (finding.confidence) {
    case 'high':
      if (finding.evidenceCount === 0) return `What to do: ${plan} (${explain} shows what was searched).`;
      return `What to do: look at the evidence (${explain}), then ${plan}.`;
    case 'medium':
      return `What to do: check the places listed by ${explain}; if none is a real use, ${plan}.`;
    default:
      return `What to do: treat this as a lead, not a verdict: check the possible reads listed by ${explain}; only if none is real, ${plan}.`;
  }
}

/** The last dotted part of an id without a function's argument list: what code spells. */
function ownName(id: string): string {
  const bare = id.replace(/\(.*\)$/s, '');
  return bare.slice(bare.lastIndexOf('.') + 1);
}

/** "sql read via public.v", "name-match read as soulMd": kind, role and what carried it. */
export function evidenceLabel(finding: Finding, evidence: Evidence): string {
  const via = evidence.via !== undefined && evidence.via !== ownName(finding.id) ? ` via ${evidence.via}` : '';
  return `${evidence.kind} ${evidence.role}${via}`;
}

export function evidenceLocation(evidence: Evidence): string {
  return `${evidence.file}:${evidence.line}`;
}

/** "comment mention src/a.ts:5; type mention src/b.ts:11 (+3 more)", or "none anywhere". */
export function evidenceSummary(finding: Finding, limit: number): string {
  if (finding.evidence.length === 0) return 'none anywhere';
  const shown = finding.evidence.slice(0, limit).map((e) => `${evidenceLabel(finding, e)} ${evidenceLocation(e)}`);
  const more = finding.evidenceCount - shown.length;
  return `${shown.join('; ')}${more > 0 ? ` (+${more} more)` : ''}`;
}
