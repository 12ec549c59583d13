import { ts } from 'ts-morph';
import { callChain, isChainTop, stringValue, textStartOf, unwrap, type CallChain } from './helpers.js';
import type { HookResult, RelationRef, RuleFileContext, RuleRef, RuleSqlSite, UseRole } from './types.js';

/**
 * The alias scope and reference collector shared by query-builder rules (knex, Kysely): both name
 * tables and columns in strings (`'schema.table as alias'`, `'t.col as alias'`, `'col desc'`,
 * `'t.*'`) and nest subqueries and callbacks that see the enclosing query's aliases.
 */

/** Reference strings query builders parse: `schema.table as alias`, `t.col as alias`, `col`, `t.*`, `col desc`. */
const ID = '[A-Za-z_][A-Za-z0-9_$]*';
const TABLE = new RegExp(`^\\s*(?:(${ID})\\.)?(${ID})(?:\\s+as\\s+(${ID}))?\\s*$`, 'i');
const COLUMN = new RegExp(`^\\s*(?:(${ID})\\.)?(?:(${ID})\\.)?(${ID}|\\*)(?:\\s+as\\s+(${ID})|\\s+(?:asc|desc))?\\s*$`, 'i');

/**
 * A relation named in code. camelCase names only exist when a mapper snake_cases them (objection's
 * knexSnakeCaseMappers, a custom wrapIdentifier, Kysely's CamelCasePlugin), so those go to the
 * core as model names, which it resolves as written, then snake_case.
 */
export function relationRef(name: string, schema: string | undefined): RelationRef {
  if (/[A-Z]/.test(name)) return { model: name };
  return schema === undefined ? { table: name } : { table: name, schema };
}

/** The relations one query (or subquery) can see, by the name code qualifies columns with. */
export class Scope {
  /** Alias or table name → relation; undefined for CTEs and derived tables. */
  private readonly names = new Map<string, RelationRef | undefined>();
  /** Relations an unqualified column may belong to. */
  readonly relations: RelationRef[] = [];
  /** `select('a as total')`: later `orderBy('total')` names the output, not a column. */
  readonly outputs = new Set<string>();
  readonly ctes = new Set<string>();
  /** A derived table or CTE is in FROM: an unqualified column may come from it. */
  opaque = false;
  /** An EXISTS subquery: what it selects is never read. */
  inExists = false;
  schema: string | undefined;

  constructor(readonly parent?: Scope) {}

  /** Registers `schema.table as alias`; returns the relation, or undefined for a CTE or a non-name. */
  add(text: string, alias?: string): RelationRef | undefined {
    const match = TABLE.exec(text);
    if (match === null) return undefined;
    const [, schema, name, as] = match as unknown as [string, string | undefined, string, string | undefined];
    const visible = alias ?? as ?? name;
    if (schema === undefined && this.isCte(name)) {
      this.names.set(visible, undefined);
      this.opaque = true;
      return undefined;
    }
    const ref = relationRef(name, schema ?? this.schema);
    this.names.set(visible, ref);
    if (schema !== undefined && as === undefined && alias === undefined) this.names.set(`${schema}.${name}`, ref);
    this.relations.push(ref);
    return ref;
  }

  /** This query's tables with the aliases code uses for them (camelCase model names and CTEs left out). */
  fromList(): { table: string; schema?: string; alias?: string }[] {
    const out: { table: string; schema?: string; alias?: string }[] = [];
    for (const [visible, ref] of this.names) {
      if (ref === undefined || !('table' in ref) || visible.includes('.')) continue;
      const entry: { table: string; schema?: string; alias?: string } = { table: ref.table };
      if (ref.schema !== undefined) entry.schema = ref.schema;
      if (visible !== ref.table) entry.alias = visible;
      out.push(entry);
    }
    return out;
  }

  /** A derived table (`.from(subquery.as('x'))`): its columns are not ours to name. */
  addOpaque(alias: string | undefined): void {
    if (alias !== undefined) this.names.set(alias, undefined);
    this.opaque = true;
  }

  private isCte(name: string): boolean {
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) if (scope.ctes.has(name)) return true;
    return false;
  }

  /** The relation a qualifier names here or in an enclosing query (correlated subqueries). */
  lookup(qualifier: string): { found: boolean; ref?: RelationRef } {
    for (let scope: Scope | undefined = this; scope !== undefined; scope = scope.parent) {
      if (scope.names.has(qualifier)) {
        const ref = scope.names.get(qualifier);
        return ref === undefined ? { found: true } : { found: true, ref };
      }
    }
    return { found: false };
  }
}

export type Role = UseRole;

