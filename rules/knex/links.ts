import { ts } from 'ts-morph';
import { callChain, listElements, objectEntries, resolveObject, stringValue, unwrap, type ChainLink } from '../../src/rules/helpers.js';
import {
  AGGREGATES,
  COLUMN_LISTS,
  COLUMN_PAIRS,
  CONDITIONS,
  CTES,
  EXISTS,
  JOINS,
  PROJECTIONS,
  RAW_CLAUSES,
  SET_OPERATIONS,
  SOURCES,
} from './methods.js';
import { methodNode, readQuery, rootName, type ReadOptions } from './query.js';
import { isCallback, Scope, type Refs } from '../../src/rules/query-builder.js';
import { payloadObjects } from '../_shared/payloads.js';

/** What one builder method's arguments mean, read against the query's relations. */
export function readLink(link: ChainLink, scope: Scope, refs: Refs, main: ts.Node | undefined): void {
  const method = link.method!;
  const args = link.args;
  if (SOURCES.has(method)) return;
  if (JOINS.has(method)) {
    const on = args[1];
    if (on !== undefined && isCallback(unwrap(on))) readCallback(unwrap(on) as ts.ArrowFunction, scope, refs, 'same');
    else if (on !== undefined && ts.isObjectLiteralExpression(unwrap(on))) pairs(on, scope, refs);
    else for (const arg of args.slice(1)) refs.column(scope, arg, 'read');
    return;
  }
  if (AGGREGATES.has(method)) {
    // `count('*', { as: 'n' })` counts rows: `*` reads no column, and the options object is not
    // a `{ alias: column }` list. `count('id as n')`, `count({ n: 'id' })` read their column.
    const [counted, options] = args;
    const countsRows = method.startsWith('count') && counted !== undefined && /^(?:\w+\.)?\*(?:\s+as\s+\w+)?$/i.test(stringValue(counted, refs.ctx) ?? '');
    if (counted !== undefined && !countsRows) projection(counted, scope, refs);
    const alias = stringValue(objectEntries(options).find((entry) => entry.key === 'as')?.value, refs.ctx);
    if (alias !== undefined) scope.outputs.add(alias);
    return;
  }
  if (PROJECTIONS.has(method)) {
    if (args.length === 0 && (method === 'select' || method === 'column' || method === 'columns' || method === 'distinct')) {
      for (const ref of scope.relations) refs.wildcard(ref, methodNode(link), scope);
    }
    for (const arg of args) projection(arg, scope, refs);
    return;
  }
  if (CONDITIONS.has(method)) {
    const [subject, ...values] = args;
    if (subject !== undefined) condition(subject, scope, refs);
    for (const value of values) readValue(value, scope, refs, 'subquery');
    return;
  }
  if (COLUMN_PAIRS.has(method)) {
    const [a, b, c] = args;
    if (args.length === 1 && a !== undefined) {
      if (isCallback(unwrap(a))) readCallback(unwrap(a) as ts.ArrowFunction, scope, refs, 'same');
      else pairs(a, scope, refs);
    } else {
      for (const side of args.length === 3 ? [a, c] : [a, b]) if (side !== undefined) refs.column(scope, side, 'read');
    }
    return;
  }
  if (COLUMN_LISTS.has(method)) {
    for (const arg of args) for (const element of listElements(arg)) refs.column(scope, element, 'read');
    return;
  }
  if (EXISTS.has(method)) {
    for (const arg of args) readValue(arg, scope, refs, 'exists');
    return;
  }
  if (RAW_CLAUSES.has(method)) {
    // The clause belongs to this query: its columns bind to the query's tables, not to "some table".
    if (args[0] !== undefined) refs.sql.push({ expression: args[0], fragment: true, bindings: 'question-and-named', from: scope.fromList() });
    return;
  }
  if (SET_OPERATIONS.has(method)) {
    for (const arg of args) for (const element of listElements(arg)) readValue(element, undefined, refs, 'subquery');
    return;
  }
  if (CTES.has(method)) {
    const body = args[args.length - 1];
    if (args.length > 1 && body !== undefined) readValue(body, scope, refs, 'subquery');
    return;
  }
  switch (method) {
    case 'insert':
    case 'upsert':
      writePayload(args[0], scope, refs);
      returning(args[1], scope, refs, main);
      return;
    case 'update':
      if (args[0] !== undefined && stringValue(args[0], refs.ctx) !== undefined) {
        refs.column(scope, args[0], 'write');
        if (args[1] !== undefined) readValue(args[1], scope, refs, 'subquery');
        returning(args[2], scope, refs, main);
      } else {
        writePayload(args[0], scope, refs);
        returning(args[1], scope, refs, main);
      }
      return;
    case 'increment':
    case 'decrement':
      if (args[0] !== undefined && !refs.column(scope, args[0], 'write')) writePayload(args[0], scope, refs);
      return;
    case 'del':
    case 'delete':
      returning(args[0], scope, refs, main);
      return;
    case 'returning':
      returning(args[0], scope, refs, main);
      return;
    case 'onConflict':
      for (const element of listElements(args[0])) refs.column(scope, element, 'read');
      return;
    case 'merge':
      // `merge()` updates the inserted columns, already written by `insert`.
      if (args[0] !== undefined && ts.isArrayLiteralExpression(unwrap(args[0]))) {
        for (const element of listElements(args[0])) refs.column(scope, element, 'write');
      } else if (args[0] !== undefined) writePayload(args[0], scope, refs);
      return;
    case 'orderBy':
      for (const element of listElements(args[0])) {
        const column = ts.isObjectLiteralExpression(unwrap(element)) ? objectEntries(element).find((e) => e.key === 'column')?.value : element;
        if (column !== undefined) refs.column(scope, column, 'read');
      }
      return;
    case 'modify': {
      const fn = args[0] === undefined ? undefined : unwrap(args[0]);
      if (fn !== undefined && isCallback(fn)) readCallback(fn, scope, refs, 'same');
      return;
    }
    default:
      return;
  }
}

