import { ts } from 'ts-morph';
import { accessPath, listElements, objectEntries, resolveObject, unwrap, type ObjectEntry } from '../../src/rules/helpers.js';
import type { HookResult, RuleFileContext, RuleRef, UseRole } from '../../src/rules/types.js';
import { M2M_PARENT, MAX_RELATION_DEPTH } from './declarations.js';

/** Model delegate methods (`prisma.user.findMany`), by what they send. */
const FIND = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow']);
const AGGREGATE = new Set(['count', 'aggregate', 'groupBy']);
const WRITE = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert']);
const DELETE = new Set(['delete', 'deleteMany']);
/** Writes that return the written rows (INSERT/UPDATE/DELETE ... RETURNING every scalar column unless `select`). */
const RETURNS_ROWS = new Set(['create', 'createManyAndReturn', 'update', 'updateManyAndReturn', 'upsert', 'delete']);
/** Method names common outside Prisma (`map.delete(key)`): only with an object argument. */
const GENERIC = new Set(['create', 'update', 'delete', 'count']);

const RELATION_FILTERS = new Set(['some', 'every', 'none', 'is', 'isNot']);
const SCALAR_FILTERS = new Set([
  'equals', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'not', 'contains', 'startsWith', 'endsWith', 'mode', 'search',
  'has', 'hasEvery', 'hasSome', 'isEmpty', 'isSet', 'path', 'string_contains', 'string_starts_with', 'string_ends_with',
  'array_contains', 'array_starts_with', 'array_ends_with', '_avg', '_sum', '_min', '_max', '_count',
]);
const NESTED_WRITES = new Set([
  'create', 'createMany', 'connect', 'connectOrCreate', 'disconnect', 'set', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany',
]);
const AGGREGATES = ['_count', '_sum', '_avg', '_min', '_max'];

type Role = UseRole;

/** The model delegate a call is made on: `prisma.user`, `this.prisma.user`, `tx.user`, or a const holding one. */
function delegateOf(receiver: ts.Expression, ctx: RuleFileContext): { model: string; node: ts.Node } | undefined {
  let expr = unwrap(receiver);
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    if (value === undefined) return undefined;
    expr = unwrap(value);
  }
  if (!ts.isPropertyAccessExpression(expr) || !ts.isIdentifier(expr.name)) return undefined;
  const model = expr.name.text;
  const path = accessPath(expr.expression);
  // `$extends`, `$transaction`...; `db.query.users.findMany` is Drizzle's relational API.
  if (model.startsWith('$') || model.startsWith('_') || path?.[path.length - 1] === 'query') return undefined;
  return { model, node: expr.name };
}

const isObjectArgument = (arg: ts.Expression | undefined, ctx: RuleFileContext): boolean =>
  arg !== undefined && resolveObject(arg, ctx) !== undefined;

/** A Prisma Client model call: what it reads, writes and deletes, by model and field name. */
export function prismaCall(node: ts.CallExpression, ctx: RuleFileContext): HookResult {
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!FIND.has(method) && !AGGREGATE.has(method) && !WRITE.has(method) && !DELETE.has(method)) return undefined;
  const delegate = delegateOf(callee.expression, ctx);
  if (delegate === undefined) return undefined;
  const arg = node.arguments[0];
  if (GENERIC.has(method) && !isObjectArgument(arg, ctx) && !(method === 'count' && arg === undefined)) return undefined;
  if (node.arguments.length > 1) return undefined;

  const emit = new Emitter(ctx);
  const model = delegate.model;
  const args = arg === undefined ? undefined : resolveObject(arg, ctx);
  const at = delegate.node.getStart(ctx.sourceFile);
  const methodAt = callee.name.getStart(ctx.sourceFile);
  const role: Role = DELETE.has(method) ? 'delete' : WRITE.has(method) ? 'write' : 'read';
  emit.relation(model, role, at);
  if (arg !== undefined && args === undefined) {
    // Arguments built elsewhere: any column may be selected.
    if (FIND.has(method) || RETURNS_ROWS.has(method)) emit.wildcard(model, methodAt);
    return { refs: emit.refs, covers: node };
  }
  const get = (key: string): ts.Expression | undefined => objectEntries(args, ctx).find((e) => e.key === key)?.value;
  emit.where(model, get('where'));
  emit.where(model, get('cursor'));
  emit.where(model, get('having'));
  emit.orderBy(model, get('orderBy'));
  emit.names(model, get('distinct'));
  emit.names(model, get('by'));
  for (const key of AGGREGATES) emit.selectedNames(model, get(key));
  if (method === 'count') emit.selectedNames(model, get('select'));
  if (method === 'createMany' || method === 'createManyAndReturn') for (const row of listElements(get('data'))) emit.data(model, row);
  else emit.data(model, get('data'));
  emit.data(model, get('create'));
  emit.data(model, get('update'));
  if (FIND.has(method) || RETURNS_ROWS.has(method)) emit.selection(model, args, methodAt);
  return { refs: emit.refs, covers: node };
}

