import { asArray, asNumber, asString, bodyOf, isObject, stringList, unwrap } from './ast.js';
import type { AstObject } from './ast.js';
import {
  emitGuess,
  emitOrigins,
  emitRelation,
  emitWholeRow,
  emitWrite,
  resolveColumnRef,
  walkExpr,
  type ExtractContext,
} from './expressions.js';
import { fromItems, rangeVar } from './from.js';
import {
  emptyShape,
  expandColumns,
  findQualified,
  lookupColumn,
  renameColumns,
  type DerivedShape,
  type OutputColumn,
  type Scope,
  type ScopeRel,
} from './scope.js';
import { functionBodyStatement } from './function-bodies.js';

/** Reports what one statement reads and writes; returns what it outputs (for CTEs and subqueries). */
export function statement(ctx: ExtractContext, node: unknown, outer: Scope): DerivedShape {
  const unwrapped = unwrap(node);
  if (!unwrapped) return emptyShape(true);
  const [type, body] = unwrapped;
  switch (type) {
    case 'SelectStmt':
      return selectStmt(ctx, body, outer);
    case 'InsertStmt':
      return insertStmt(ctx, body, outer);
    case 'UpdateStmt':
      return updateStmt(ctx, body, outer);
    case 'DeleteStmt':
      return deleteStmt(ctx, body, outer);
    case 'MergeStmt':
      return mergeStmt(ctx, body, outer);
    case 'TruncateStmt':
      for (const item of asArray(body.relations)) relationOnly(ctx, bodyOf(item, 'RangeVar'), 'truncate', outer);
      return emptyShape(false);
    case 'LockStmt':
      for (const item of asArray(body.relations)) relationOnly(ctx, bodyOf(item, 'RangeVar'), 'read', outer);
      return emptyShape(false);
    case 'RefreshMatViewStmt':
      relationOnly(ctx, objectOrUndefined(body.relation), 'read', outer);
      return emptyShape(false);
    case 'CopyStmt':
      copyStmt(ctx, body, outer);
      return emptyShape(false);
    case 'ExplainStmt':
    case 'PrepareStmt':
    case 'DeclareCursorStmt':
    case 'ViewStmt':
    case 'CreateTableAsStmt':
      return statement(ctx, body.query, outer);
    case 'CallStmt':
      walkExpr(ctx, { FuncCall: body.funccall }, outer);
      return emptyShape(false);
    case 'ListenStmt':
      // `LISTEN orders`: the channel, as a token, so a trigger notifying it has a listener (issue 10, §8).
      if (typeof body.conditionname === 'string') ctx.refs.push({ kind: 'token', name: body.conditionname, position: ctx.position(undefined) });
      return emptyShape(false);
    default:
      if (functionBodyStatement(ctx, type, body, outer, statement)) return emptyShape(false);
      walkExpr(ctx, body, outer);
      return emptyShape(true);
  }
}

function objectOrUndefined(value: unknown): AstObject | undefined {
  return isObject(value) ? value : undefined;
}

function relationOnly(ctx: ExtractContext, node: AstObject | undefined, role: 'read' | 'truncate', scope: Scope): void {
  if (node) rangeVar(ctx, node, scope, role);
}

function withClause(ctx: ExtractContext, clause: unknown, scope: Scope): void {
  if (!isObject(clause)) return;
  const recursive = clause.recursive === true;
  for (const item of asArray(clause.ctes)) {
    const cte = bodyOf(item, 'CommonTableExpr');
    const name = asString(cte?.ctename);
    if (!cte || name === undefined) continue;
    const aliases = stringList(cte.aliascolnames);
    if (recursive) {
      scope.ctes.set(name, { columns: aliases.map((alias) => ({ name: alias, origins: [] })), open: aliases.length === 0, starIds: [] });
    }
    scope.ctes.set(name, renameColumns(ctx.subquery(cte.ctequery, scope), aliases));
  }
}

