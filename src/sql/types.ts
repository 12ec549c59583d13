/**
 * Contracts between the code scanner (which finds SQL in source) and the SQL analyser
 * (which parses it and says what it reads and writes).
 */

/** A run of literal SQL text and where its first character sits in the source file (absolute offset). */
export interface SqlChunk {
  text: string;
  start: number;
}

/**
 * What the scanner knows about an interpolated `${}` hole. The analyser shapes the hole
 * into something the Postgres grammar accepts, using this and the SQL around it.
 */
export type SqlHole =
  /** A bound value (`${userId}` in a postgres.js template): becomes `$N` in value position. */
  | { kind: 'value'; start: number }
  /** A dynamic identifier whose text is known (`sql('users')`, `sql(tableName)` with a same-file const). */
  | { kind: 'identifier'; name: string; start: number }
  /** A nested SQL fragment the scanner could see (`${sql`AND a = ${x}`}` or a same-file `const where = sql`...``). */
  | { kind: 'fragment'; template: SqlTemplate; start: number }
  /** A postgres.js-style column helper (`sql(obj, 'a', 'b')`); columns undefined when not literal. */
  | { kind: 'columns'; columns: string[] | undefined; start: number }
  /** An expression whose text cannot be known statically: shaped by context. */
  | { kind: 'unknown'; text: string; start: number };

/** Literal chunks around holes: chunks.length === holes.length + 1. */
export interface SqlTemplate {
  chunks: SqlChunk[];
  holes: SqlHole[];
  /**
   * True when holes are plain JS string interpolation (`tx.unsafe(`...${x}...`)`):
   * there are no bound parameters, so a hole is text and `value` rarely applies.
   */
  interpolated?: boolean;
}

export type ColumnRole = 'read' | 'write';
export type RelationRole = 'read' | 'write' | 'delete' | 'truncate';

/** Resolves names against the loaded schema, honouring search_path. */
export interface SchemaLookup {
  /** A table, view or materialized view; schema undefined means search_path. */
  resolveRelation(schema: string | undefined, name: string): LookupRelation | undefined;
  /** Function ids matching the name (overloads), narrowed by argument count when possible. */
  resolveFunction(schema: string | undefined, name: string, argCount: number): string[];
  /** A user-defined type id (enum, composite, domain, range). */
  resolveType(schema: string | undefined, name: string): string | undefined;
  /** A sequence id. */
  resolveSequence(schema: string | undefined, name: string): string | undefined;
  /** Relation ids that have a column of this exact name (for unbound fragments and fallback tokens). */
  relationsWithColumn(column: string): string[];
}

export interface LookupRelation {
  id: string;
  schema: string;
  name: string;
  columns: string[];
}

/** Every reference carries the absolute source position it came from. */
export type SqlRef =
  | { kind: 'relation'; relationId: string; role: RelationRole; position: number }
  | {
      kind: 'column';
      relationId: string;
      column: string;
      role: ColumnRole;
      position: number;
      /** Bound by guess: several relations in scope have the name, or the scope was unknown. */
      ambiguous: boolean;
    }
  /** `*`, `t.*`, `RETURNING *`, `to_jsonb(t)`, row-valued `t`: every column may be read. */
  | { kind: 'wildcard'; relationId: string; position: number }
  | { kind: 'function'; functionIds: string[]; name: string; position: number }
  | { kind: 'type'; typeId: string; position: number }
  | { kind: 'sequence'; sequenceId: string; position: number }
  /**
   * A name in an unparsed (fallback) statement or a dynamic spot: the column or relation
   * may be meant, nothing more is known. Lowers confidence; never makes alive alone.
   */
  | { kind: 'token'; name: string; position: number };

export type SqlParseOutcome =
  /** Parsed as written (holes shaped). */
  | 'parsed'
  /** Parsed after wrapping as a fragment (`WHERE ...`, `AND ...`, a select list...). */
  | 'fragment'
  /** Did not parse; identifier tokens only, low confidence. */
  | 'fallback'
  /** Did not parse and is another database's dialect (ClickHouse, MySQL, ...): no refs. */
  | 'other-dialect';

export interface SqlAnalysis {
  outcome: SqlParseOutcome;
  refs: SqlRef[];
  /** Parser message for the first failed attempt when outcome is 'fallback'. */
  error?: string;
  /** Which dialect, when outcome is 'other-dialect'. */
  dialect?: string;
  /** True when some relation or column position was filled by an unknown hole (dynamic SQL). */
  dynamic: boolean;
}
