import { ts } from 'ts-morph';
import { accessPath, callChain, listElements, objectEntries, stringValue, unwrap, type ChainLink } from '../../src/rules/helpers.js';
import { readBuilderLinks, readQuery, startOf } from './query.js';
import { isCallback, returnedExpressions, type Refs, type Scope } from '../../src/rules/query-builder.js';
import type { RuleRef } from '../../src/rules/types.js';

/** What a walk inside one query knows: its relations and the names the expression builder goes by. */
export interface Walk {
  refs: Refs;
  scope: Scope;
  /** Local name → expression-builder member: `eb` → 'eb', `({ ref, fn })` → 'ref', 'fn'. */
  eb: ReadonlyMap<string, string>;
  /** Inside `onConflict((oc) => ...)`: `column(s)` name the conflict target (reads), not inserted columns. */
  conflict?: boolean;
}

/** A reference string, or an expression that may contain references. */
export function refOrExpr(arg: ts.Expression | undefined, w: Walk): void {
  if (arg === undefined) return;
  if (!w.refs.column(w.scope, arg, 'read')) readExpr(arg, w);
}

/**
 * Any expression inside a query: subqueries, expression-builder calls, `sql.ref()`. Strings met
 * here without a known position are values (`eb('tier', '=', 'gold')`), not references.
 */
export function readExpr(node: ts.Node | undefined, w: Walk): void {
  if (node === undefined) return;
  if (ts.isCallExpression(node)) {
    readCall(node, w);
    return;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    readCallback(node, w, (returned, inner) => readExpr(returned, inner));
    return;
  }
  if (ts.isFunctionLike(node)) return;
  ts.forEachChild(node, (child) => readExpr(child, w));
}

/**
 * An expression-builder callback (`(eb) => ...`, `({ eb, or, ref }) => ...`): statements are
 * walked, and what it returns goes to `onReturn` (a select list, a row object, a condition).
 */
export function readCallback(fn: ts.ArrowFunction | ts.FunctionExpression, w: Walk, onReturn: (returned: ts.Expression, inner: Walk) => void): void {
  const eb = new Map(w.eb);
  const param = fn.parameters[0]?.name;
  if (param !== undefined && ts.isIdentifier(param)) eb.set(param.text, 'eb');
  if (param !== undefined && ts.isObjectBindingPattern(param)) {
    for (const element of param.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(element.name) && ts.isIdentifier(key)) eb.set(element.name.text, key.text);
    }
  }
  const inner: Walk = { ...w, eb };
  if (!ts.isBlock(fn.body)) {
    onReturn(fn.body, inner);
    return;
  }
  const returned = new Set(returnedExpressions(fn));
  const visit = (node: ts.Node): void => {
    if (ts.isExpression(node) && returned.has(node)) {
      onReturn(node, inner);
      return;
    }
    if (ts.isCallExpression(node) || isCallback(node)) {
      readExpr(node, inner);
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
}

/** A select-list item: `'a'`, `'t.a as b'`, a list of them, a callback returning them, an expression. */
export function projection(arg: ts.Expression, w: Walk, role: 'read' = 'read', output = true): void {
  const expr = unwrap(arg);
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of listElements(expr)) projection(element, w, role, output);
    return;
  }
  if (isCallback(expr)) {
    readCallback(expr, w, (returned, inner) => projection(returned, inner, role, output));
    return;
  }
  if (!w.refs.column(w.scope, expr, role, { output })) readExpr(expr, w);
}

/** Row objects of values/set/doUpdateSet: keys are written columns, values may read. */
/**
 * `set({ hits: eb('hits', '+', 1) })` compiles to `SET hits = hits + 1`: the old value only feeds
 * the new one, so, like the same SQL written by hand, it is not a read (docs/verdicts.md).
 */
function dropSelfReads(w: Walk, from: number, column: string): void {
  const isSelf = (ref: RuleRef): boolean =>
    ref.kind === 'use' && ref.role === 'read' && ref.name !== undefined && (ref.name === column || ref.name.endsWith(`.${column}`));
  const kept = w.refs.list.slice(from).filter((ref) => !isSelf(ref));
  w.refs.list.length = from;
  w.refs.list.push(...kept);
}