/** A select-list item: `'a'`, `'t.a as b'`, `['a', 'b']`, `{ alias: 'col' }`, a subquery, `knex.raw`. */
function projection(arg: ts.Expression, scope: Scope, refs: Refs): void {
  const expr = unwrap(arg);
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of listElements(expr)) projection(element, scope, refs);
    return;
  }
  if (ts.isObjectLiteralExpression(expr)) {
    for (const entry of objectEntries(expr)) {
      scope.outputs.add(entry.key);
      if (!refs.column(scope, entry.value, 'read')) readValue(entry.value, scope, refs, 'subquery');
    }
    return;
  }
  if (!refs.column(scope, expr, 'read', { output: true })) readValue(expr, scope, refs, 'subquery');
}

/** The first argument of where/having: a column, `{ column: value }`, columns of a tuple, or a group. */
function condition(subject: ts.Expression, scope: Scope, refs: Refs): void {
  const expr = unwrap(subject);
  if (isCallback(expr)) {
    readCallback(expr, scope, refs, 'same');
    return;
  }
  // `where({ a: v })`, or `where(filters)` with a same-file `const filters = { a: v }`.
  const object = resolveObject(expr, refs.ctx);
  if (object !== undefined) {
    for (const entry of objectEntries(object)) {
      refs.columnText(scope, entry.key, entry.keyNode, 'read');
      readValue(entry.value, scope, refs, 'subquery');
    }
    return;
  }
  for (const element of listElements(expr)) if (!refs.column(scope, element, 'read')) readValue(element, scope, refs, 'subquery');
}

/** `{ 'a.id': 'b.a_id' }` in joins and `on`: both sides are columns. */
function pairs(arg: ts.Expression, scope: Scope, refs: Refs): void {
  for (const entry of objectEntries(arg)) {
    refs.columnText(scope, entry.key, entry.keyNode, 'read');
    refs.column(scope, entry.value, 'read');
  }
}

function writePayload(arg: ts.Expression | undefined, scope: Scope, refs: Refs): void {
  if (arg === undefined) return;
  for (const object of payloadObjects(arg, refs.ctx)) {
    for (const entry of objectEntries(object, refs.ctx)) {
      refs.columnText(scope, entry.key, entry.keyNode, 'write');
      readValue(entry.value, scope, refs, 'subquery');
    }
  }
}

function returning(arg: ts.Expression | undefined, scope: Scope, refs: Refs, main: ts.Node | undefined): void {
  if (arg === undefined) return;
  for (const element of listElements(arg)) {
    const text = stringValue(element, refs.ctx);
    // `returning('*')` returns the written relation only.
    if (text === '*') {
      const first = scope.relations[0];
      if (first !== undefined) refs.wildcard(first, main ?? element);
    } else refs.column(scope, element, 'read', { output: true });
  }
}

type CallbackMode = 'same' | 'subquery' | 'exists';

/**
 * A value position: a subquery chain, a callback building one, `knex.ref('col')`. Strings
 * here are values, not columns.
 */
export function readValue(value: ts.Expression, scope: Scope | undefined, refs: Refs, mode: CallbackMode): void {
  const expr = unwrap(value);
  if (isCallback(expr)) {
    readCallback(expr, scope ?? new Scope(), refs, mode);
    return;
  }
  findChains(expr, scope, refs, undefined, mode);
}

/** A callback given a builder: `function () { this.where(...) }` or `(qb) => qb.on(...)`. */
function readCallback(fn: ts.ArrowFunction | ts.FunctionExpression, scope: Scope, refs: Refs, mode: CallbackMode): void {
  const self = new Set<string>();
  if (ts.isFunctionExpression(fn)) self.add('this');
  const param = fn.parameters[0]?.name;
  if (param !== undefined && ts.isIdentifier(param)) self.add(param.text);
  findChains(fn.body, scope, refs, self, mode);
}

/** Reads every outermost call under `node` as a query, a `ref()` or, failing that, looks inside it. */
function findChains(node: ts.Node, scope: Scope | undefined, refs: Refs, self: ReadonlySet<string> | undefined, mode: CallbackMode): void {
  if (ts.isCallExpression(node)) {
    const chain = callChain(node);
    const last = chain.links[chain.links.length - 1];
    if (last?.method === 'ref' && chain.links.length === 1 && scope !== undefined && last.args[0] !== undefined) {
      refs.column(scope, last.args[0], 'read');
      refs.nested.push(node);
      return;
    }
    if (last?.method === 'raw' && chain.links.length === 1) return;
    const selfRooted = self !== undefined && self.has(rootName(chain.root) ?? '');
    const options: ReadOptions =
      selfRooted && mode === 'same'
        ? { ...(scope ? { scope } : {}), self: self! }
        : { ...(scope ? { parent: scope } : {}), ...(self ? { self } : {}), inExists: mode === 'exists' };
    const read = readQuery(chain, refs, options) ?? (selfRooted && scope !== undefined ? readQuery(chain, refs, { scope, self: self! }) : undefined);
    if (read !== undefined) {
      refs.nested.push(node);
      return;
    }
  }
  if (ts.isFunctionLike(node) && self === undefined) return;
  ts.forEachChild(node, (child) => findChains(child, scope, refs, self, mode));
}

