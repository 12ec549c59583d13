import type { Confidence, EvidenceKind, Reason } from './types.js';

/**
 * How liveness flows, in one place (issue 10, §10; docs/verdicts.md says the same in prose).
 *
 * Which object becomes alive from what:
 * - a table: SQL or a library call naming it or reading its columns, a live database object
 *   using it, or code naming the table or its model. Its columns' name matches only lower its
 *   confidence (`column-names-only`).
 * - a column: its own `makesAlive` evidence. A primary key lives with its table unless the
 *   table's ORM model no longer declares it (`primary-key`, medium).
 * - a column an ORM model of its table does not declare: name matches become `outside-model`.
 * - a foreign key reads the referenced column only while its own column is read or written.
 * - a type: a column of it that is read or written, or a live function taking or returning it;
 *   otherwise no surer than the weakest dead user (`weak-dependents`).
 * - a trigger: a write by the application (or a live function) matching its events; its
 *   function follows it, and is no surer dead than the trigger's table. A trigger whose function
 *   only notifies a channel is alive only while code LISTENs on it (`no-listener`, medium).
 * - views, function bodies, defaults, generated columns, policies: what they read is alive
 *   only while they are (src/match/internal.ts).
 */
export interface EvidenceRule {
  kind: EvidenceKind;
  /** Can make the object it is about alive. */
  makesAlive: boolean;
  /** On a column, also proves the column's table is used. */
  provesRelation: boolean;
  /** A statement the application sends: fires triggers, evaluates defaults. */
  sentByApplication: boolean;
  /** Only this kind is left: the reason a dead verdict gets, and how far it caps confidence. */
  weak?: { reason: Reason; cap: Confidence };
}

const rule = (kind: EvidenceKind, options: Partial<Omit<EvidenceRule, 'kind'>> = {}): EvidenceRule => ({
  kind,
  makesAlive: false,
  provesRelation: false,
  sentByApplication: false,
  ...options,
});

/** Every evidence kind, strongest first: the order `explain` and the JSON evidence lists use. */
export const EVIDENCE_RULES: readonly EvidenceRule[] = [
  rule('sql', { makesAlive: true, provesRelation: true, sentByApplication: true }),
  rule('library', { makesAlive: true, provesRelation: true, sentByApplication: true }),
  rule('library-owned', { makesAlive: true, provesRelation: true, sentByApplication: true }),
  rule('database', { makesAlive: true, provesRelation: true }),
  rule('model', { weak: { reason: 'declared-in-model', cap: 'medium' } }),
  rule('name-match', { makesAlive: true }),
  rule('outside-model', { weak: { reason: 'not-in-model', cap: 'medium' } }),
  rule('other-language', { weak: { reason: 'other-language-mentions', cap: 'medium' } }),
  rule('unresolved-model', { weak: { reason: 'near-unresolved-model', cap: 'medium' } }),
  rule('sql-ambiguous', { weak: { reason: 'ambiguous-reads', cap: 'low' } }),
  rule('wildcard', { weak: { reason: 'wildcard-only', cap: 'low' } }),
  rule('sql-token', { weak: { reason: 'unparsed-sql-mentions', cap: 'low' } }),
  rule('common-name', { weak: { reason: 'common-name-matches', cap: 'low' } }),
  rule('dead-dependent', { weak: { reason: 'only-dead-dependents', cap: 'high' } }),
  rule('test', { weak: { reason: 'only-tests', cap: 'medium' } }),
  rule('type', { weak: { reason: 'only-types', cap: 'medium' } }),
  rule('comment', { weak: { reason: 'only-comments', cap: 'high' } }),
];

/** Reasons that come from the object's situation rather than an evidence kind, and their caps. */
export const SITUATION_CAPS: Partial<Record<Reason, Confidence>> = {
  'dynamic-sql-in-file': 'medium',
  'column-names-only': 'medium',
  'primary-key': 'medium',
  replicated: 'medium',
  // A listener may live in another service.
  'no-listener': 'medium',
  'no-code-scanned': 'low',
};

const kinds = (test: (r: EvidenceRule) => boolean): ReadonlySet<EvidenceKind> => new Set(EVIDENCE_RULES.filter(test).map((r) => r.kind));
export const LIVE_KINDS = kinds((r) => r.makesAlive);
export const PROVES_RELATION = kinds((r) => r.provesRelation);
export const SENT_SQL = kinds((r) => r.sentByApplication);
export const STRENGTH_RANK: ReadonlyMap<EvidenceKind, number> = new Map(EVIDENCE_RULES.map((r, index) => [r.kind, index]));
