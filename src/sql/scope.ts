import { columnCandidates } from '../names/case.js';
import type { LookupRelation } from './types.js';

/** A base-table column a derived column was copied from. */
export interface Origin {
  relationId: string;
  column: string;
}

export interface OutputColumn {
  name: string | undefined;
  origins: Origin[];
  /** Produced by `*` or `t.*`: the select list read it only as a possible read (a wildcard). */
  fromStar?: boolean;
}

/** What a subquery, CTE or RETURNING list produces, as seen from the query that uses it. */
export interface DerivedShape {
  columns: OutputColumn[];
  /** It has columns we could not name (a star over an unknown relation, a record-returning function). */
  open: boolean;
  /** Relations it selected `*` from: a star or whole-row use of the shape reads these whole. */
  starIds: string[];
}

export type ScopeRel = ScopeRelKind & {
  /** Reachable only by name (RETURNING's old/new, ON CONFLICT's excluded): not for `*` or bare columns. */
  qualifiedOnly?: boolean;
};

type ScopeRelKind =
  | { kind: 'table'; alias: string; aliased: boolean; relation: LookupRelation; renamed: Map<string, string> | undefined }
  | { kind: 'derived'; alias: string; shape: DerivedShape }
  /**
   * placeholder: a hole filled the name; fragment: the table a fragment will be glued to;
   * missing: a name the schema does not have (temp table, typo); function: a set-returning function.
   */
  | { kind: 'unknown'; alias: string; why: 'placeholder' | 'fragment' | 'missing' | 'function' }
  /** ON CONFLICT's EXCLUDED row: its columns are already counted as INSERT writes. */
  | { kind: 'excluded'; alias: string };

export type ColumnLookup = { found: true; origins: Origin[] } | { found: false; unsure: boolean };

/** One query level: its FROM items and the CTE names it can see. Parent levels hold outer queries. */
export class Scope {
  readonly rels: ScopeRel[] = [];
  readonly ctes = new Map<string, DerivedShape>();

  constructor(readonly parent: Scope | undefined = undefined) {}

  /** A child level that sees this level's CTEs but starts with no FROM items. */
  child(): Scope {
    return new Scope(this);
  }

  /**
   * This level with only its FROM items from index `start` on, the same CTEs and outer levels:
   * what a JOIN's ON clause sees, or (start = all items) a non-LATERAL subquery in FROM.
   */
  from(start: number): Scope {
    const view = new Scope(this.parent);
    view.rels.push(...this.rels.slice(start));
    for (const [name, shape] of this.ctes) view.ctes.set(name, shape);
    return view;
  }

  findCte(name: string): DerivedShape | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const shape = scope.ctes.get(name);
      if (shape) return shape;
    }
    return undefined;
  }
}

export function lookupColumn(rel: ScopeRel, name: string): ColumnLookup {
  switch (rel.kind) {
    case 'table': {
      if (rel.renamed) {
        const base = rel.renamed.get(name);
        if (base !== undefined) return { found: true, origins: [{ relationId: rel.relation.id, column: base }] };
        if ([...rel.renamed.values()].includes(name)) return { found: false, unsure: false };
      }
      if (rel.relation.columns.includes(name)) {
        return { found: true, origins: [{ relationId: rel.relation.id, column: name }] };
      }
      // A quoted camelCase name the table lacks would fail in Postgres, so the client converted
      // it (postgres.js `transform: postgres.camel`, knexSnakeCaseMappers): its snake_case form is meant.
      if (/[A-Z]/.test(name)) {
        const snake = columnCandidates(name).find((candidate) => candidate !== name && rel.relation.columns.includes(candidate));
        if (snake !== undefined) return { found: true, origins: [{ relationId: rel.relation.id, column: snake }] };
      }
      return { found: false, unsure: false };
    }
    case 'derived': {
      const column = rel.shape.columns.find((candidate) => candidate.name === name);
      if (column) return { found: true, origins: column.origins };
      return { found: false, unsure: rel.shape.open };
    }
    case 'unknown':
      return { found: false, unsure: true };
    case 'excluded':
      return { found: false, unsure: false };
  }
}

/** Does `qualifier` (one or two names: alias, or schema + table) name this FROM item? */
function isNamedBy(rel: ScopeRel, qualifier: string[]): boolean {
  if (qualifier.length === 1) return rel.alias === qualifier[0];
  if (qualifier.length >= 2 && rel.kind === 'table' && !rel.aliased) {
    const [schema, name] = qualifier.slice(-2);
    return rel.relation.schema === schema && rel.relation.name === name;
  }
  return false;
}

export function findQualified(scope: Scope, qualifier: string[]): ScopeRel | undefined {
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    const rel = level.rels.find((candidate) => isNamedBy(candidate, qualifier));
    if (rel) return rel;
  }
  return undefined;
}

/** Every column a relation exposes, with where each came from: what `t.*` expands to. */
export function expandColumns(rel: ScopeRel): OutputColumn[] {
  switch (rel.kind) {
    case 'table': {
      const renamedBases = new Map([...(rel.renamed ?? new Map<string, string>())].map(([to, base]) => [base, to]));
      return rel.relation.columns.map((column) => ({
        name: renamedBases.get(column) ?? column,
        origins: [{ relationId: rel.relation.id, column }],
      }));
    }
    case 'derived':
      return rel.shape.columns;
    case 'unknown':
    case 'excluded':
      return [];
  }
}

export function emptyShape(open: boolean): DerivedShape {
  return { columns: [], open, starIds: [] };
}

/** Applies alias column names (`AS t(a, b)`, `WITH c(a, b) AS`) to a shape, first to last. */
export function renameColumns(shape: DerivedShape, names: string[]): DerivedShape {
  if (names.length === 0) return shape;
  const columns = shape.columns.map((column, index) => ({ ...column, name: names[index] ?? column.name }));
  for (let index = columns.length; index < names.length; index++) columns.push({ name: names[index], origins: [] });
  return { ...shape, columns };
}