export function writePayload(arg: ts.Expression | undefined, w: Walk): void {
  if (arg === undefined) return;
  const expr = unwrap(arg);
  if (isCallback(expr)) {
    readCallback(expr, w, (returned, inner) => writePayload(returned, inner));
    return;
  }
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of listElements(expr)) writePayload(element, w);
    return;
  }
  if (ts.isConditionalExpression(expr)) {
    writePayload(expr.whenTrue, w);
    writePayload(expr.whenFalse, w);
    return;
  }
  if (ts.isCallExpression(expr) && isMapCall(expr)) {
    const fn = unwrap(expr.arguments[0]!) as ts.ArrowFunction;
    for (const returned of returnedExpressions(fn)) writePayload(returned, w);
    return;
  }
  const entries = objectEntries(expr, w.refs.ctx);
  for (const entry of entries) {
    w.refs.columnText(w.scope, entry.key, entry.keyNode, 'write');
    const before = w.refs.list.length;
    readExpr(entry.value, w);
    dropSelfReads(w, before, entry.key);
  }
  if (ts.isObjectLiteralExpression(expr)) {
    for (const spread of expr.properties.filter(ts.isSpreadAssignment)) writePayload(spread.expression, w);
  }
}

function isMapCall(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const fn = call.arguments[0] === undefined ? undefined : unwrap(call.arguments[0]);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'map' || callee.name.text === 'flatMap') && fn !== undefined && isCallback(fn);
}

/** One call chain inside a query: a subquery, an expression-builder operation, or something to look into. */
function readCall(call: ts.CallExpression, w: Walk): void {
  const chain = callChain(call);
  if (startOf(chain, w.eb) !== undefined) {
    if (readQuery(chain, w.refs, { parent: w.scope, eb: w.eb }) !== undefined) {
      w.refs.nested.push(call);
      return;
    }
  }
  const [first, ...rest] = chain.links;
  const op = first === undefined ? undefined : operationOf(chain.root, first, w.eb);
  if (first === undefined || op === undefined) {
    readExpr(chain.root, w);
    for (const link of chain.links) for (const arg of link.args) readExpr(arg, w);
    return;
  }
  w.refs.nested.push(call);
  applyOperation(op, first.args, w);
  for (const link of rest) applyWrapper(link, w);
}

/** `eb(...)` → 'eb()', `eb.ref(...)` / `ref(...)` → 'ref', `eb.fn.count(...)` → 'fn.count', `sql.ref(...)` → 'sql.ref'. */
function operationOf(root: ts.Expression, first: ChainLink, eb: ReadonlyMap<string, string>): string | undefined {
  const path = accessPath(root);
  if (path === undefined) return undefined;
  const [head, second] = path;
  if (head === 'sql' && path.length === 1 && first.method === 'ref') return 'sql.ref';
  // `db.dynamic.ref('p.age')`: a column named at run time, often handed to a helper.
  if (path.length >= 2 && path[path.length - 1] === 'dynamic' && first.method === 'ref') return 'ref';
  const member = head === undefined ? undefined : eb.get(head);
  if (member === undefined) return undefined;
  if (path.length === 2 && member === 'eb' && second === 'fn') return first.method === undefined ? undefined : `fn.${first.method}`;
  if (path.length !== 1) return undefined;
  if (member === 'eb') return first.method ?? 'eb()';
  if (member === 'fn') return first.method === undefined ? 'fn' : `fn.${first.method}`;
  return first.method === undefined ? member : undefined;
}

const COLUMN_FUNCTIONS = new Set(['fn.count', 'fn.sum', 'fn.avg', 'fn.min', 'fn.max', 'fn.any', 'fn.coalesce', 'refTuple']);

