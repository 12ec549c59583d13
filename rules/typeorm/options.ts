import { ts } from 'ts-morph';
import { listElements, objectEntries, objectProperty, resolveObject, stringValue, unwrap } from '../../src/rules/helpers.js';
import { foreignKeyOf, mayBeEntity, type Refs, relationTarget, type Role, type Target } from './refs.js';

/** An order value `{ direction: 'DESC', nulls: 'LAST' }` is not a nested relation. */
const ORDER_OBJECT_KEYS = new Set(['direction', 'nulls']);

const capitalize = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;


/**
 * `find({ select, where, order, relations })`: every named property is read; without `select`
 * TypeORM selects every column of the entity (and of the loaded relations).
 */
export function findOptions(refs: Refs, entity: Target, options: ts.Expression | undefined, wildcard: boolean, site: ts.Node): void {
  const object = options === undefined ? undefined : resolveObject(options, refs.ctx);
  const select = objectProperty(object, 'select', refs.ctx);
  if (select !== undefined) selectList(refs, entity, select);
  else if (wildcard) refs.wildcard(entity, site);
  const where = objectProperty(object, 'where', refs.ctx);
  if (where !== undefined) criteria(refs, entity, where);
  const order = objectProperty(object, 'order', refs.ctx);
  if (order !== undefined) nested(refs, entity, order, 'read');
  const relations = objectProperty(object, 'relations', refs.ctx);
  if (relations !== undefined) relationList(refs, entity, relations, wildcard && select === undefined);
}

/** `select: ['a', 'b']` (0.2 style), `select: { a: true, author: { name: true } }`. */
function selectList(refs: Refs, entity: Target, select: ts.Expression): void {
  const expr = unwrap(select);
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of listElements(expr)) {
      const name = stringValue(element, refs.ctx);
      if (name !== undefined) dotted(refs, entity, name, element, 'read');
    }
    return;
  }
  nested(refs, entity, expr, 'read');
}

/** `relations: ['posts', 'posts.tags']` or `{ posts: { tags: true } }`: joins that read the join columns. */
function relationList(refs: Refs, entity: Target, relations: ts.Expression, wildcard: boolean): void {
  const expr = unwrap(relations);
  const join = (source: Target, property: string, node: ts.Node): Target => {
    refs.column(source, property, 'read', node);
    refs.column(source, foreignKeyOf(property), 'read', node);
    const target = relationTarget(property);
    if (wildcard) refs.wildcard(target, node);
    return target;
  };
  if (ts.isArrayLiteralExpression(expr)) {
    for (const element of listElements(expr)) {
      const path = stringValue(element, refs.ctx)?.split('.');
      let source = entity;
      for (const property of path ?? []) source = join(source, property, element);
    }
    return;
  }
  const walk = (source: Target, object: ts.Expression): void => {
    for (const { key, keyNode, value } of objectEntries(object, refs.ctx)) {
      const target = join(source, key, keyNode);
      if (resolveObject(value, refs.ctx) !== undefined) walk(target, value);
    }
  };
  walk(entity, expr);
}

/** `where` of find options and of update/delete criteria: an object, an array of them (OR), or ids. */
export function criteria(refs: Refs, entity: Target, where: ts.Expression): void {
  for (const element of listElements(where)) {
    if (resolveObject(element, refs.ctx) !== undefined) nested(refs, entity, element, 'read');
  }
}

/**
 * Keys of a where/select/order/values object. A nested object is a relation or an embedded
 * column group: its keys are also the joined entity's, and `author: { id }` reads the join
 * column `authorId` itself (embedded `address: { city }` is column `addressCity`).
 */
export function nested(refs: Refs, entity: Target, object: ts.Expression, role: Role, depth = 0): void {
  for (const { key, keyNode, value } of objectEntries(object, refs.ctx)) {
    const inner = resolveObject(value, refs.ctx);
    const isOrder = inner !== undefined && objectEntries(inner, refs.ctx).every((entry) => ORDER_OBJECT_KEYS.has(entry.key));
    refs.column(entity, key, role, keyNode);
    if (inner !== undefined && !isOrder) {
      for (const entry of objectEntries(inner, refs.ctx)) refs.column(entity, `${key}${capitalize(entry.key)}`, role, keyNode);
      // Writes cascade only with `cascade: true`; the joined entity is read, never written, here.
      if (role === 'read' && depth < 3) nested(refs, relationTarget(key), inner, role, depth + 1);
    } else if (mayBeEntity(value) && !/(^id|Id|_id)$/.test(key)) {
      refs.column(entity, foreignKeyOf(key), role, keyNode);
    }
  }
}

/** `'author.name'` in a 0.2-style select list. */
function dotted(refs: Refs, entity: Target, path: string, node: ts.Node, role: Role): void {
  const parts = path.split('.');
  let source = entity;
  parts.forEach((part, index) => {
    if (index < parts.length - 1) {
      refs.column(source, foreignKeyOf(part), 'read', node);
      source = relationTarget(part);
    } else refs.column(source, part, role, node);
  });
}

/** `save(x)`, `insert(x)`, `create(x)`: an object literal, an array of them, or a same-file constant holding one. */
export function values(refs: Refs, entity: Target, expression: ts.Expression | undefined): void {
  for (const element of listElements(expression)) {
    if (resolveObject(element, refs.ctx) !== undefined) nested(refs, entity, element, 'write');
  }
}

/** `upsert(values, ['email'])` / `upsert(values, { conflictPaths: ['email'] })`. */
export function conflictPaths(refs: Refs, entity: Target, expression: ts.Expression | undefined): void {
  const paths = expression !== undefined && resolveObject(expression, refs.ctx) !== undefined ? objectProperty(expression, 'conflictPaths', refs.ctx) : expression;
  const object = paths === undefined ? undefined : resolveObject(paths, refs.ctx);
  if (object !== undefined) {
    for (const { key, keyNode } of objectEntries(object, refs.ctx)) refs.column(entity, key, 'read', keyNode);
    return;
  }
  for (const element of listElements(paths)) {
    const name = stringValue(element, refs.ctx);
    if (name !== undefined) refs.column(entity, name, 'read', element);
  }
}