function selectStmt(ctx: ExtractContext, select: AstObject, outer: Scope): DerivedShape {
  const scope = outer.child();
  withClause(ctx, select.withClause, scope);
  if (select.op !== undefined && select.op !== 'SETOP_NONE') {
    const left = isObject(select.larg) ? selectStmt(ctx, select.larg, scope) : emptyShape(true);
    const right = isObject(select.rarg) ? selectStmt(ctx, select.rarg, scope) : emptyShape(true);
    const shape: DerivedShape = {
      columns: left.columns.map((column, index) => ({
        name: column.name,
        origins: [...column.origins, ...(right.columns[index]?.origins ?? [])],
      })),
      open: left.open || right.open,
      starIds: [...left.starIds, ...right.starIds],
    };
    orderLike(ctx, select.sortClause, scope, outputNames(shape), true);
    walkExpr(ctx, [select.limitCount, select.limitOffset], scope);
    return shape;
  }
  if (Array.isArray(select.valuesLists)) {
    let width = 0;
    for (const list of select.valuesLists) {
      const items = asArray(bodyOf(list, 'List')?.items);
      width = Math.max(width, items.length);
      walkExpr(ctx, items, scope);
    }
    return { columns: Array.from({ length: width }, (_, index) => ({ name: `column${index + 1}`, origins: [] })), open: false, starIds: [] };
  }
  fromItems(ctx, select.fromClause, scope, 'read');
  const shape = targetList(ctx, select.targetList, scope);
  const names = outputNames(shape);
  walkExpr(ctx, [select.whereClause, select.havingClause, select.distinctClause], scope);
  orderLike(ctx, select.groupClause, scope, names, false);
  for (const item of asArray(select.windowClause)) walkExpr(ctx, item, scope);
  orderLike(ctx, select.sortClause, scope, names, true);
  walkExpr(ctx, [select.limitCount, select.limitOffset], scope);
  return shape;
}

/** Output columns by name: what a bare ORDER BY / GROUP BY name may mean. */
function outputNames(shape: DerivedShape): Map<string, OutputColumn[]> {
  const out = new Map<string, OutputColumn[]>();
  for (const column of shape.columns) if (column.name !== undefined) out.set(column.name, [...(out.get(column.name) ?? []), column]);
  return out;
}

/**
 * ORDER BY prefers output column names over input columns, GROUP BY the reverse; a bare name
 * that means an output column was already counted where the select list computed it, unless
 * `*` produced it: the star was only a possible read, and sorting by the column reads it.
 */
function orderLike(ctx: ExtractContext, items: unknown, scope: Scope, outputs: Map<string, OutputColumn[]>, outputFirst: boolean): void {
  for (const item of asArray(items)) {
    const sortBy = bodyOf(item, 'SortBy');
    const expr = sortBy ? sortBy.node : item;
    const ref = bodyOf(expr, 'ColumnRef');
    const names = ref ? stringList(ref.fields) : [];
    const name = names[0];
    const output = ref && names.length === 1 && name !== undefined && asArray(ref.fields).length === 1 ? outputs.get(name) : undefined;
    if (output !== undefined) {
      const isInput = scope.rels.some((rel) => lookupColumn(rel, name!).found);
      if (outputFirst || !isInput) {
        const [only] = output;
        if (output.length === 1 && only?.fromStar === true) emitOrigins(ctx, only.origins, 'read', asNumber(ref!.location), false);
        continue;
      }
    }
    walkExpr(ctx, expr, scope);
  }
}

/** The select list (or RETURNING list): reports reads and says what it outputs. */
export function targetList(ctx: ExtractContext, items: unknown, scope: Scope): DerivedShape {
  const shape: DerivedShape = { columns: [], open: false, starIds: [] };
  for (const item of asArray(items)) {
    const target = bodyOf(item, 'ResTarget');
    if (!target) continue;
    const ref = bodyOf(target.val, 'ColumnRef');
    const fields = asArray(ref?.fields);
    if (ref && fields.length > 0 && bodyOf(fields.at(-1), 'A_Star')) {
      const qualifier = stringList(fields);
      const rels =
        qualifier.length === 0
          ? scope.rels.filter((rel) => !rel.qualifiedOnly)
          : [findQualified(scope, qualifier)].filter((rel): rel is ScopeRel => rel !== undefined);
      for (const rel of rels) starOutput(shape, rel);
      resolveColumnRef(ctx, ref, scope);
      continue;
    }
    const origins = ref ? resolveColumnRef(ctx, ref, scope) : (walkExpr(ctx, target.val, scope), []);
    shape.columns.push({ name: asString(target.name) ?? inferredName(target.val), origins });
  }
  return shape;
}

function starOutput(shape: DerivedShape, rel: ScopeRel): void {
  shape.columns.push(...expandColumns(rel).map((column) => ({ ...column, fromStar: true })));
  if (rel.kind === 'table') shape.starIds.push(rel.relation.id);
  else if (rel.kind === 'derived') {
    shape.starIds.push(...rel.shape.starIds);
    shape.open ||= rel.shape.open;
  } else shape.open = true;
}

/** The column name Postgres gives an unnamed select-list entry (FigureColname, simplified). */
function inferredName(node: unknown): string | undefined {
  const unwrapped = unwrap(node);
  if (!unwrapped) return undefined;
  const [type, body] = unwrapped;
  switch (type) {
    case 'ColumnRef':
      return stringList(body.fields).at(-1);
    case 'FuncCall':
      return stringList(body.funcname).at(-1);
    case 'TypeCast':
      return inferredName(body.arg) ?? (isObject(body.typeName) ? stringList(body.typeName.names).at(-1) : undefined);
    case 'A_Indirection':
      return stringList(body.indirection).at(-1) ?? inferredName(body.arg);
    case 'CaseExpr':
      return 'case';
    case 'SubLink':
      return body.subLinkType === 'EXISTS_SUBLINK' ? 'exists' : undefined;
    default:
      return undefined;
  }
}

