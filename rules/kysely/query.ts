import { ts } from 'ts-morph';
import { callChain, listElements, stringValue, unwrap, type CallChain, type ChainLink } from '../../src/rules/helpers.js';
import type { RelationRef, RuleFileContext } from '../../src/rules/types.js';
import { projection, readBuilderCallback, readCallback, readExpr, refOrExpr, writePayload, type Walk } from './expressions.js';
import {
  BUILDER_CALLBACKS,
  CONDITIONS,
  EXTRA_SOURCES,
  JOINS,
  PRELUDE,
  PROJECTIONS,
  REF_LISTS,
  REF_PAIRS,
  STARTS,
  SUBQUERIES,
  TERMINALS,
  WILDCARDS,
  WRITES,
  isBuilderMethod,
} from './methods.js';
import { isCallback, relationRef, Scope, type Refs } from '../../src/rules/query-builder.js';

export interface ReadOptions {
  /** The enclosing query of a subquery: qualifiers may name its relations. */
  parent?: Scope;
  /** Expression-builder names in force where the chain is written. */
  eb?: ReadonlyMap<string, string>;
}

export interface Read {
  /** The last builder link: the query ends there (`execute()` and the like follow). */
  end: ChainLink;
}

const MAX_STORED_DEPTH = 5;

/**
 * Where a chain starts a statement: `db.selectFrom(...)` (after any `with`/`withSchema`), or a
 * destructured `selectFrom(...)` of an expression-builder callback.
 */
export function startOf(chain: CallChain, eb: ReadonlyMap<string, string> | undefined): { index: number; method: string } | undefined {
  const root = unwrap(chain.root);
  const first = chain.links[0];
  if (first?.method === undefined && ts.isIdentifier(root)) {
    const member = eb?.get(root.text);
    if (member !== undefined && STARTS.has(member)) return { index: 0, method: member };
  }
  const index = chain.links.findIndex((link) => link.method !== undefined && STARTS.has(link.method));
  if (index < 0 || chain.links.slice(0, index).some((link) => link.method === undefined || !PRELUDE.has(link.method))) return undefined;
  return { index, method: chain.links[index]!.method! };
}

/**
 * Reads one Kysely chain: the statement's relations with their roles, the references each method
 * makes, and the subqueries and callbacks inside it. A chain continuing a builder kept in a
 * same-file variable (`query = query.where(...)`) is read with that builder's relations.
 */
export function readQuery(chain: CallChain, refs: Refs, options: ReadOptions = {}): Read | undefined {
  const start = startOf(chain, options.eb);
  const links: ChainLink[] = [];
  for (const [index, link] of chain.links.entries()) {
    if (start !== undefined && index === start.index) {
      links.push(link);
      continue;
    }
    if (link.method === undefined) return undefined;
    if (TERMINALS.has(link.method)) break;
    if (!isBuilderMethod(link.method)) return undefined;
    links.push(link);
  }
  const end = links[links.length - 1];
  if (end === undefined) return undefined;
  const eb = options.eb ?? new Map<string, string>();

  if (start === undefined) {
    const stored = storedScope(chain.root, refs.ctx, 0);
    if (stored === undefined) return undefined;
    readBuilderLinks(links, { refs, scope: stored, eb });
    return { end };
  }

  const scope = new Scope(options.parent);
  const w: Walk = { refs, scope, eb };
  const mark = refs.mark();
  const prelude = links.slice(0, start.index);
  const body = links.slice(start.index);
  for (const link of prelude) readPrelude(link, w);
  const sources = addSources(scope, body, start.index === 0 && links[0]!.method === undefined ? start.method : undefined, refs.ctx, w);
  // No relation we can name (`selectFrom(tableName)`, a CTE): claiming the chain would hide its
  // strings from name matching. Subqueries inside are visited again on their own.
  if (scope.relations.length === 0 && start.method !== 'selectNoFrom') {
    refs.rollback(mark);
    return undefined;
  }
  const kind = STARTS.get(start.method) ?? 'read';
  for (const [index, { ref, node }] of sources.entries()) refs.relation(ref, index === 0 ? kind : 'read', node);
  readBuilderLinks(body, w);
  return { end };
}

/** `with('name', (qc) => ...)` and `withSchema('s')`. */
function readPrelude(link: ChainLink, w: Walk): void {
  if (link.method === 'withSchema') {
    w.scope.schema = stringValue(link.args[0], w.refs.ctx) ?? w.scope.schema;
    return;
  }
  if (link.method === 'with' || link.method === 'withRecursive') {
    const name = stringValue(link.args[0], w.refs.ctx);
    // `with('totals(customer_id, total)', ...)`: the CTE is named before its column list.
    if (name !== undefined) w.scope.ctes.add(name.split('(')[0]!.trim());
    const cte = link.args[link.args.length - 1];
    if (link.args.length > 1 && cte !== undefined) readExpr(cte, w);
  }
}

interface Source {
  ref: RelationRef;
  node: ts.Node;
}

/** Registers the statement's tables, joins and extra FROM/USING relations before any reference is read. */
function addSources(scope: Scope, links: readonly ChainLink[], destructured: string | undefined, ctx: RuleFileContext, w: Walk | undefined): Source[] {
  const out: Source[] = [];
  const add = (arg: ts.Expression | undefined): void => {
    for (const element of listElements(arg)) {
      const text = stringValue(element, ctx);
      if (text !== undefined) {
        const ref = scope.add(text);
        if (ref !== undefined) out.push({ ref, node: unwrap(element) });
        continue;
      }
      // A derived table: `(eb) => eb.selectFrom(...).as('x')` or `db.selectFrom(...).as('x')`.
      scope.addOpaque(derivedAlias(unwrap(element)));
      if (w !== undefined) readExpr(element, { ...w, scope: scope.parent ?? new Scope() });
    }
  };
  for (const [index, link] of links.entries()) {
    const method = index === 0 && destructured !== undefined ? destructured : link.method;
    if (method === undefined || method === 'selectNoFrom') continue;
    if (STARTS.has(method) || JOINS.has(method) || EXTRA_SOURCES.has(method)) add(link.args[0]);
  }
  return out;
}