/** Builds the references of one call, walking Prisma's nested argument objects. */
class Emitter {
  readonly refs: RuleRef[] = [];

  /** Relations past the declared path depth, named by their key alone. */
  private readonly undeclared = new Set<string>();

  constructor(private readonly ctx: RuleFileContext) {}

  /**
   * The declared model of a relation path (`user.posts`); past the declared depth the key
   * itself (`comments`), which the core resolves as a table name.
   */
  private childModel(model: string, key: string): string {
    if (!this.undeclared.has(model) && model.split('.').length <= MAX_RELATION_DEPTH) return `${model}.${key}`;
    this.undeclared.add(key);
    return key;
  }

  private at(node: ts.Node): number {
    return node.getStart(this.ctx.sourceFile) + (ts.isStringLiteral(node) ? 1 : 0);
  }

  private entries(expression: ts.Expression | undefined): ObjectEntry[] {
    return expression === undefined ? [] : objectEntries(expression, this.ctx);
  }

  relation(model: string, role: Role, position: number): void {
    this.refs.push({ kind: 'use', relations: [{ model }], role, position });
  }

  wildcard(model: string, position: number): void {
    this.refs.push({ kind: 'wildcard', relation: { model }, position });
  }

  field(model: string, entry: ObjectEntry, role: Role): void {
    this.refs.push({ kind: 'use', relations: [{ model }], name: entry.key, role, position: this.at(entry.keyNode) });
  }

  /**
   * A key that may be a relation: the parent's foreign key when the relation holds it, the
   * child's when it is the back side, the join table of an implicit many-to-many. A scalar
   * key resolves on the parent only.
   */
  traverse(model: string, entry: ObjectEntry, role: Role, definite = true): string {
    const child = this.childModel(model, entry.key);
    const position = this.at(entry.keyNode);
    const m2m = `${child}$m2m`;
    this.refs.push({ kind: 'use', relations: [{ model }, { model: child }, { model: m2m }], name: entry.key, role, position });
    // Only a key known to be a relation pays for the join table's other column.
    if (definite) this.refs.push({ kind: 'use', relations: [{ model: m2m }], name: M2M_PARENT, role, position });
    return child;
  }

  /** `select`/`include`/`omit` of a call that returns rows: without `select`, every scalar column. */
  selection(model: string, args: ts.Expression | undefined, position: number): void {
    const select = this.entries(args).find((e) => e.key === 'select')?.value;
    if (select !== undefined && resolveObject(select, this.ctx) === undefined) {
      this.wildcard(model, position);
      return;
    }
    if (select !== undefined) {
      for (const entry of this.entries(select)) this.selected(model, entry, false);
      return;
    }
    this.wildcard(model, position);
    for (const entry of this.entries(this.entries(args).find((e) => e.key === 'include')?.value)) this.selected(model, entry, true);
  }

  private selected(model: string, entry: ObjectEntry, isInclude: boolean): void {
    const value = unwrap(entry.value);
    if (value.kind === ts.SyntaxKind.FalseKeyword) return;
    if (entry.key === '_count') {
      const counted = this.entries(this.entries(value).find((e) => e.key === 'select')?.value);
      for (const relation of counted) this.where(this.traverse(model, relation, 'read'), this.entries(relation.value).find((e) => e.key === 'where')?.value);
      return;
    }
    const options = resolveObject(value, this.ctx);
    if (options === undefined) {
      // In `select`, `email: true` is a column or a whole relation: only one of these resolves.
      this.wildcard(this.traverse(model, entry, 'read', isInclude), this.at(entry.keyNode));
      return;
    }
    const child = this.traverse(model, entry, 'read');
    const get = (key: string): ts.Expression | undefined => this.entries(options).find((e) => e.key === key)?.value;
    this.where(child, get('where'));
    this.where(child, get('cursor'));
    this.orderBy(child, get('orderBy'));
    this.names(child, get('distinct'));
    this.selection(child, options, this.at(entry.keyNode));
  }