/** The target of INSERT/UPDATE/DELETE/MERGE, joined to its scope; CTE names cannot be targets. */
function targetRel(ctx: ExtractContext, relation: unknown, scope: Scope, role: 'write' | 'delete'): ScopeRel | undefined {
  if (!isObject(relation)) return undefined;
  return rangeVar(ctx, relation, scope, role, { cte: false });
}

function returning(ctx: ExtractContext, clause: unknown, scope: Scope, target: ScopeRel | undefined): DerivedShape {
  if (!isObject(clause)) return emptyShape(false);
  // RETURNING old.* / new.* (PG 18) name the target row before and after the change.
  if (target && target.kind !== 'excluded') {
    for (const alias of ['old', 'new']) if (target.alias !== alias) scope.rels.push({ ...target, alias, qualifiedOnly: true });
  }
  return targetList(ctx, clause.exprs, scope);
}

function insertStmt(ctx: ExtractContext, insert: AstObject, outer: Scope): DerivedShape {
  const scope = outer.child();
  withClause(ctx, insert.withClause, scope);
  const target = targetRel(ctx, insert.relation, scope, 'write');
  const source = insert.selectStmt === undefined ? undefined : ctx.subquery(insert.selectStmt, scope);
  const relationLocation = isObject(insert.relation) ? asNumber(insert.relation.location) : undefined;
  if (target) {
    const columns = asArray(insert.cols);
    if (columns.length > 0) {
      for (const item of columns) {
        const column = bodyOf(item, 'ResTarget');
        const name = asString(column?.name);
        if (column && name !== undefined) emitWrite(ctx, target, name, asNumber(column.location));
      }
    } else if (source) {
      writePositional(ctx, target, source, relationLocation);
    }
    scope.rels.push(target);
  }
  const conflict = isObject(insert.onConflictClause) ? insert.onConflictClause : undefined;
  if (conflict && target) {
    scope.rels.push({ kind: 'excluded', alias: 'excluded', qualifiedOnly: true });
    const infer = isObject(conflict.infer) ? conflict.infer : undefined;
    for (const element of asArray(infer?.indexElems)) {
      const index = bodyOf(element, 'IndexElem');
      const name = asString(index?.name);
      if (name !== undefined) readOn(ctx, target, name, ctx.positionOfWord(name, asNumber(infer?.location)));
      else walkExpr(ctx, index?.expr, scope);
    }
    walkExpr(ctx, infer?.whereClause, scope);
    setList(ctx, conflict.targetList, target, scope);
    walkExpr(ctx, conflict.whereClause, scope);
  }
  return returning(ctx, insert.returningClause, scope, target);
}

/** Reads a column of a relation at an already-mapped source position. */
function readOn(ctx: ExtractContext, rel: ScopeRel, name: string, position: number): void {
  const before = ctx.refs.length;
  if (rel.kind === 'unknown') {
    if (rel.why === 'fragment') emitGuess(ctx, name, 'read', undefined);
  } else {
    const found = lookupColumn(rel, name);
    if (found.found) emitOrigins(ctx, found.origins, 'read', undefined, false);
  }
  for (let index = before; index < ctx.refs.length; index++) (ctx.refs[index] as { position: number }).position = position;
}

/** INSERT without a column list fills columns in table order, as many as the source produces. */
function writePositional(ctx: ExtractContext, target: ScopeRel, source: DerivedShape, location: number | undefined): void {
  if (target.kind !== 'table') return;
  const columns = target.relation.columns;
  const count = source.open ? columns.length : Math.min(columns.length, source.columns.length);
  const position = ctx.position(location);
  for (const column of columns.slice(0, count)) {
    ctx.refs.push({ kind: 'column', relationId: target.relation.id, column, role: 'write', position, ambiguous: false });
  }
}

/** `SET a = x, (b, c) = (...)`: writes on the target, reads on the right-hand sides. */
function setList(ctx: ExtractContext, items: unknown, target: ScopeRel, scope: Scope): void {
  for (const item of asArray(items)) {
    const column = bodyOf(item, 'ResTarget');
    if (!column) continue;
    const name = asString(column.name);
    if (name !== undefined) emitWrite(ctx, target, name, asNumber(column.location));
    walkExpr(ctx, column.indirection, scope);
    const multi = bodyOf(column.val, 'MultiAssignRef');
    const before = ctx.refs.length;
    if (multi) {
      if (multi.colno === 1) walkExpr(ctx, multi.source, scope);
    } else walkExpr(ctx, column.val, scope);
    if (name !== undefined && !multi) dropSelfReads(ctx, before, target, name);
  }
}

