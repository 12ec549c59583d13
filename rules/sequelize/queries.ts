import { ts } from 'ts-morph';
import { lastIdentifier, listElements, objectEntries, objectProperty, propertyNameText, resolveObject, stringValue, unwrap } from '../../src/rules/helpers.js';
import { modelName, type Refs, type Role } from './refs.js';

/** Order directions and null placement, which are not attribute names. */
const DIRECTIONS = /^(asc|desc)(\s+nulls\s+(first|last))?$|^nulls\s+(first|last)$/i;

const singular = (word: string): string => (/[^aeiou]ies$/i.test(word) ? `${word.slice(0, -3)}y` : /[^s]s$/i.test(word) ? word.slice(0, -1) : word);

/** `sequelize.col('a')` / `fn('lower', col('a'))` read `a`; `literal('...')` is raw SQL for the core. */
export function expressionColumns(refs: Refs, model: string, node: ts.Node): void {
  const visit = (child: ts.Node): void => {
    if (ts.isCallExpression(child)) {
      const name = lastIdentifier(child.expression);
      const first = child.arguments[0];
      if (name === 'col' && first !== undefined) {
        const text = stringValue(first, refs.ctx);
        if (text !== undefined) {
          const dot = text.lastIndexOf('.');
          const owner = dot < 0 ? model : text.slice(0, dot);
          refs.refs.push({ kind: 'use', relations: [{ model: owner }], name: text.slice(dot + 1), role: 'read', position: refs.at(first) + dot + 1 });
        }
        return;
      }
      if (name === 'literal' && first !== undefined) {
        refs.sql.push({ expression: first, fragment: true });
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
}

/**
 * `where: { a: v, [Op.or]: [{ b }, { c: { [Op.gt]: 1 } }], '$posts.title$': x }`: every key is
 * a read; operator keys nest further conditions; `$assoc.attr$` reads an included model.
 */
export function where(refs: Refs, model: string, expression: ts.Expression | undefined): void {
  if (expression === undefined) return;
  const object = resolveObject(expression, refs.ctx);
  if (object === undefined) {
    const expr = unwrap(expression);
    const name = ts.isCallExpression(expr) ? lastIdentifier(expr.expression) : undefined;
    // `Sequelize.and({ a }, { b })` / `or(...)` combine where objects; `where(fn(...), v)` compares an expression.
    if (ts.isCallExpression(expr) && (name === 'and' || name === 'or')) for (const arg of expr.arguments) where(refs, model, arg);
    else expressionColumns(refs, model, expr);
    return;
  }
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
    if (ts.isComputedPropertyName(property.name)) {
      // [Op.and]: [...], [Op.or]: {...}, [Op.not]: {...}
      for (const element of listElements(value)) where(refs, model, element);
      continue;
    }
    const key = propertyNameText(property.name);
    if (key === undefined) continue;
    const nested = /^\$(.+)\.([^.]+)\$$/.exec(key);
    if (nested !== undefined && nested !== null) {
      const path = nested[1]!.split('.');
      const owner = singular(path[path.length - 1]!);
      refs.refs.push({ kind: 'use', relations: [{ model: owner }], name: nested[2]!, role: 'read', position: refs.at(property.name) + nested[1]!.length + 2 });
    } else refs.column(model, key, 'read', property.name);
    if (ts.isCallExpression(unwrap(value))) expressionColumns(refs, model, value);
  }
}

/** `attributes: ['a', ['b', 'alias'], [fn('COUNT', col('c')), 'n']]` or `{ include, exclude }`. */
function attributes(refs: Refs, model: string, expression: ts.Expression | undefined, site: ts.Node, wildcard: boolean): void {
  if (expression === undefined) {
    if (wildcard) refs.wildcard(model, site);
    return;
  }
  const object = resolveObject(expression, refs.ctx);
  if (object !== undefined) {
    // Every attribute but the excluded ones, plus computed extras.
    if (wildcard) refs.wildcard(model, site);
    attributeList(refs, model, objectProperty(object, 'include', refs.ctx));
    return;
  }
  attributeList(refs, model, expression);
}

function attributeList(refs: Refs, model: string, expression: ts.Expression | undefined): void {
  for (const element of listElements(expression)) {
    const expr = unwrap(element);
    const first = ts.isArrayLiteralExpression(expr) ? expr.elements[0] : expr;
    if (first === undefined) continue;
    const name = stringValue(first, refs.ctx);
    if (name !== undefined) refs.column(model, name, 'read', first);
    else expressionColumns(refs, model, first);
  }
}

/** `order: [['createdAt', 'DESC'], [Post, 'title', 'ASC'], ['author', 'name', 'ASC'], 'id']`. */
function order(refs: Refs, model: string, expression: ts.Expression | undefined): void {
  for (const element of listElements(expression)) {
    const expr = unwrap(element);
    if (!ts.isArrayLiteralExpression(expr)) {
      const name = stringValue(expr, refs.ctx);
      if (name !== undefined && !DIRECTIONS.test(name)) refs.column(model, name, 'read', expr);
      else expressionColumns(refs, model, expr);
      continue;
    }
    let owner = model;
    const parts = expr.elements.filter((part) => !DIRECTIONS.test(stringValue(part, refs.ctx) ?? ''));
    parts.forEach((part, index) => {
      const name = stringValue(part, refs.ctx);
      const last = index === parts.length - 1;
      if (name !== undefined && last) refs.column(owner, name, 'read', part);
      else if (name !== undefined) owner = singular(name);
      else if (!last) owner = includedModel(refs, part) ?? owner;
      else expressionColumns(refs, owner, part);
    });
  }
}

/** `Post`, `{ model: Post, as }`, `{ association: 'posts' }` or `'posts'`. */
function includedModel(refs: Refs, expression: ts.Expression): string | undefined {
  const object = resolveObject(expression, refs.ctx);
  if (object === undefined) return modelName(expression, false) ?? (stringValue(expression, refs.ctx) && singular(stringValue(expression, refs.ctx)!));
  const model = modelName(objectProperty(object, 'model', refs.ctx), false);
  if (model !== undefined) return model;
  const alias = stringValue(objectProperty(object, 'association', refs.ctx) ?? objectProperty(object, 'as', refs.ctx), refs.ctx);
  return alias === undefined ? undefined : singular(alias);
}

/**
 * `include: [{ model: Post, as: 'posts', attributes, where, include }]`: the joined model is read
 * like the main one; the join reads the foreign key, `<Source>Id` on the target (hasMany/hasOne)
 * or `<as or Target>Id` on the source (belongsTo); the core keeps whichever exists.
 */
function include(refs: Refs, source: string, expression: ts.Expression | undefined, wildcard: boolean, depth = 0): void {
  if (depth > 4) return;
  for (const element of listElements(expression)) {
    const target = includedModel(refs, element);
    if (target === undefined) continue;
    const object = resolveObject(element, refs.ctx);
    const site = unwrap(element);
    const as = stringValue(objectProperty(object, 'as', refs.ctx), refs.ctx);
    refs.column(target, `${source}Id`, 'read', site);
    refs.column(source, `${as ?? target}Id`, 'read', site);
    const foreignKey = stringValue(objectProperty(object, 'foreignKey', refs.ctx), refs.ctx);
    if (foreignKey !== undefined) {
      refs.column(target, foreignKey, 'read', site);
      refs.column(source, foreignKey, 'read', site);
    }
    attributes(refs, target, objectProperty(object, 'attributes', refs.ctx), site, wildcard);
    where(refs, target, objectProperty(object, 'where', refs.ctx));
    order(refs, target, objectProperty(object, 'order', refs.ctx));
    include(refs, target, objectProperty(object, 'include', refs.ctx), wildcard, depth + 1);
  }
}

/** Finder options: `attributes` (none → every attribute), `where`, `order`, `group`, `include`. */
export function finder(refs: Refs, model: string, options: ts.Expression | undefined, site: ts.Node, wildcard: boolean): void {
  const object = options === undefined ? undefined : resolveObject(options, refs.ctx);
  attributes(refs, model, objectProperty(object, 'attributes', refs.ctx), site, wildcard);
  where(refs, model, objectProperty(object, 'where', refs.ctx));
  order(refs, model, objectProperty(object, 'order', refs.ctx));
  for (const group of listElements(objectProperty(object, 'group', refs.ctx))) {
    const name = stringValue(group, refs.ctx);
    if (name !== undefined) refs.column(model, name, 'read', group);
    else expressionColumns(refs, model, group);
  }
  const column = objectProperty(object, 'col', refs.ctx);
  const columnText = stringValue(column, refs.ctx);
  if (column !== undefined && columnText !== undefined) refs.column(model, columnText, 'read', column);
  include(refs, model, objectProperty(object, 'include', refs.ctx), wildcard);
}

/** Keys of `create`/`update`/`bulkCreate` values. */
export function values(refs: Refs, model: string, expression: ts.Expression | undefined, role: Role = 'write'): void {
  for (const element of listElements(expression)) {
    for (const { key, keyNode, value } of objectEntries(element, refs.ctx)) {
      // A JSON/ARRAY attribute or a nested association create (`posts: [{...}]`, which resolves to nothing).
      refs.column(model, key, role, keyNode);
      if (ts.isCallExpression(unwrap(value))) expressionColumns(refs, model, value);
    }
  }
}

/**
 * `increment('a')`, `increment(['a', 'b'])`, `increment({ a: 2 })`: `SET a = a + 1`. The old value
 * only feeds the new one, so, like the same SQL written by hand, it is a write (docs/verdicts.md).
 */
export function counters(refs: Refs, model: string, expression: ts.Expression | undefined): void {
  const object = expression === undefined ? undefined : resolveObject(expression, refs.ctx);
  const names: { name: string; node: ts.Node }[] = object
    ? objectEntries(object, refs.ctx).map((entry) => ({ name: entry.key, node: entry.keyNode }))
    : listElements(expression).flatMap((element) => {
        const name = stringValue(element, refs.ctx);
        return name === undefined ? [] : [{ name, node: element }];
      });
  for (const { name, node } of names) refs.column(model, name, 'write', node);
}