  /** Filters: every key is a read; relation filters read the related model. */
  where(model: string, expression: ts.Expression | undefined): void {
    for (const entry of this.entries(expression)) {
      if (entry.key === 'AND' || entry.key === 'OR' || entry.key === 'NOT') {
        for (const element of listElements(entry.value)) this.where(model, element);
        continue;
      }
      const filter = resolveObject(entry.value, this.ctx);
      const keys = filter === undefined ? [] : this.entries(filter).map((e) => e.key);
      if (filter === undefined || keys.length === 0 || keys.every((key) => SCALAR_FILTERS.has(key))) {
        this.field(model, entry, 'read');
      } else if (keys.every((key) => RELATION_FILTERS.has(key))) {
        const child = this.traverse(model, entry, 'read');
        for (const inner of this.entries(filter)) this.where(child, inner.value);
      } else if (entry.key.includes('_') && keys.every((key) => entry.key.split('_').includes(key))) {
        // A compound unique key: `postId_tagId: { postId, tagId }`.
        for (const inner of this.entries(filter)) this.field(model, inner, 'read');
      } else {
        // `author: { email: ... }` filters a to-one relation directly.
        this.where(this.traverse(model, entry, 'read'), filter);
      }
    }
  }

  orderBy(model: string, expression: ts.Expression | undefined): void {
    for (const element of listElements(expression)) {
      for (const entry of this.entries(element)) {
        if (entry.key === '_relevance') {
          this.names(model, this.entries(entry.value).find((e) => e.key === 'fields')?.value);
          continue;
        }
        const nested = resolveObject(entry.value, this.ctx);
        const keys = nested === undefined ? [] : this.entries(nested).map((e) => e.key);
        if (nested === undefined || keys.every((key) => key === 'sort' || key === 'nulls')) this.field(model, entry, 'read');
        else if (keys.every((key) => key === '_count')) this.traverse(model, entry, 'read');
        else this.orderBy(this.traverse(model, entry, 'read'), nested);
      }
    }
  }

  /** `distinct: ['email']`, `by: ['country']`, `fields: [...]`. */
  names(model: string, expression: ts.Expression | undefined): void {
    for (const element of listElements(expression)) {
      const node = unwrap(element);
      if (ts.isStringLiteralLike(node)) this.refs.push({ kind: 'use', relations: [{ model }], name: node.text, role: 'read', position: this.at(node) });
    }
  }

  /** `_sum: { amount: true }`, `count({ select: { _all: true, email: true } })`. */
  selectedNames(model: string, expression: ts.Expression | undefined): void {
    for (const entry of this.entries(expression)) if (entry.key !== '_all') this.field(model, entry, 'read');
  }

  /** `data`: every key is written; relation keys with nested writes write the related model. */
  data(model: string, expression: ts.Expression | undefined): void {
    for (const entry of this.entries(expression)) {
      const nested = resolveObject(entry.value, this.ctx);
      const keys = nested === undefined ? [] : this.entries(nested).map((e) => e.key);
      const isNestedWrite = keys.length > 0 && keys.every((key) => NESTED_WRITES.has(key)) && !(keys.length === 1 && keys[0] === 'set');
      if (!isNestedWrite) {
        // A scalar (atomic `{ increment: 1 }`, JSON objects); `set` on a to-many relation resolves on the child.
        this.refs.push({ kind: 'use', relations: [{ model }, { model: this.childModel(model, entry.key) }], name: entry.key, role: 'write', position: this.at(entry.keyNode) });
        continue;
      }
      const child = this.traverse(model, entry, 'write');
      for (const op of this.entries(nested)) this.nestedWrite(child, op);
    }
  }

  private nestedWrite(child: string, op: ObjectEntry): void {
    const position = this.at(op.keyNode);
    const get = (element: ts.Expression, key: string): ts.Expression | undefined => this.entries(element).find((e) => e.key === key)?.value;
    for (const element of listElements(op.value)) {
      switch (op.key) {
        case 'create':
          this.relation(child, 'write', position);
          this.data(child, element);
          break;
        case 'createMany':
          this.relation(child, 'write', position);
          for (const row of listElements(get(element, 'data'))) this.data(child, row);
          break;
        case 'connectOrCreate':
          this.where(child, get(element, 'where'));
          this.relation(child, 'write', position);
          this.data(child, get(element, 'create'));
          break;
        case 'connect':
        case 'disconnect':
        case 'set':
          this.where(child, element);
          break;
        case 'update':
        case 'updateMany':
          this.relation(child, 'write', position);
          if (get(element, 'data') !== undefined) {
            this.where(child, get(element, 'where'));
            this.data(child, get(element, 'data'));
          } else this.data(child, element);
          break;
        case 'upsert':
          this.relation(child, 'write', position);
          this.where(child, get(element, 'where'));
          this.data(child, get(element, 'create'));
          this.data(child, get(element, 'update'));
          break;
        case 'delete':
        case 'deleteMany':
          this.relation(child, 'delete', position);
          this.where(child, element);
          break;
        default:
          break;
      }
    }
  }
}
