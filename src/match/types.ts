import type { CatalogObjectKind } from '../catalog.js';

export type EvidenceKind =
  | 'sql'
  | 'library'
  // A library that owns the table reads or writes it from node_modules (auth, queues, sessions).
  | 'library-owned'
  | 'database'
  | 'model'
  | 'name-match'
  | 'sql-ambiguous'
  | 'wildcard'
  | 'sql-token'
  | 'common-name'
  // A name match on a column of a table an ORM model maps, which the model does not declare.
  | 'outside-model'
  // A word in a file of another language (a Python or Go service sharing the database).
  | 'other-language'
  // An ORM model whose table the schema lacks, named almost like this table (a pluralisation off).
  | 'unresolved-model'
  | 'test'
  | 'type'
  | 'comment'
  | 'dead-dependent';

export type EvidenceRole = 'read' | 'write' | 'delete' | 'truncate' | 'call' | 'mention';

export interface Evidence {
  file: string;
  line: number;
  column: number;
  kind: EvidenceKind;
  role: EvidenceRole;
  /** The database object that carries a `database`/`dead-dependent` use, or the matched spelling of a name. */
  via?: string;
}

export type Verdict = 'alive' | 'write-only' | 'unreferenced';
export type Confidence = 'high' | 'medium' | 'low';

/** Higher is surer; one ordering for filtering, failing and capping. */
export const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = { high: 2, medium: 1, low: 0 };

export type Reason =
  | 'no-mentions'
  | 'only-comments'
  | 'only-tests'
  | 'only-types'
  | 'common-name-matches'
  | 'dynamic-sql-in-file'
  | 'wildcard-only'
  | 'ambiguous-reads'
  | 'unparsed-sql-mentions'
  | 'only-dead-dependents'
  // Write-only with nothing weaker to say: code writes it and nothing reads it.
  | 'only-writes'
  | 'declared-in-model'
  | 'table-never-written'
  // A type whose dead users (columns, functions) are themselves less certain: it follows the weakest.
  | 'weak-dependents'
  // A table nothing names, whose column names match properties in the code: a possible read.
  | 'column-names-only'
  // Only properties named like it match, and the ORM model of its table does not declare it.
  | 'not-in-model'
  // It is its table's primary key: dropping it needs a replacement key, and tools outside the code use keys.
  | 'primary-key'
  // A service in another language names it; its queries are not parsed.
  | 'other-language-mentions'
  // An ORM model whose table the schema lacks has a name this close to it: its uses may be this table's.
  | 'near-unresolved-model'
  // Its table is in a logical-replication publication (or has REPLICA IDENTITY FULL): a consumer outside the code receives it.
  | 'replicated'
  // A trigger whose function only notifies a channel that no code listens on.
  | 'no-listener'
  // The audit found no source file to scan and was told to go on (--allow-no-code).
  | 'no-code-scanned';

export interface Finding {
  kind: CatalogObjectKind;
  id: string;
  verdict: Verdict;
  /** How sure a dead verdict is; null for alive objects. */
  confidence: Confidence | null;
  reasons: Reason[];
  evidence: Evidence[];
  /** Evidence found in all; `evidence` keeps the strongest few of every kind, then the strongest others. */
  evidenceCount: number;
  /** How many pieces of evidence of each kind were found (all of them, not only those kept). */
  evidenceByKind?: Partial<Record<EvidenceKind, number>>;
  /** Migration file and line that created the object, when known. */
  definedAt?: { file: string; line: number };
  /** Why a dead finding is hidden from audits (only on findings kept for explain and check-drops). */
  suppressed?: string;
  /** With reason `no-listener`: the NOTIFY channel nothing in the code LISTENs on. */
  channel?: string;
  /** With reason `dynamic-sql-in-file`: the statements whose table is known only at run time. */
  dynamicSql?: { file: string; line: number }[];
}

/** Project-specific additions to the name-matching lists (config `names`). */
export interface NameMatching {
  /** More names too common to prove anything by themselves (`tenant`, `sku`). */
  commonNames?: readonly string[];
  /** More receivers that hold arguments or options rather than rows (`payload`, `dto`). */
  unrelatedReceivers?: readonly string[];
}

/** Per rule: how many files it ran on and how many of its references found a schema object. */
export interface LibraryStats {
  files: number;
  refs: number;
  unresolved: number;
}
