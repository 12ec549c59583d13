import { asArray, asNumber, asString, bodyOf, isObject, stringList, unwrap } from './ast.js';
import type { AstObject } from './ast.js';
import { emitRelation, typeName, walkExpr, type ExtractContext } from './expressions.js';
import { fragmentRelation } from './fragments.js';
import { lookupColumn, renameColumns, type Scope, type ScopeRel } from './scope.js';
import { isPlaceholderName } from './shape.js';
import type { RelationRole } from './types.js';

/** Adds FROM items (or UPDATE ... FROM, DELETE ... USING) to the scope, reporting relation reads. */
export function fromItems(ctx: ExtractContext, items: unknown, scope: Scope, role: RelationRole): void {
  for (const item of asArray(items)) fromItem(ctx, item, scope, role);
}

function fromItem(ctx: ExtractContext, item: unknown, scope: Scope, role: RelationRole): void {
  const unwrapped = unwrap(item);
  if (!unwrapped) return;
  const [type, body] = unwrapped;
  switch (type) {
    case 'RangeVar':
      scope.rels.push(rangeVar(ctx, body, scope, role));
      return;
    case 'RangeSubselect': {
      // Only a LATERAL subquery sees the FROM items before it; otherwise a bare name there binds to an outer query.
      const shape = ctx.subquery(body.subquery, body.lateral === true ? scope : scope.from(scope.rels.length));
      const alias = isObject(body.alias) ? body.alias : undefined;
      scope.rels.push({ kind: 'derived', alias: asString(alias?.aliasname) ?? '', shape: renameColumns(shape, stringList(alias?.colnames)) });
      return;
    }
    case 'RangeFunction':
      rangeFunction(ctx, body, scope);
      return;
    case 'JoinExpr':
      joinExpr(ctx, body, scope, role);
      return;
    case 'RangeTableSample':
      fromItem(ctx, body.relation, scope, role);
      walkExpr(ctx, [body.args, body.repeatable], scope);
      return;
    default: {
      walkExpr(ctx, body, scope);
      const alias = isObject(body.alias) ? asString(body.alias.aliasname) : undefined;
      scope.rels.push({ kind: 'unknown', alias: alias ?? '', why: 'function' });
    }
  }
}

/**
 * Resolves a relation name: a CTE when one is visible (CTE names shadow tables), else the schema,
 * else an unknown FROM item that still occupies the scope (so its columns are not misbound).
 */
export function rangeVar(
  ctx: ExtractContext,
  node: AstObject,
  scope: Scope,
  role: RelationRole,
  options: { cte: boolean } = { cte: true },
): ScopeRel {
  const name = asString(node.relname) ?? '';
  const schema = asString(node.schemaname);
  const aliasNode = isObject(node.alias) ? node.alias : undefined;
  const aliasName = asString(aliasNode?.aliasname);
  const alias = aliasName ?? name;
  if (isPlaceholderName(name) || (schema !== undefined && isPlaceholderName(schema))) {
    return { kind: 'unknown', alias, why: 'placeholder' };
  }
  if (name.startsWith(fragmentRelation) && schema === undefined) return { kind: 'unknown', alias, why: 'fragment' };
  if (options.cte && schema === undefined) {
    const cte = scope.findCte(name);
    if (cte) return { kind: 'derived', alias, shape: renameColumns(cte, stringList(aliasNode?.colnames)) };
  }
  const relation = ctx.lookup.resolveRelation(schema, name);
  if (!relation) return { kind: 'unknown', alias, why: 'missing' };
  emitRelation(ctx, relation.id, role, asNumber(node.location));
  const colnames = stringList(aliasNode?.colnames);
  const renamedColumns =
    colnames.length === 0
      ? undefined
      : new Map(colnames.flatMap((alias, index) => {
          const base = relation.columns[index];
          return base === undefined ? [] : [[alias, base] as [string, string]];
        }));
  return { kind: 'table', alias, aliased: aliasName !== undefined, relation, renamed: renamedColumns };
}

/** `FROM f(x) AS t(a, b)`: the call is reported; its columns are whatever the alias names (or unknown). */
function rangeFunction(ctx: ExtractContext, node: AstObject, scope: Scope): void {
  const columnNames: string[] = [];
  for (const item of asArray(node.functions)) {
    const [call, definitions] = asArray(bodyOf(item, 'List')?.items);
    walkExpr(ctx, call, scope);
    columnNames.push(...columnDefinitions(ctx, definitions));
  }
  columnNames.push(...columnDefinitions(ctx, node.coldeflist));
  const alias = isObject(node.alias) ? node.alias : undefined;
  const aliasName = asString(alias?.aliasname) ?? '';
  const aliasColumns = stringList(alias?.colnames);
  const names = aliasColumns.length > 0 ? aliasColumns : columnNames.length > 0 ? columnNames : aliasName ? [aliasName] : [];
  const declared = aliasColumns.length > 0 || columnNames.length > 0;
  scope.rels.push({
    kind: 'derived',
    alias: aliasName,
    shape: { columns: names.map((name) => ({ name, origins: [] })), open: !declared, starIds: [] },
  });
}

function columnDefinitions(ctx: ExtractContext, list: unknown): string[] {
  const names: string[] = [];
  for (const item of asArray(list)) {
    const column = bodyOf(item, 'ColumnDef');
    const name = asString(column?.colname);
    if (name !== undefined) names.push(name);
    if (isObject(column?.typeName)) typeName(ctx, column.typeName);
  }
  return names;
}

/** Both sides of a join join the scope; USING columns are read on both sides. */
function joinExpr(ctx: ExtractContext, join: AstObject, scope: Scope, role: RelationRole): void {
  const start = scope.rels.length;
  fromItem(ctx, join.larg, scope, role);
  const middle = scope.rels.length;
  fromItem(ctx, join.rarg, scope, role);
  const left = scope.rels.slice(start, middle);
  const right = scope.rels.slice(middle);
  let using = stringList(join.usingClause);
  if (join.isNatural === true) {
    const rightNames = new Set(right.flatMap(visibleColumns));
    using = [...new Set(left.flatMap(visibleColumns))].filter((name) => rightNames.has(name));
  }
  const anchor = firstLocation(join.rarg);
  for (const name of using) {
    const position = ctx.positionOfWord(name, anchor);
    for (const side of [left, right]) {
      for (const rel of side) {
        const found = lookupColumn(rel, name);
        if (!found.found) continue;
        for (const origin of found.origins) {
          ctx.refs.push({ kind: 'column', relationId: origin.relationId, column: origin.column, role: 'read', position, ambiguous: false });
        }
      }
    }
  }
  // ON sees the two sides of its join only: not earlier comma-separated items, not an UPDATE or DELETE target.
  walkExpr(ctx, join.quals, scope.from(start));
}

function visibleColumns(rel: ScopeRel): string[] {
  if (rel.kind === 'table') return rel.relation.columns;
  if (rel.kind === 'derived') return rel.shape.columns.flatMap((column) => (column.name === undefined ? [] : [column.name]));
  return [];
}

function firstLocation(node: unknown): number | undefined {
  const unwrapped = unwrap(node);
  if (!unwrapped) return undefined;
  const [, body] = unwrapped;
  const location = asNumber(body.location);
  if (location !== undefined && location >= 0) return location;
  for (const key of ['larg', 'rarg', 'relation', 'subquery']) {
    const nested = firstLocation(body[key]);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