/** Collects the references one visited chain makes. */
export class Refs {
  readonly list: RuleRef[] = [];
  readonly sql: RuleSqlSite[] = [];
  /** Chains read as part of an enclosing chain: the core visits them again and must get nothing. */
  readonly nested: ts.Node[] = [];

  constructor(readonly ctx: RuleFileContext) {}

  /** A point to roll back to when a chain read halfway turns out not to be a query. */
  mark(): { list: number; nested: number; sql: number } {
    return { list: this.list.length, nested: this.nested.length, sql: this.sql.length };
  }

  rollback(mark: ReturnType<Refs['mark']>): void {
    this.list.length = mark.list;
    this.nested.length = mark.nested;
    this.sql.length = mark.sql;
  }

  relation(ref: RelationRef, role: Role, node: ts.Node): void {
    this.list.push({ kind: 'use', relations: [ref], role, position: textStartOf(node, this.ctx) });
  }

  wildcard(ref: RelationRef, node: ts.Node, scope?: Scope): void {
    if (scope?.inExists === true) return;
    this.list.push({ kind: 'wildcard', relation: ref, position: textStartOf(node, this.ctx) });
  }

  /** A column reference written as a string (`'c.loyalty_tier as tier'`); false when it is not one. */
  column(scope: Scope, node: ts.Expression, role: Role, options: { output?: boolean } = {}): boolean {
    const text = stringValue(node, this.ctx);
    if (text === undefined) return false;
    return this.columnText(scope, text, unwrap(node), role, options);
  }

  columnText(scope: Scope, text: string, node: ts.Node, role: Role, options: { output?: boolean } = {}): boolean {
    const match = COLUMN.exec(text);
    if (match === null) return false;
    const [, first, second, name, alias] = match as unknown as [string, string | undefined, string | undefined, string, string | undefined];
    if (options.output === true && alias !== undefined) scope.outputs.add(alias);
    const relations = this.qualify(scope, first, second, name);
    if (relations === undefined) return true;
    if (name === '*') {
      for (const ref of relations) this.wildcard(ref, node, scope);
      return true;
    }
    this.list.push({ kind: 'use', relations, name, role, position: textStartOf(node, this.ctx) });
    return true;
  }

  /** The relations `a.b.name`, `b.name` or `name` may belong to; undefined when unknown. */
  private qualify(scope: Scope, first: string | undefined, second: string | undefined, name: string): RelationRef[] | undefined {
    if (second !== undefined) return [relationRef(second, first)];
    if (first !== undefined) {
      const hit = scope.lookup(first);
      if (hit.found) return hit.ref === undefined ? undefined : [hit.ref];
      // `excluded.col` in an upsert is the proposed row, not a stored value.
      if (first === 'excluded') return undefined;
      // Not an alias we saw (a table of an enclosing query we could not follow): it names a table.
      return [relationRef(first, scope.schema)];
    }
    // An output alias (`orderBy('total')`) is not a column.
    if (scope.outputs.has(name)) return undefined;
    return scope.relations.length > 0 ? [...scope.relations] : undefined;
  }
}

/** The body of a callback as the expressions it returns (arrow expression bodies and `return`s). */
export function returnedExpressions(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression !== undefined) out.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

export function isCallback(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/**
 * The CallExpression hook of a query-builder rule: each chain is read once from its last call by
 * `read`, which returns the call the query ends at (what the match covers), or undefined when
 * the chain is not a query. Chains read as part of an enclosing one add nothing when visited.
 */
export function queryChainHook(
  read: (chain: CallChain, refs: Refs) => { end: { call: ts.CallExpression } } | undefined,
): (node: ts.CallExpression, ctx: RuleFileContext) => HookResult {
  const nested = new WeakSet<ts.Node>();
  return (node, ctx) => {
    if (nested.has(node) || !isChainTop(node)) return undefined;
    const chain = callChain(node);
    // `(await db('t').select('a')).map(...)`: the awaited query is visited on its own.
    if (crossesAwait(chain)) return undefined;
    const refs = new Refs(ctx);
    const result = read(chain, refs);
    if (result === undefined) return undefined;
    for (const inner of refs.nested) nested.add(inner);
    // Callbacks given to `.then(...)` handle rows: their strings stay name matches.
    return { refs: refs.list, sql: refs.sql, covers: result.end.call };
  };
}

function crossesAwait(chain: CallChain): boolean {
  return chain.links.some((link) => {
    const callee = unwrap(link.call.expression);
    return ts.isPropertyAccessExpression(callee) && ts.isAwaitExpression(unwrap(callee.expression));
  });
}
