import type { CatalogObjectKind, DependencyKind } from '../catalog.js';
import type { Confidence, Evidence, Reason, Verdict } from '../match/types.js';

/**
 * What `dead-schema check-drops <file.sql> --format json` prints. Stable: CI jobs and review
 * bots read it, so fields are only ever added.
 */
export interface CheckDropsReport {
  version: 1;
  /** The script as given on the command line. */
  script: string;
  /** True when every dropped object is dead and every statement parsed: the script may run. */
  ok: boolean;
  summary: {
    /** Objects the script drops, renames or moves (one per catalog object; overloads count apart). */
    dropped: number;
    dead: number;
    alive: number;
    refused: number;
    unknown: number;
    warnings: number;
    errors: number;
  };
  drops: DroppedObject[];
  /** Rows copied aside before a drop, and whether each keeps the table's primary key. */
  snapshots: Snapshot[];
  warnings: ScriptProblem[];
  /** Statements that did not parse; the script cannot be checked while any remain. */
  errors: ScriptProblem[];
}

/**
 * - `dead`: the audit calls it dead; dropping it loses nothing code uses.
 * - `alive`: something still uses it (its evidence says what); the drop would break it.
 * - `refused`: dead, but a model still declares it, so the ORM still names it in queries.
 * - `unknown`: not in the audited schema.
 * - `script-object`: created or renamed to that name earlier in the same script.
 */
export type DropStatus = 'dead' | 'alive' | 'refused' | 'unknown' | 'script-object';

/** DROP, ALTER TABLE ... DROP COLUMN, RENAME (a soft drop of the old name), SET SCHEMA (a move). */
export type DropAction = 'drop' | 'drop-column' | 'rename' | 'set-schema';

/** The kinds a script can name: catalog kinds, and schemas (DROP SCHEMA, ALTER SCHEMA ... RENAME). */
export type TargetKind = CatalogObjectKind | 'schema';

export interface DroppedObject {
  /** 1-based line of the statement in the script. */
  line: number;
  /** The statement, shortened: `DROP TABLE`, `ALTER TABLE ... DROP COLUMN`, `ALTER TABLE ... RENAME COLUMN`. */
  statement: string;
  action: DropAction;
  /** The catalog object's kind, or the kind the statement names when the object is unknown. */
  kind: TargetKind;
  /** Catalog id, or the name as written (schema-qualified when it was) when unknown. */
  id: string;
  /** For renames and moves: the new name. */
  newName?: string;
  status: DropStatus;
  /** The audit verdict of the object, or of the object it is folded into. */
  verdict: Verdict | null;
  confidence: Confidence | null;
  reasons: Reason[];
  /** Strongest evidence first, each with its source line when it could be read. */
  evidence: DropEvidence[];
  evidenceCount: number;
  /** The finding that carries this object's verdict when it has none of its own (a column of a dead table). */
  foldedInto?: string;
  /** Why it is refused or unknown, or how it was resolved. */
  message?: string;
  ifExists: boolean;
  cascade: boolean;
  /** Database objects that need this one. */
  dependents: Dependent[];
}

export interface DropEvidence extends Evidence {
  /** The object this evidence is about when it is not the dropped one: a column of a dropped table, the table a trigger fires on. */
  object?: string;
  /** The trimmed source line, when readable. */
  source?: string;
}

/**
 * - `blocks`: Postgres refuses the statement without CASCADE.
 * - `cascades`: the statement has CASCADE, so Postgres drops it too (for a foreign key: the constraint).
 * - `drops-with-it`: goes away with the object by design (owned sequence, trigger on a dropped table).
 * - `dropped-by-script`: the script drops it first (an earlier line, or the same statement).
 */
export type DependentEffect = 'blocks' | 'cascades' | 'drops-with-it' | 'dropped-by-script';

export interface Dependent {
  /** Why it depends: a catalog dependency kind, or `triggerOn` for a trigger on the table/column. */
  kind: DependencyKind | 'triggerOn';
  id: string;
  objectKind: CatalogObjectKind;
  /** The object it depends on through (a column of a dropped table), when not the dropped object itself. */
  through?: string;
  /** The dependent's own audit verdict, when it has one. */
  verdict?: Verdict;
  effect: DependentEffect;
  /** The line of this script that drops the dependent, when it does. */
  droppedAtLine?: number;
}

export interface Snapshot {
  line: number;
  /** `CREATE TABLE ... AS`, `SELECT ... INTO`, `INSERT INTO ... SELECT`, `COPY ... TO`. */
  statement: string;
  /** Where the rows go: a table name, or the COPY target. */
  into: string;
  /** Catalog id of the table the rows come from. */
  from: string;
  /** Columns of `from` the snapshot keeps; `*` when it keeps every column. */
  columns: string[];
  primaryKey: string[];
  /** Primary-key columns the snapshot lacks; empty when it carries the full key. */
  missingKey: string[];
}

export interface ScriptProblem {
  kind: 'parse-error' | 'snapshot-missing-key' | 'snapshot-after-drop' | 'unsupported-statement';
  line: number;
  message: string;
}