function derivedAlias(expr: ts.Expression): string | undefined {
  const body = isCallback(expr) && !ts.isBlock(expr.body) ? unwrap(expr.body) : expr;
  if (!ts.isCallExpression(body)) return undefined;
  const last = callChain(body).links.at(-1);
  return last?.method === 'as' ? (last.args[0] && ts.isStringLiteralLike(last.args[0]) ? last.args[0].text : undefined) : undefined;
}

/**
 * `let query = db.selectFrom('customers')...; query = query.where(...)`: the relations of the
 * builder a same-file variable holds (registered only; its own chain made the references).
 */
function storedScope(root: ts.Expression, ctx: RuleFileContext, depth: number): Scope | undefined {
  const expr = unwrap(root);
  if (!ts.isIdentifier(expr) || depth > MAX_STORED_DEPTH) return undefined;
  const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
  const target = value === undefined ? undefined : unwrap(value);
  if (target === undefined || !ts.isCallExpression(target)) return undefined;
  const chain = callChain(target);
  const start = startOf(chain, undefined);
  if (start === undefined) return storedScope(chain.root, ctx, depth + 1);
  const scope = new Scope();
  addSources(scope, chain.links.slice(start.index), undefined, ctx, undefined);
  return scope.relations.length > 0 ? scope : undefined;
}

/** Reads builder methods in order (a statement's body, or a builder callback's calls). */
export function readBuilderLinks(links: readonly ChainLink[], w: Walk): void {
  for (const link of links) readLink(link, w);
}

function readLink(link: ChainLink, w: Walk): void {
  const method = link.method;
  const args = link.args;
  const [a, b, c] = args;
  // `selectNoFrom(...)` takes a select list, not a table.
  if (method === 'selectNoFrom') {
    for (const arg of args) projection(arg, w);
    return;
  }
  if (method === undefined || STARTS.has(method) || PRELUDE.has(method)) return;
  if (JOINS.has(method) || EXTRA_SOURCES.has(method)) {
    // The table was registered; `using(t, a, b)` / `innerJoin(t, a, b)` / `innerJoin(t, (join) => ...)`.
    const on = b === undefined ? undefined : unwrap(b);
    if (on !== undefined && isCallback(on)) readBuilderCallback(on, w);
    else for (const side of [b, c]) if (side !== undefined) refOrExpr(side, w);
    return;
  }
  if (PROJECTIONS.has(method)) {
    for (const arg of args) projection(arg, w);
    return;
  }
  if (WILDCARDS.has(method)) {
    wildcard(link, w);
    return;
  }
  if (CONDITIONS.has(method)) {
    if (args.length >= 2) {
      refOrExpr(a, w);
      readExpr(args.length === 3 ? c : b, w);
    } else if (a !== undefined && isCallback(unwrap(a))) {
      readCallback(unwrap(a) as ts.ArrowFunction, w, (returned, inner) => readExpr(returned, inner));
    } else readExpr(a, w);
    return;
  }
  if (REF_PAIRS.has(method)) {
    refOrExpr(a, w);
    refOrExpr(c, w);
    return;
  }
  if (method === 'orderBy') {
    for (const element of listElements(a)) projection(element, w, 'read', false);
    return;
  }
  if (REF_LISTS.has(method)) {
    // An insert's `columns([...])` lists written columns; the conflict builder's name the target.
    const writes = (method === 'column' || method === 'columns') && w.conflict !== true;
    for (const arg of args) {
      for (const element of listElements(arg)) {
        if (!writes) projection(element, w, 'read', false);
        else if (!w.refs.column(w.scope, element, 'write')) readExpr(element, w);
      }
    }
    return;
  }
  if (WRITES.has(method)) {
    if (args.length === 2 && stringValue(a, w.refs.ctx) !== undefined) {
      w.refs.column(w.scope, a!, 'write');
      readExpr(b, w);
    } else writePayload(a, w);
    return;
  }
  if (SUBQUERIES.has(method)) {
    for (const arg of args) readExpr(arg, w);
    return;
  }
  if (BUILDER_CALLBACKS.has(method)) {
    const fn = args.length === 0 ? undefined : unwrap(args[args.length - 1]!);
    if (fn !== undefined && isCallback(fn)) readBuilderCallback(fn, method === 'onConflict' ? { ...w, conflict: true } : w);
    else for (const arg of args) readExpr(arg, w);
  }
}

/** `selectAll()` / `returningAll()`: every relation in scope; `selectAll('x')` / `selectAll(['x', 'y'])`: those. */
function wildcard(link: ChainLink, w: Walk): void {
  const [arg] = link.args;
  if (arg === undefined) {
    const callee = unwrap(link.call.expression);
    const at = ts.isPropertyAccessExpression(callee) ? callee.name : link.call;
    for (const ref of w.scope.relations) w.refs.wildcard(ref, at);
    return;
  }
  for (const element of listElements(arg)) {
    const alias = stringValue(element, w.refs.ctx);
    if (alias === undefined) continue;
    const hit = w.scope.lookup(alias);
    if (hit.found) {
      if (hit.ref !== undefined) w.refs.wildcard(hit.ref, unwrap(element));
    } else w.refs.wildcard(relationRef(alias, w.scope.schema), unwrap(element));
  }
}
