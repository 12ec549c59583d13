import { ts } from 'ts-morph';
import { accessPath, callChain, isChainTop, objectEntries, resolveObject, unwrap, type CallChain, type ChainLink } from '../../src/rules/helpers.js';
import type { HookResult, RuleFileContext, RuleRef, UseRole } from '../../src/rules/types.js';
import { MAX_RELATION_DEPTH } from './declarations.js';
import { fileInfo, tableName, type FileInfo } from './file-info.js';

const SELECT = new Set(['select', 'selectDistinct', 'selectDistinctOn']);
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral']);
const RELATIONAL = new Set(['findMany', 'findFirst']);
const VIEW_BUILDERS = new Set(['pgView', 'pgMaterializedView', 'view', 'materializedView']);

type Role = UseRole;

type Query =
  | { kind: 'relational'; model: string; link: ChainLink; modelNode: ts.Node }
  | { kind: 'builder'; start: number };

/** A Drizzle query read from its last call: core builder chains and `db.query.<table>.findMany`. */
function recognize(chain: CallChain, info: FileInfo): Query | undefined {
  const first = chain.links[0];
  const path = accessPath(chain.root);
  const root = unwrap(chain.root);
  if (first !== undefined && RELATIONAL.has(first.method ?? '') && path !== undefined && path.length >= 2 && path[path.length - 2] === 'query' && ts.isPropertyAccessExpression(root)) {
    return { kind: 'relational', model: path[path.length - 1]!, link: first, modelNode: root.name };
  }
  const later = (index: number, methods: Set<string> | string): boolean =>
    chain.links.slice(index + 1).some((link) => (typeof methods === 'string' ? link.method === methods : methods.has(link.method ?? '')));
  for (let index = 0; index < chain.links.length; index++) {
    const link = chain.links[index]!;
    const table = link.args[0] === undefined ? undefined : tableName(link.args[0], info);
    // `knex.select('a').from('users')` has the same shape: a Drizzle select reads a table object.
    if (SELECT.has(link.method ?? '') && readsTable(chain.links.slice(index + 1), info)) return { kind: 'builder', start: index };
    if (link.method === '$count' && table !== undefined) return { kind: 'builder', start: index };
    if (table === undefined) continue;
    if (link.method === 'insert' && later(index, new Set(['values', 'select']))) return { kind: 'builder', start: index };
    if (link.method === 'update' && later(index, 'set')) return { kind: 'builder', start: index };
    if (link.method === 'delete') return { kind: 'builder', start: index };
  }
  return undefined;
}

function readsTable(links: ChainLink[], info: FileInfo): boolean {
  return links.some((link) => (link.method === 'from' || JOINS.has(link.method ?? '')) && link.args[0] !== undefined && tableName(link.args[0], info) !== undefined);
}

function isQueryTop(node: ts.Node, info: FileInfo): boolean {
  return ts.isCallExpression(node) && isChainTop(node) && recognize(callChain(node), info) !== undefined;
}

/** `pgView('v').as((qb) => qb.select()...)` defines the view; the database says what it reads. */
function isInsideViewDefinition(node: ts.Node): boolean {
  for (let current = node.parent; current !== undefined && !ts.isSourceFile(current); current = current.parent) {
    if (!ts.isCallExpression(current)) continue;
    const callee = unwrap(current.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'as') continue;
    const head = callChain(current).links[0];
    const rootName = head?.method ?? (ts.isIdentifier(unwrap(callChain(current).root)) ? (unwrap(callChain(current).root) as ts.Identifier).text : undefined);
    if (rootName !== undefined && VIEW_BUILDERS.has(rootName)) return true;
  }
  return false;
}

/** `getTableColumns(users)`: every column of the table, wherever the object goes. */
export function tableColumnsHook(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  const callee = unwrap(node.expression);
  const arg = node.arguments[0];
  if (!ts.isIdentifier(callee) || callee.text !== 'getTableColumns' || arg === undefined) return undefined;
  const model = tableName(arg, fileInfo(ctx.sourceFile));
  if (model === undefined) return undefined;
  return { refs: [{ kind: 'wildcard', relation: { model }, position: callee.getStart(ctx.sourceFile) }], covers: node };
}

export function queryHook(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  if (!isChainTop(node)) return undefined;
  const info = fileInfo(ctx.sourceFile);
  const chain = callChain(node);
  const query = recognize(chain, info);
  if (query === undefined) return undefined;
  if (isInsideViewDefinition(node)) return { covers: node };
  const emit = new Emitter(ctx, info);
  if (query.kind === 'relational') {
    emit.relation(query.model, 'read', query.modelNode);
    emit.relational(query.model, query.link.args[0], query.link.call.expression);
  } else emit.builder(chain.links.slice(query.start));
  return { refs: emit.refs, covers: node };
}

