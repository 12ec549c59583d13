import { asArray, asString, bodyOf, isObject, stringList, stringNode, unwrap, type AstObject } from '../sql/ast.js';
import { display, rangeVar, type QualifiedName } from './names.js';

/** A source relation of a snapshot query, with the alias its columns are qualified by. */
export interface SnapshotSource {
  table: QualifiedName;
  alias?: string;
}

/**
 * A column reference in what a snapshot keeps: `star` for `*`/`t.*`, otherwise a column name
 * (or a bare alias, `to_jsonb(r)`, which keeps the whole row).
 */
export interface KeptRef {
  qualifier?: string;
  column?: string;
  star?: boolean;
}

/** Rows copied aside by the script, as written. */
export interface ScriptSnapshot {
  line: number;
  statement: string;
  into: string;
  sources: SnapshotSource[];
  kept: KeptRef[];
}

/**
 * The snapshot a statement takes, if it is one: CREATE TABLE ... AS SELECT, SELECT ... INTO,
 * INSERT INTO ... SELECT ... FROM, COPY (SELECT ...) TO and COPY table [(columns)] TO.
 */
export function snapshotOf(type: string, node: AstObject, line: number): ScriptSnapshot | undefined {
  switch (type) {
    case 'CreateTableAsStmt': {
      const into = isObject(node.into) ? rangeVar(node.into.rel) : undefined;
      const word = node.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW ... AS' : 'CREATE TABLE ... AS';
      return fromSelect(bodyOf(node.query, 'SelectStmt'), line, word, into ? display(into) : '?');
    }
    case 'SelectStmt': {
      const into = isObject(node.intoClause) ? rangeVar(node.intoClause.rel) : undefined;
      return into ? fromSelect(node, line, 'SELECT ... INTO', display(into)) : undefined;
    }
    case 'InsertStmt': {
      const into = rangeVar(node.relation);
      return fromSelect(bodyOf(node.selectStmt, 'SelectStmt'), line, 'INSERT INTO ... SELECT', into ? display(into) : '?');
    }
    case 'CopyStmt': {
      if (node.is_from === true) return undefined;
      const target = asString(node.filename) ?? (node.is_program === true ? 'a program' : 'STDOUT');
      const query = bodyOf(node.query, 'SelectStmt');
      if (query) return fromSelect(query, line, 'COPY (SELECT ...) TO', target);
      const table = rangeVar(node.relation);
      if (!table) return undefined;
      const attlist = stringList(node.attlist);
      const kept: KeptRef[] = attlist.length > 0 ? attlist.map((column) => ({ column })) : [{ star: true }];
      return { line, statement: 'COPY ... TO', into: target, sources: [{ table }], kept };
    }
  }
  return undefined;
}

function fromSelect(select: AstObject | undefined, line: number, statement: string, into: string): ScriptSnapshot | undefined {
  // VALUES lists and set operations copy no rows of one table we could check.
  if (!select || select.op !== undefined && select.op !== 'SETOP_NONE') return undefined;
  const sources: SnapshotSource[] = [];
  for (const item of asArray(select.fromClause)) collectSources(item, sources);
  if (sources.length === 0) return undefined;
  const kept: KeptRef[] = [];
  for (const item of asArray(select.targetList)) {
    const target = bodyOf(item, 'ResTarget');
    if (target) collectRefs(target.val, kept);
  }
  return { line, statement, into, sources, kept };
}

function collectSources(node: unknown, out: SnapshotSource[]): void {
  const range = bodyOf(node, 'RangeVar');
  if (range) {
    const table = rangeVar(range);
    const alias = isObject(range.alias) ? asString(range.alias.aliasname) : undefined;
    if (table) out.push(alias === undefined ? { table } : { table, alias });
    return;
  }
  const join = bodyOf(node, 'JoinExpr');
  if (join) {
    collectSources(join.larg, out);
    collectSources(join.rarg, out);
  }
}

/**
 * Every column an output expression names: a column kept through a cast, a function or a JSON
 * builder is still in the snapshot. Subqueries read other tables and are skipped.
 */
function collectRefs(node: unknown, out: KeptRef[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out);
    return;
  }
  if (!isObject(node)) return;
  const unwrapped = unwrap(node);
  if (unwrapped?.[0] === 'SubLink') return;
  if (unwrapped?.[0] === 'ColumnRef') {
    const fields = asArray(unwrapped[1].fields);
    const star = fields.some((f) => bodyOf(f, 'A_Star') !== undefined);
    const names = fields.map(stringNode).filter((n): n is string => n !== undefined);
    if (star) out.push(names.length > 0 ? { qualifier: names.at(-1)!, star: true } : { star: true });
    else if (names.length === 1) out.push({ column: names[0]! });
    else if (names.length >= 2) out.push({ qualifier: names.at(-2)!, column: names.at(-1)! });
    return;
  }
  for (const value of Object.values(node)) collectRefs(value, out);
}

/** What a snapshot keeps of one of its source tables: every column, or the named ones. */
export function keptColumns(snapshot: ScriptSnapshot, source: SnapshotSource, columns: readonly string[]): '*' | string[] {
  const names = new Set([source.alias ?? source.table.name]);
  if (source.alias === undefined && source.table.schema !== undefined) names.add(source.table.name);
  const kept = new Set<string>();
  for (const ref of snapshot.kept) {
    if (ref.star) {
      if (ref.qualifier === undefined || names.has(ref.qualifier)) return '*';
      continue;
    }
    const column = ref.column!;
    if (ref.qualifier !== undefined) {
      if (names.has(ref.qualifier) && columns.includes(column)) kept.add(column);
      continue;
    }
    // A bare alias is the whole row (`to_jsonb(r)`); otherwise an unqualified column belongs to
    // this source when it has a column by that name.
    if (names.has(column) && !columns.includes(column)) return '*';
    if (columns.includes(column)) kept.add(column);
  }
  return columns.filter((c) => kept.has(c));
}
