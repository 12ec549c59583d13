import { ts } from 'ts-morph';
import { callChain, objectEntries, stringValue, unwrap, type CallChain, type ChainLink } from '../../src/rules/helpers.js';
import type { RelationRef, RuleFileContext } from '../../src/rules/types.js';
import { readLink, readValue } from './links.js';
import { AGGREGATES, CTES, DELETES, INSERTS, JOINS, NEUTRAL, PROJECTIONS, SOURCES, TERMINALS, UPDATES, isBuilderMethod, isKnexHandle, knexTypedNames } from './methods.js';
import { Scope, type Refs, type Role } from '../../src/rules/query-builder.js';
import { fateOf, laterUses, mutationsProject } from './values.js';

export interface ReadOptions {
  /** The enclosing query of a subquery: qualifiers may name its relations. */
  parent?: Scope;
  /** Continue this query (grouped `where(function () {...})`, join `on`, `modify`). */
  scope?: Scope;
  /** Names standing for the builder inside a callback: `this`, its first parameter. */
  self?: ReadonlySet<string>;
  /** Inside `whereExists(...)`: the subquery's projection reads nothing. */
  inExists?: boolean;
}

interface Start {
  /** Index of the first builder method. */
  from: number;
  /** `knex('t')`: the table argument of the call itself. */
  table?: ts.Expression;
  /** The root is known to be knex (a handle name, or the builder of a callback). */
  known: boolean;
}

/** The query a chain builds, or undefined when it is not a knex query. */
export interface Read {
  scope: Scope;
  /** The last builder link: the query ends there (`.then(...)` and the like follow). */
  end: ChainLink;
}

const MAX_STORED_DEPTH = 5;

/**
 * Reads one knex chain: its relations (with their roles), the columns each method names, the
 * wildcard an unprojected select means, and the subqueries and callbacks inside it.
 */
export function readQuery(chain: CallChain, refs: Refs, options: ReadOptions = {}): Read | undefined {
  const begin = startOf(chain, options.self, knexTypedNames(refs.ctx.sourceFile));
  if (begin === undefined) return undefined;
  const links: ChainLink[] = [];
  for (const link of chain.links.slice(begin.from)) {
    if (link.method === undefined) return undefined;
    if (TERMINALS.has(link.method)) break;
    if (!isBuilderMethod(link.method)) {
      // A project's own builder extension (`QueryBuilder.extend('abortOnSignal', ...)`) after a
      // query on a known handle: the query is what came before it. On an unknown root the
      // chain may not be knex at all, so it is not read.
      if (begin.known && links.length > 0) break;
      return undefined;
    }
    links.push(link);
  }
  const end = links[links.length - 1] ?? chain.links[begin.from - 1];
  if (end === undefined) return undefined;

  const stored = options.scope === undefined && begin.table === undefined ? storedScope(chain.root, refs, 0) : undefined;
  // `Array.from(x).join(',')`, `console.table(x)`: on an unknown root, only query-shaped chains count.
  if (!begin.known && stored === undefined && (links.length < 2 || !links.some(distinctive))) return undefined;
  const inherited = options.scope ?? stored?.scope;
  const scope = inherited ?? new Scope(options.parent);
  if (options.inExists === true) scope.inExists = true;
  const mark = refs.mark();
  const sources = addSources(scope, begin.table, links, refs.ctx, refs);
  // No relation we can name (`knex(tableName)`): claiming the chain would hide its strings from name matching.
  if (scope.relations.length === 0) {
    refs.rollback(mark);
    return undefined;
  }

  const kind = statementKind(links);
  const main = scope.relations[0];
  if (stored !== undefined && kind !== 'read' && main !== undefined) refs.relation(main, kind, methodNode(end));
  for (const [index, { ref, node }] of sources.entries()) refs.relation(ref, index === 0 && inherited === undefined ? kind : 'read', node);
  for (const link of links) readLink(link, scope, refs, sources[0]?.node);

  if (kind === 'read' && options.scope === undefined && !scope.inExists) {
    const top = chain.links[chain.links.length - 1]!.call;
    const rootVariable = stored === undefined ? undefined : (unwrap(chain.root) as ts.Identifier).text;
    const projected =
      (stored?.projected ?? false) || links.some(projects) || (rootVariable !== undefined && mutationsProject(rootVariable, top, chainProjects));
    if (!projected && runs(top)) {
      const at = sources[0]?.node ?? methodNode(end);
      for (const ref of scope.relations) refs.wildcard(ref, at);
    }
  }
  return { scope, end };
}

/** Whether the finished chain is sent as is (a knex builder runs when awaited or `then`-ed). */
function runs(top: ts.CallExpression): boolean {
  const fate = fateOf(top);
  if (fate.kind !== 'stored') return fate.kind === 'runs';
  const uses = laterUses(fate.name, top, fate.after, chainProjects);
  return uses.runs && !uses.projected;
}

function chainProjects(top: ts.CallExpression): boolean {
  return callChain(top).links.some((link) => link.method !== undefined && projects(link));
}