class Emitter {
  readonly refs: RuleRef[] = [];
  private readonly undeclared = new Set<string>();

  constructor(
    private readonly ctx: RuleFileContext,
    private readonly info: FileInfo,
  ) {}

  private at(node: ts.Node): number {
    const target = ts.isPropertyAccessExpression(node) ? node.name : node;
    return target.getStart(this.ctx.sourceFile) + (ts.isStringLiteral(target) ? 1 : 0);
  }

  relation(model: string, role: Role, node: ts.Node): void {
    this.refs.push({ kind: 'use', relations: [{ model }], role, position: this.at(node) });
  }

  private wildcard(model: string, node: ts.Node): void {
    this.refs.push({ kind: 'wildcard', relation: { model }, position: this.at(node) });
  }

  private column(model: string, name: string, role: Role, node: ts.Node): void {
    this.refs.push({ kind: 'use', relations: [{ model }], name, role, position: this.at(node) });
  }

  /**
   * Reads in an expression: `users.email` where `users` is a table (or a callback parameter
   * standing for one). Nested queries are read on their own.
   */
  walk(expression: ts.Node | undefined, params: ReadonlyMap<string, string> = new Map()): void {
    if (expression === undefined) return;
    const visit = (node: ts.Node): void => {
      if (node !== expression && isQueryTop(node, this.info)) return;
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        const key = node.name.text;
        const receiver = unwrap(node.expression);
        const model = ts.isIdentifier(receiver) && params.has(receiver.text) ? params.get(receiver.text) : tableName(receiver, this.info);
        const isCall = ts.isCallExpression(node.parent) && node.parent.expression === node;
        if (model !== undefined && !isCall && !key.startsWith('$') && !key.startsWith('_')) {
          this.column(model, key, 'read', node.name);
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(expression);
  }

  /** `.values({...})`, `.set({...})`: keys are written, values may read. */
  private written(model: string | undefined, expression: ts.Expression | undefined): void {
    if (expression === undefined) return;
    const object = resolveObject(expression, this.ctx);
    if (object === undefined || model === undefined) {
      this.walk(expression);
      return;
    }
    for (const entry of objectEntries(object, this.ctx)) {
      this.column(model, entry.key, 'write', entry.keyNode);
      if (entry.value !== entry.keyNode) this.walk(entry.value);
    }
    for (const prop of object.properties) if (ts.isSpreadAssignment(prop)) this.walk(prop.expression);
  }

  /** Fields of `select({...})`: a whole table as a value selects all of its columns. */
  private selected(expression: ts.Expression): void {
    const object = resolveObject(expression, this.ctx);
    if (object === undefined) {
      this.walk(expression);
      return;
    }
    for (const prop of object.properties) {
      const value = ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : ts.isShorthandPropertyAssignment(prop) ? prop.name : ts.isSpreadAssignment(prop) ? prop.expression : undefined;
      if (value === undefined) continue;
      const whole = tableName(value, this.info);
      if (whole !== undefined) this.wildcard(whole, value);
      else if (ts.isObjectLiteralExpression(value)) this.selected(value);
      else this.walk(value);
    }
  }

  /** A core query builder chain from its select/insert/update/delete call on. */
  builder(links: ChainLink[]): void {
    const head = links[0]!;
    const method = head.method ?? '';
    const headTable = head.args[0] === undefined ? undefined : tableName(head.args[0], this.info);
    const tables: { model: string; node: ts.Node }[] = [];
    if (headTable !== undefined && method !== '$count') tables.push({ model: headTable, node: head.args[0]! });
    let selectAll: ts.Node | undefined;
    if (method === 'insert') this.relation(headTable!, 'write', head.args[0]!);
    else if (method === 'update') this.relation(headTable!, 'write', head.args[0]!);
    else if (method === 'delete') this.relation(headTable!, 'delete', head.args[0]!);
    else if (method === '$count') {
      this.relation(headTable!, 'read', head.args[0]!);
      this.walk(head.args[1]);
    } else {
      const fields = method === 'selectDistinctOn' ? head.args[1] : head.args[0];
      if (method === 'selectDistinctOn') this.walk(head.args[0]);
      if (fields === undefined) selectAll = head.call.expression;
      else this.selected(fields);
    }
    for (const link of links.slice(1)) {
      const name = link.method ?? '';
      const table = link.args[0] === undefined ? undefined : tableName(link.args[0], this.info);
      if (name === 'from' || JOINS.has(name)) {
        if (table !== undefined) {
          tables.push({ model: table, node: link.args[0]! });
          this.relation(table, 'read', link.args[0]!);
        }
        for (const arg of link.args.slice(1)) this.walk(arg);
      } else if (name === 'values') {
        const rows = link.args[0] === undefined ? undefined : unwrap(link.args[0]);
        for (const row of rows !== undefined && ts.isArrayLiteralExpression(rows) ? rows.elements : link.args) this.written(headTable, row);
      } else if (name === 'set') {
        this.written(headTable, link.args[0]);
      } else if (name === 'onConflictDoUpdate' || name === 'onConflictDoNothing') {
        for (const entry of objectEntries(link.args[0], this.ctx)) {
          if (entry.key === 'set') this.written(headTable, entry.value);
          else this.walk(entry.value);
        }
      } else if (name === 'returning') {
        if (link.args[0] === undefined && headTable !== undefined) this.wildcard(headTable, link.call.expression);
        else if (link.args[0] !== undefined) this.selected(link.args[0]);
      } else {
        for (const arg of link.args) this.walk(arg);
      }
    }
    // `select()` with no fields returns every column of every table in the query.
    if (selectAll !== undefined) for (const { model } of tables) this.wildcard(model, selectAll);
  }

  private childModel(model: string, key: string): string {
    if (!this.undeclared.has(model) && model.split('.').length <= MAX_RELATION_DEPTH) return `${model}.${key}`;
    this.undeclared.add(key);
    return key;
  }

  /** `findMany({ columns, with, where, orderBy, extras })` on the model (or relation path) `model`. */
  relational(model: string, args: ts.Expression | undefined, wildcardAt: ts.Node): void {
    const options = args === undefined ? undefined : resolveObject(args, this.ctx);
    const get = (key: string): ts.Expression | undefined => objectEntries(options, this.ctx).find((e) => e.key === key)?.value;
    const columns = get('columns');
    const picked = objectEntries(columns, this.ctx).filter((e) => unwrap(e.value).kind === ts.SyntaxKind.TrueKeyword);
    // Only `false` entries (or none) leave every other column selected.
    if (picked.length === 0) this.wildcard(model, wildcardAt);
    for (const entry of picked) this.column(model, entry.key, 'read', entry.keyNode);
    for (const key of ['where', 'orderBy']) this.callbackOrObject(model, get(key));
    // Keys of `extras` are result aliases; only what the values read counts.
    const extras = get('extras');
    const extrasFn = extras === undefined ? undefined : unwrap(extras);
    if (extrasFn !== undefined && (ts.isArrowFunction(extrasFn) || ts.isFunctionExpression(extrasFn))) this.callbackOrObject(model, extrasFn);
    else this.walk(extras);
    for (const entry of objectEntries(get('with'), this.ctx)) {
      const value = unwrap(entry.value);
      if (value.kind === ts.SyntaxKind.FalseKeyword) continue;
      const child = this.childModel(model, entry.key);
      // The relation's own name maps to the foreign key it joins on (on either side).
      this.refs.push({ kind: 'use', relations: [{ model }, { model: child }], name: entry.key, role: 'read', position: this.at(entry.keyNode) });
      this.relational(child, resolveObject(value, this.ctx) === undefined ? undefined : value, entry.keyNode);
    }
  }

  /** `where: (users, { eq }) => eq(users.email, x)` or `where: { email: x }`. */
  private callbackOrObject(model: string, expression: ts.Expression | undefined): void {
    if (expression === undefined) return;
    const value = unwrap(expression);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) {
      const param = value.parameters[0]?.name;
      this.walk(value.body, param !== undefined && ts.isIdentifier(param) ? new Map([[param.text, model]]) : new Map());
      return;
    }
    const object = resolveObject(value, this.ctx);
    if (object === undefined) {
      this.walk(value);
      return;
    }
    for (const entry of objectEntries(object, this.ctx)) {
      if (entry.key === 'AND' || entry.key === 'OR' || entry.key === 'NOT') {
        const inner = unwrap(entry.value);
        for (const element of ts.isArrayLiteralExpression(inner) ? inner.elements : [inner]) this.callbackOrObject(model, element);
      } else if (entry.key !== 'RAW') this.column(model, entry.key, 'read', entry.keyNode);
      this.walk(entry.value);
    }
  }
}