/**
 * `SET hits = hits + 1`: the old value only feeds the new one, so no one reads it. A counter
 * nothing else reads is write-only (knex `increment`, Sequelize `increment` send exactly this).
 */
function dropSelfReads(ctx: ExtractContext, from: number, target: ScopeRel, name: string): void {
  if (target.kind !== 'table') return;
  const found = lookupColumn(target, name);
  if (!found.found) return;
  const self = new Set(found.origins.map((origin) => `${origin.relationId}.${origin.column}`));
  const kept = ctx.refs.slice(from).filter((ref) => !(ref.kind === 'column' && ref.role === 'read' && self.has(`${ref.relationId}.${ref.column}`)));
  ctx.refs.length = from;
  ctx.refs.push(...kept);
}

function updateStmt(ctx: ExtractContext, update: AstObject, outer: Scope): DerivedShape {
  const scope = outer.child();
  withClause(ctx, update.withClause, scope);
  const target = targetRel(ctx, update.relation, scope, 'write');
  if (target) scope.rels.push(target);
  fromItems(ctx, update.fromClause, scope, 'read');
  if (target) setList(ctx, update.targetList, target, scope);
  walkExpr(ctx, update.whereClause, scope);
  return returning(ctx, update.returningClause, scope, target);
}

function deleteStmt(ctx: ExtractContext, del: AstObject, outer: Scope): DerivedShape {
  const scope = outer.child();
  withClause(ctx, del.withClause, scope);
  const target = targetRel(ctx, del.relation, scope, 'delete');
  if (target) scope.rels.push(target);
  fromItems(ctx, del.usingClause, scope, 'read');
  walkExpr(ctx, del.whereClause, scope);
  return returning(ctx, del.returningClause, scope, target);
}

function mergeStmt(ctx: ExtractContext, merge: AstObject, outer: Scope): DerivedShape {
  const scope = outer.child();
  withClause(ctx, merge.withClause, scope);
  const target = targetRel(ctx, merge.relation, scope, 'write');
  fromItems(ctx, [merge.sourceRelation], scope, 'read');
  // WHEN NOT MATCHED [BY TARGET] has no target row: its condition and VALUES see the source only.
  const sourceOnly = scope.from(0);
  if (target) scope.rels.push(target);
  walkExpr(ctx, merge.joinCondition, scope);
  const relationLocation = isObject(merge.relation) ? asNumber(merge.relation.location) : undefined;
  for (const item of asArray(merge.mergeWhenClauses)) {
    const clause = bodyOf(item, 'MergeWhenClause');
    if (!clause || !target) continue;
    const sees = clause.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_TARGET' ? sourceOnly : scope;
    walkExpr(ctx, clause.condition, sees);
    if (clause.commandType === 'CMD_UPDATE') setList(ctx, clause.targetList, target, scope);
    else if (clause.commandType === 'CMD_DELETE' && target.kind === 'table') {
      emitRelation(ctx, target.relation.id, 'delete', relationLocation);
    } else if (clause.commandType === 'CMD_INSERT') {
      const values = asArray(clause.values);
      const columns = asArray(clause.targetList);
      if (columns.length > 0) setList(ctx, columns, target, scope);
      else writePositional(ctx, target, { columns: values.map(() => ({ name: undefined, origins: [] })), open: false, starIds: [] }, relationLocation);
      walkExpr(ctx, values, sees);
    }
  }
  return returning(ctx, merge.returningClause, scope, target);
}

function copyStmt(ctx: ExtractContext, copy: AstObject, outer: Scope): void {
  if (copy.query !== undefined) {
    statement(ctx, copy.query, outer);
    return;
  }
  if (!isObject(copy.relation)) return;
  const writes = copy.is_from === true;
  const rel = rangeVar(ctx, copy.relation, outer, writes ? 'write' : 'read', { cte: false });
  const location = asNumber(copy.relation.location);
  const columns = stringList(copy.attlist);
  if (columns.length === 0) {
    if (writes) writePositional(ctx, rel, emptyShape(true), location);
    else emitWholeRow(ctx, rel, location);
    return;
  }
  for (const name of columns) {
    const position = ctx.positionOfWord(name, location);
    if (writes) {
      const before = ctx.refs.length;
      emitWrite(ctx, rel, name, location);
      for (let index = before; index < ctx.refs.length; index++) (ctx.refs[index] as { position: number }).position = position;
    } else readOn(ctx, rel, name, position);
  }
}
