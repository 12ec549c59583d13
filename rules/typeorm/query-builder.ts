import { ts } from 'ts-morph';
import { callChain, type ChainLink, listElements, objectEntries, resolveObject, stringValue, unwrap } from '../../src/rules/helpers.js';
import { fragmentNames, nestedFragments } from './fragments.js';
import { criteria, values } from './options.js';
import { foreignKeyOf, type Refs, relationTarget, type Target } from './refs.js';
import { entityName } from './receivers.js';

const WHERE_METHODS = new Set(['where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving']);
const FRAGMENT_METHODS = new Set(['groupBy', 'addGroupBy', 'distinctOn']);
const JOINS = new Set(['leftJoin', 'innerJoin', 'leftJoinAndSelect', 'innerJoinAndSelect']);
const MAPPED_JOINS = new Set(['leftJoinAndMapOne', 'leftJoinAndMapMany', 'innerJoinAndMapOne', 'innerJoinAndMapMany']);
/** Calls that run a SELECT of the builder's selection. */
const FETCHES = new Set([
  'getMany', 'getOne', 'getOneOrFail', 'getManyAndCount', 'getRawMany', 'getRawOne', 'getRawAndEntities', 'stream',
  'execute', 'getQuery', 'getSql', 'getQueryAndParameters',
]);

/** Methods of SelectQueryBuilder & co. a chain on a builder variable starts with. */
export const BUILDER_METHODS = new Set([
  ...WHERE_METHODS, ...FRAGMENT_METHODS, ...JOINS, ...MAPPED_JOINS, ...FETCHES, 'select', 'addSelect', 'orderBy',
  'addOrderBy', 'from', 'insert', 'into', 'values', 'orUpdate', 'orIgnore', 'update', 'set', 'delete', 'softDelete',
  'restore', 'returning', 'getCount', 'getExists', 'skip', 'take', 'limit', 'offset', 'setParameter', 'setParameters',
  'withDeleted', 'setLock', 'cache', 'whereInIds', 'andWhereInIds', 'orWhereInIds',
]);

/** Calls that return a count or a flag rather than the builder. */
const RESULTS = new Set(['getCount', 'getExists', 'then']);

/** Where a query builder starts: its main entity and alias (`repo.createQueryBuilder('u')`). */
export interface BuilderStart {
  entity: Target | undefined;
  alias: string | undefined;
  /** The node the implicit `select(alias)` points at. */
  site: ts.Node;
}

interface Selected {
  alias: string;
  node: ts.Node;
}

/**
 * Reads a query-builder chain after `createQueryBuilder`. Aliases are collected first
 * (`from`, `into`, joins may come after the selection that uses them), then every clause is read.
 * `prelude` holds the links of a builder kept in a variable (`const qb = repo.createQueryBuilder('u')`),
 * which shape the selection but whose references that variable's own chain already produced.
 */