function startOf(chain: CallChain, self: ReadonlySet<string> | undefined, typed: ReadonlySet<string>): Start | undefined {
  const [first, second] = chain.links;
  if (first === undefined) return undefined;
  const root = rootName(chain.root);
  if (self !== undefined && root !== undefined && self.has(root) && first.method !== undefined && isBuilderMethod(first.method)) {
    return { from: 0, known: true };
  }
  if (first.method === undefined) {
    // `getKnex()('t')`
    if (first.args.length === 0 && second !== undefined && second.method === undefined) {
      return second.args[0] === undefined ? undefined : { from: 2, table: second.args[0], known: isKnexHandle(root, typed) };
    }
    const table = first.args[0];
    return table === undefined ? undefined : { from: 1, table, known: isKnexHandle(root, typed) };
  }
  // `this.knex('t')`, `ctx.db('t')`
  if (!isBuilderMethod(first.method) && isKnexHandle(first.method, typed) && first.args[0] !== undefined) {
    return { from: 1, table: first.args[0], known: true };
  }
  return { from: 0, known: isKnexHandle(root, typed) };
}

/** `knex` → knex, `this.db` → db, `getKnex()` → getKnex, `this` → this. */
export function rootName(expression: ts.Expression): string | undefined {
  const expr = unwrap(expression);
  if (ts.isIdentifier(expr)) return expr.text;
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isCallExpression(expr)) return rootName(expr.expression);
  return undefined;
}

/**
 * `const q = knex('t').where(...)` then `q.select('a')`: the later chain continues the stored
 * query, whose relations it inherits (its own references were made where it was written).
 */
function storedScope(root: ts.Expression, refs: Refs, depth: number): { scope: Scope; projected: boolean } | undefined {
  const expr = unwrap(root);
  if (!ts.isIdentifier(expr) || depth > MAX_STORED_DEPTH) return undefined;
  const value = refs.ctx.valueOf(expr.text, expr.getStart(refs.ctx.sourceFile));
  if (value === undefined) return undefined;
  const target = unwrap(value);
  if (!ts.isCallExpression(target)) return undefined;
  const chain = callChain(target);
  const begin = startOf(chain, undefined, knexTypedNames(refs.ctx.sourceFile));
  if (begin === undefined) return undefined;
  const links = chain.links.slice(begin.from).filter((link) => link.method !== undefined && isBuilderMethod(link.method));
  const earlier = begin.table === undefined ? storedScope(chain.root, refs, depth + 1) : undefined;
  const scope = earlier?.scope ?? new Scope();
  // Registering sources again only names them; the stored chain made their references.
  addSources(scope, begin.table, links, refs.ctx, undefined);
  if (scope.relations.length === 0) return undefined;
  return { scope, projected: (earlier?.projected ?? false) || links.some(projects) };
}

/** Methods only a query builder has (sources and joins are also `Array.from`, `arr.join`). */
function distinctive(link: ChainLink): boolean {
  const method = link.method!;
  return !SOURCES.has(method) && !JOINS.has(method) && !NEUTRAL.has(method);
}

function statementKind(links: readonly ChainLink[]): Role {
  if (links.some((l) => INSERTS.has(l.method!) || UPDATES.has(l.method!))) return 'write';
  if (links.some((l) => DELETES.has(l.method!))) return 'delete';
  return 'read';
}

/** Methods that decide the select list, so no `select *` is sent. */
function projects(link: ChainLink): boolean {
  const method = link.method!;
  if (AGGREGATES.has(method) || method === 'pluck') return true;
  if (method === 'first' || method === 'distinct') return link.args.length > 0;
  return PROJECTIONS.has(method);
}

interface Source {
  ref: RelationRef;
  node: ts.Node;
}

/** Registers FROM/INTO/JOIN relations (and CTE names, the schema) before any column is read. */
function addSources(scope: Scope, table: ts.Expression | undefined, links: readonly ChainLink[], ctx: RuleFileContext, refs: Refs | undefined): Source[] {
  for (const link of links) {
    if (link.method === 'withSchema') scope.schema = stringValue(link.args[0], ctx) ?? scope.schema;
    if (CTES.has(link.method!)) {
      const name = stringValue(link.args[0], ctx);
      if (name !== undefined) scope.ctes.add(name);
    }
  }
  const out: Source[] = [];
  const add = (expression: ts.Expression | undefined): void => {
    if (expression === undefined) return;
    const expr = unwrap(expression);
    const text = stringValue(expr, ctx);
    if (text !== undefined) {
      const ref = scope.add(text);
      if (ref !== undefined) out.push({ ref, node: expr });
      return;
    }
    if (ts.isObjectLiteralExpression(expr)) {
      // `knex({ c: 'customers' }).select(...)`; without a method after it, it is knex's config.
      if (links.length === 0) return;
      for (const entry of objectEntries(expr)) {
        const value = unwrap(entry.value);
        if (!ts.isStringLiteralLike(value)) continue;
        const ref = scope.add(value.text, entry.key);
        if (ref !== undefined) out.push({ ref, node: value });
      }
      return;
    }
    // A subquery or callback: a derived table, read where it is written.
    scope.addOpaque(derivedAlias(expr));
    if (refs !== undefined) readValue(expr, scope.parent, refs, 'subquery');
  };
  add(table);
  for (const link of links) if (SOURCES.has(link.method!) || JOINS.has(link.method!)) add(link.args[0]);
  return out;
}

function derivedAlias(expr: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expr)) return undefined;
  const last = callChain(expr).links.at(-1);
  return last?.method === 'as' ? (last.args[0] && ts.isStringLiteralLike(last.args[0]) ? last.args[0].text : undefined) : undefined;
}

/** The name of a method in the source, where evidence for an argument-less call points. */
export function methodNode(link: ChainLink): ts.Node {
  const callee = unwrap(link.call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name : link.call;
}