function applyOperation(op: string, args: readonly ts.Expression[], w: Walk): void {
  const [a, b, c] = args;
  switch (op) {
    case 'eb()':
    case 'cmpr':
      binary(args, w);
      return;
    case 'and':
    case 'or':
    case 'parens':
      if (args.length === 3) binary(args, w);
      else if (a !== undefined && ts.isObjectLiteralExpression(unwrap(a))) {
        for (const entry of objectEntries(a, w.refs.ctx)) {
          w.refs.columnText(w.scope, entry.key, entry.keyNode, 'read');
          readExpr(entry.value, w);
        }
      } else for (const arg of args) readExpr(arg, w);
      return;
    case 'ref':
    case 'sql.ref':
    case 'neg':
    case 'cast':
    case 'case':
      refOrExpr(a, w);
      return;
    case 'between':
    case 'betweenSymmetric':
      refOrExpr(a, w);
      readExpr(b, w);
      readExpr(c, w);
      return;
    case 'unary':
      refOrExpr(b, w);
      return;
    case 'table':
    case 'fn.jsonAgg':
    case 'fn.toJson':
      // A whole row (`jsonAgg('pet')`, `eb.table('pet')`): every column of that relation.
      if (a !== undefined && !wholeRow(a, w)) readExpr(a, w);
      return;
    case 'fn':
    case 'fn.agg':
      for (const element of listElements(b)) refOrExpr(element, w);
      return;
    case 'val':
    case 'lit':
    case 'tuple':
    case 'jsonPath':
    case 'fn.countAll':
      for (const arg of args) if (stringValue(arg, w.refs.ctx) === undefined) readExpr(arg, w);
      return;
    default:
      if (COLUMN_FUNCTIONS.has(op)) {
        for (const arg of args) refOrExpr(arg, w);
        return;
      }
      for (const arg of args) readExpr(arg, w);
  }
}

/** `(ref, operator, value)`: a reference on the left; the right side is a value or an expression. */
function binary(args: readonly ts.Expression[], w: Walk): void {
  refOrExpr(args[0], w);
  if (args.length === 3) readExpr(args[2], w);
  else for (const arg of args.slice(1)) readExpr(arg, w);
}

function wholeRow(arg: ts.Expression, w: Walk): boolean {
  const alias = stringValue(arg, w.refs.ctx);
  if (alias === undefined) return false;
  const hit = w.scope.lookup(alias);
  if (hit.ref !== undefined) w.refs.wildcard(hit.ref, unwrap(arg));
  return true;
}

/** Methods of what an expression-builder call returns (ExpressionWrapper, CaseBuilder, AggregateFunctionBuilder). */
function applyWrapper(link: ChainLink, w: Walk): void {
  const args = link.args;
  switch (link.method) {
    case 'or':
    case 'and':
    case 'when':
    case 'filterWhere':
      if (args.length === 3) binary(args, w);
      else for (const arg of args) readExpr(arg, w);
      return;
    case 'filterWhereRef':
      refOrExpr(args[0], w);
      refOrExpr(args[2], w);
      return;
    case 'orderBy':
    case 'withinGroupOrderBy':
      for (const element of listElements(args[0])) refOrExpr(element, w);
      return;
    case 'over': {
      const fn = args[0] === undefined ? undefined : unwrap(args[0]);
      if (fn !== undefined && isCallback(fn)) readBuilderCallback(fn, w);
      return;
    }
    case 'as':
    case 'end':
    case 'endCase':
    case 'distinct':
    case '$castTo':
    case '$notNull':
    case 'key':
    case 'at':
      return;
    default:
      for (const arg of args) readExpr(arg, w);
  }
}

/**
 * A callback given a builder on the same relations: `(join) => join.onRef(...)`,
 * `(qb) => qb.where(...)` in `$if`, `(oc) => oc.column(...)`, `(ob) => ob.partitionBy(...)`.
 */
export function readBuilderCallback(fn: ts.ArrowFunction | ts.FunctionExpression, w: Walk): void {
  const param = fn.parameters[0]?.name;
  const self = param !== undefined && ts.isIdentifier(param) ? param.text : undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = callChain(node);
      const root = unwrap(chain.root);
      if (self !== undefined && ts.isIdentifier(root) && root.text === self) {
        readBuilderLinks(chain.links, w);
        w.refs.nested.push(node);
      } else readExpr(node, w);
      return;
    }
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
}