export function queryBuilder(refs: Refs, start: BuilderStart, links: readonly ChainLink[], prelude: readonly ChainLink[] = []): boolean {
  const aliases = new Map<string, Target>();
  let main = start.entity;
  // Without an alias TypeORM names the main alias after the entity; '' stands for it here.
  if (start.entity !== undefined) aliases.set(start.alias ?? '', start.entity);
  const all = [...prelude, ...links];
  for (const link of all) {
    const [first, second, third] = link.args;
    if (link.method === 'from' || link.method === 'into' || link.method === 'update') {
      const name = entityName(first, refs.ctx);
      if (name === undefined) continue;
      main ??= [{ model: name }];
      const alias = stringValue(second, refs.ctx);
      if (link.method === 'from' && alias !== undefined) aliases.set(alias, [{ model: name }]);
    } else if (link.method !== undefined && (JOINS.has(link.method) || MAPPED_JOINS.has(link.method))) {
      const [target, alias] = MAPPED_JOINS.has(link.method) ? [second, third] : [first, second];
      const relation = joinTarget(refs, target, aliases);
      const name = stringValue(alias, refs.ctx);
      if (relation !== undefined && name !== undefined) aliases.set(name, relation);
    }
  }
  if (main === undefined) return false;
  if (aliases.size === 0) aliases.set('', main);

  let mode: 'select' | 'insert' | 'update' | 'delete' = 'select';
  // `createQueryBuilder('u')` on a repository or with an entity selects `u`; `select()` replaces it.
  let selection: Selected[] = start.entity !== undefined ? [{ alias: start.alias ?? '', node: start.site }] : [];
  let fetched: ts.Node | undefined;
  const own = new Set(links);
  for (const link of all) {
    const emit = own.has(link);
    const { method, args } = link;
    const [first, second, third] = args;
    const fragment = (expression: ts.Expression | undefined): void => {
      if (expression === undefined || !emit) return;
      const expr = unwrap(expression);
      if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr) || ts.isNewExpression(expr)) nestedFragments(refs, expr, aliases);
      else if (ts.isArrayLiteralExpression(expr)) for (const element of listElements(expr)) fragment(element);
      else fragmentNames(refs, expr, aliases);
    };
    switch (true) {
      case method === 'select' || method === 'addSelect': {
        if (method === 'select') selection = [];
        for (const element of listElements(first)) {
          const text = stringValue(element, refs.ctx);
          if (text !== undefined && aliases.has(text)) selection.push({ alias: text, node: element });
          else fragment(element);
        }
        break;
      }
      case method !== undefined && WHERE_METHODS.has(method): {
        if (!emit || first === undefined) break;
        if (resolveObject(first, refs.ctx) !== undefined || ts.isArrayLiteralExpression(unwrap(first))) criteria(refs, main, first);
        else fragment(first);
        break;
      }
      case method === 'orderBy' || method === 'addOrderBy': {
        const object = first === undefined ? undefined : resolveObject(first, refs.ctx);
        if (object === undefined) fragment(first);
        else if (emit) for (const { keyNode } of objectEntries(object, refs.ctx)) fragment(keyNode as ts.Expression);
        break;
      }
      case method !== undefined && FRAGMENT_METHODS.has(method):
        fragment(first);
        break;
      case method !== undefined && (JOINS.has(method) || MAPPED_JOINS.has(method)): {
        const mapped = MAPPED_JOINS.has(method!);
        const [target, alias, condition] = mapped ? [second, third, args[3]] : [first, second, third];
        if (emit) joinSource(refs, target, aliases);
        fragment(condition);
        const name = stringValue(alias, refs.ctx);
        if (name !== undefined && alias !== undefined && method!.includes('AndSelect')) selection.push({ alias: name, node: alias });
        if (name !== undefined && alias !== undefined && mapped) selection.push({ alias: name, node: alias });
        break;
      }
      case method === 'insert':
        mode = 'insert';
        break;
      case method === 'into':
        if (emit && second !== undefined) for (const column of listElements(second)) columnName(refs, main, column, 'write');
        if (emit && first !== undefined) refs.relation(main, 'write', first);
        break;
      case method === 'values':
        if (emit) values(refs, main, first);
        break;
      case method === 'orUpdate': {
        if (!emit) break;
        for (const column of listElements(first)) columnName(refs, main, column, 'write');
        for (const column of listElements(second)) columnName(refs, main, column, 'read');
        break;
      }
      case method === 'update':
        mode = 'update';
        if (emit) refs.relation(main, 'write', first ?? link.call.expression);
        if (emit && second !== undefined) setValues(refs, main, second);
        break;
      case method === 'set':
        if (emit && first !== undefined) setValues(refs, main, first);
        break;
      case method === 'delete':
        mode = 'delete';
        if (emit) refs.relation(main, 'delete', link.call.expression);
        break;
      case method === 'softDelete' || method === 'restore':
        mode = 'update';
        if (emit) refs.relation(main, 'write', link.call.expression);
        break;
      case method === 'returning':
        if (emit) for (const column of listElements(first)) columnName(refs, main, column, 'read');
        break;
      case method !== undefined && FETCHES.has(method):
        if (emit) fetched ??= propertyName(link);
        break;
      default:
        break;
    }
  }
  if (mode === 'select' && fetched !== undefined && links.length > 0) {
    for (const { alias, node } of selection) {
      const relation = aliases.get(alias);
      if (relation !== undefined) refs.wildcard(relation, node);
    }
  }
  return true;
}

/** A builder chain kept in a variable: `const qb = repo.createQueryBuilder('u').where(...)`. */
export function builderPrelude(
  root: ts.Expression,
  refs: Refs,
  repositoryOfRoot: (root: ts.Expression, before: ChainLink[]) => string | undefined,
  depth = 0,
): { start: BuilderStart; links: ChainLink[] } | undefined {
  const expr = unwrap(root);
  if (!ts.isIdentifier(expr) || depth > 3) return undefined;
  const value = refs.ctx.valueOf(expr.text, expr.getStart(refs.ctx.sourceFile));
  if (value === undefined || !ts.isCallExpression(unwrap(value))) return undefined;
  const chain = callChain(unwrap(value) as ts.CallExpression);
  // `const rows = await qb.getMany()` holds results, not a builder.
  const last = chain.links[chain.links.length - 1]?.method;
  if (last === undefined || FETCHES.has(last) || RESULTS.has(last)) return undefined;
  const index = chain.links.findIndex((link) => link.method === 'createQueryBuilder');
  if (index < 0) {
    const outer = builderPrelude(chain.root, refs, repositoryOfRoot, depth + 1);
    return outer === undefined ? undefined : { start: outer.start, links: [...outer.links, ...chain.links] };
  }
  return { start: builderStartOf(refs, chain.links[index]!, repositoryOfRoot(chain.root, chain.links.slice(0, index))), links: chain.links.slice(index + 1) };
}

/** `repo.createQueryBuilder('u')`, `dataSource.createQueryBuilder(User, 'u')`, `manager.createQueryBuilder()`. */
export function builderStartOf(refs: Refs, link: ChainLink, repository: string | undefined): BuilderStart {
  const [first, second] = link.args;
  const site = link.call.expression;
  const named = first !== undefined && !ts.isStringLiteralLike(unwrap(first)) ? entityName(first, refs.ctx) : undefined;
  if (named !== undefined) return { entity: [{ model: named }], alias: stringValue(second, refs.ctx), site: second ?? site };
  return { entity: repository === undefined ? undefined : [{ model: repository }], alias: stringValue(first, refs.ctx), site: first ?? site };
}

/** `'u.posts'` (a relation of alias `u`), an entity class, or an entity/table name. */
function joinTarget(refs: Refs, target: ts.Expression | undefined, aliases: ReadonlyMap<string, Target>): Target | undefined {
  const text = stringValue(target, refs.ctx);
  if (text === undefined) {
    const name = entityName(target, refs.ctx);
    return name === undefined ? undefined : [{ model: name }];
  }
  const dot = text.indexOf('.');
  if (dot < 0) return [{ model: text }];
  return aliases.has(text.slice(0, dot)) ? relationTarget(text.slice(dot + 1)) : undefined;
}

/** A relation join `'u.author'` reads the owning side's join column (`authorId`, or the declared one). */
function joinSource(refs: Refs, target: ts.Expression | undefined, aliases: ReadonlyMap<string, Target>): void {
  const text = stringValue(target, refs.ctx);
  const dot = text?.indexOf('.') ?? -1;
  if (text === undefined || dot < 0 || target === undefined) return;
  const source = aliases.get(text.slice(0, dot));
  const property = text.slice(dot + 1);
  if (source === undefined) return;
  const position = refs.at(unwrap(target)) + dot + 1;
  refs.use(source, property, 'read', position);
  refs.use(source, foreignKeyOf(property), 'read', position);
}

/** `.set({ a: 1, counter: () => '"counter" + 1' })`: a function value is SQL that also reads the column. */
function setValues(refs: Refs, entity: Target, expression: ts.Expression): void {
  values(refs, entity, expression);
  for (const { key, keyNode, value } of objectEntries(expression, refs.ctx)) {
    const expr = unwrap(value);
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) refs.column(entity, key, 'read', keyNode);
  }
}

function columnName(refs: Refs, entity: Target, expression: ts.Expression, role: 'read' | 'write'): void {
  const name = stringValue(expression, refs.ctx);
  if (name === '*') refs.wildcard(entity, expression);
  else if (name !== undefined) refs.column(entity, name, role, expression);
}

function propertyName(link: ChainLink): ts.Node {
  const callee = unwrap(link.call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name : callee;
}
