import { ts } from 'ts-morph';
import { constantMember, unwrap } from '../scan/templates.js';
import type { RuleFileContext } from './types.js';

/** AST helpers shared by the library rules; they read compiler nodes and never allocate wrappers. */

export { unwrap };

/**
 * The string an expression holds when the file can know it: a literal, a constant holding one
 * (same-file or imported), a member of a constant object or enum (`TableName.Users`), or a
 * template whose holes all resolve (`${SHIPMENTS} as s`).
 */
export function stringValue(expression: ts.Expression | undefined, ctx: RuleFileContext, depth = 0): string | undefined {
  if (expression === undefined || depth > MAX_VALUE_DEPTH) return undefined;
  const expr = unwrap(expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isTemplateExpression(expr)) {
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const hole = stringValue(span.expression, ctx, depth + 1);
      if (hole === undefined) return undefined;
      text += hole + span.literal.text;
    }
    return text;
  }
  if (ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    if (value === undefined || value === expression) return undefined;
    const target = unwrap(value);
    // Only what a name is bound to directly: a call or an object is not a string.
    if (ts.isIdentifier(target) || ts.isTemplateExpression(target) || ts.isPropertyAccessExpression(target)) return stringValue(target, ctx, depth + 1);
    return ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target) ? target.text : undefined;
  }
  const member = constantMember(expr, ctx.valueOf, ctx.sourceFile);
  return member === undefined ? undefined : stringValue(member, ctx, depth + 1);
}

const MAX_VALUE_DEPTH = 6;

/** The text of a property name that is an identifier or a string. */
export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name as ts.Node)) return (name as unknown as ts.NoSubstitutionTemplateLiteral).text;
  return undefined;
}

export interface ObjectEntry {
  key: string;
  keyNode: ts.Node;
  /** The value; for `{ email }` the shorthand identifier. */
  value: ts.Expression;
}

/** Keys and values of an object literal (spreads and computed keys are skipped). */
export function objectEntries(expression: ts.Expression | undefined, ctx?: RuleFileContext): ObjectEntry[] {
  const obj = expression === undefined ? undefined : resolveObject(expression, ctx);
  if (obj === undefined) return [];
  const out: ObjectEntry[] = [];
  for (const prop of obj.properties) {
    if (ts.isShorthandPropertyAssignment(prop)) out.push({ key: prop.name.text, keyNode: prop.name, value: prop.name });
    else if (ts.isPropertyAssignment(prop)) {
      const key = propertyNameText(prop.name);
      if (key !== undefined) out.push({ key, keyNode: prop.name, value: prop.initializer });
    } else if (ts.isMethodDeclaration(prop)) {
      const key = propertyNameText(prop.name);
      if (key !== undefined) out.push({ key, keyNode: prop.name, value: prop as unknown as ts.Expression });
    }
  }
  return out;
}

/** An object literal, directly or through a same-file constant. */
export function resolveObject(expression: ts.Expression, ctx?: RuleFileContext): ts.ObjectLiteralExpression | undefined {
  const expr = unwrap(expression);
  if (ts.isObjectLiteralExpression(expr)) return expr;
  if (ctx !== undefined && ts.isIdentifier(expr)) {
    const value = ctx.valueOf(expr.text, expr.getStart(ctx.sourceFile));
    if (value !== undefined && unwrap(value) !== expr) {
      const target = unwrap(value);
      if (ts.isObjectLiteralExpression(target)) return target;
    }
  }
  return undefined;
}

/** The value of one key of an object literal. */
export function objectProperty(expression: ts.Expression | undefined, key: string, ctx?: RuleFileContext): ts.Expression | undefined {
  return objectEntries(expression, ctx).find((entry) => entry.key === key)?.value;
}

/** Elements of an array literal, or the expression itself when it is not an array. */
export function listElements(expression: ts.Expression | undefined): ts.Expression[] {
  if (expression === undefined) return [];
  const expr = unwrap(expression);
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.filter((e): e is ts.Expression => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e));
  return [expr];
}

export interface ChainLink {
  /** The method name (`selectFrom`), or undefined for a direct call of the root (`knex('users')`). */
  method: string | undefined;
  args: readonly ts.Expression[];
  call: ts.CallExpression;
}

export interface CallChain {
  /** The expression the chain starts from (`db`, `this.db`, `knex`). */
  root: ts.Expression;
  /** Calls in execution order. */
  links: ChainLink[];
}

/**
 * A fluent chain `root.a(...).b(...).c(...)` read from its outermost call, in execution order.
 * Awaits, parentheses and non-null assertions in between are looked through.
 */
export function callChain(outermost: ts.CallExpression): CallChain {
  const links: ChainLink[] = [];
  let current: ts.Expression = outermost;
  for (;;) {
    const node = unwrap(current);
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        links.push({ method: callee.name.text, args: node.arguments, call: node });
        current = callee.expression;
        continue;
      }
      links.push({ method: undefined, args: node.arguments, call: node });
      current = callee;
      continue;
    }
    if (ts.isAwaitExpression(node)) {
      current = node.expression;
      continue;
    }
    links.reverse();
    return { root: node, links };
  }
}

/** True for the last call of a chain (`a.b().c()` → the `.c()` call), where chains are read once. */
export function isChainTop(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return !(ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent);
}

/** The dotted text of an entity name or property access (`this.db.users` → ['this','db','users']). */
export function accessPath(expression: ts.Expression): string[] | undefined {
  const expr = unwrap(expression);
  if (ts.isIdentifier(expr)) return [expr.text];
  if (expr.kind === ts.SyntaxKind.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(expr)) {
    const head = accessPath(expr.expression);
    return head === undefined ? undefined : [...head, expr.name.text];
  }
  return undefined;
}

/** The last identifier of a receiver (`this.db` → `db`). */
export function lastIdentifier(expression: ts.Expression): string | undefined {
  const path = accessPath(expression);
  return path?.[path.length - 1];
}

/** Decorators of a class or class member, as `{ name, args }` (`@Column({ name: 'x' })`). */
export function decoratorsOf(node: ts.Node): { name: string; args: readonly ts.Expression[]; node: ts.Decorator }[] {
  if (!ts.canHaveDecorators(node)) return [];
  const out: { name: string; args: readonly ts.Expression[]; node: ts.Decorator }[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const expr = decorator.expression;
    if (ts.isCallExpression(expr)) {
      const name = lastIdentifier(expr.expression);
      if (name !== undefined) out.push({ name, args: expr.arguments, node: decorator });
    } else {
      const name = lastIdentifier(expr);
      if (name !== undefined) out.push({ name, args: [], node: decorator });
    }
  }
  return out;
}

/** Position of a node's first character (after leading trivia). */
export function startOf(node: ts.Node, ctx: RuleFileContext): number {
  return node.getStart(ctx.sourceFile);
}

/** Position of a string literal's text (after its quote, through parentheses), so evidence points at the name. */
export function textStartOf(node: ts.Node, ctx: RuleFileContext): number {
  // unwrap only looks through parentheses and assertions, so any node kind is safe here.
  const target = unwrap(node as ts.Expression);
  const start = target.getStart(ctx.sourceFile);
  return ts.isStringLiteralLike(target) ? start + 1 : start;
}

/**
 * A receiver's name without the marks of a private field (`_db`, `#pool`, `$knex`), so the
 * conventional names of a client (`db`, `pool`, `knex`) also match the fields that hold one.
 */
export function bareName(name: string): string {
  return name.replace(/^[_$#]+/, '');
}

/** Role names a second handle on the same database goes by (`_writer`, `replicaDb`, `readPool`). */
export const DATABASE_ROLE_NAME = /^(?:writer|reader|replica|primary|master|readOnly|readonly|readWrite)$|(?:Writer|Reader|Replica)$/;

const typedNamesCache = new WeakMap<ts.SourceFile, Map<string, Set<string>>>();

/**
 * Names (variables, parameters, class fields; `this.x` is stored as `x`) the file declares with
 * one of `typeNames` as their type: `constructor(private readonly writer: Knex)`,
 * `trx: Knex.Transaction`, `db: Kysely<DB>`. Cached per file and type list.
 */
export function namesTypedAs(sourceFile: ts.SourceFile, typeNames: ReadonlySet<string>, key: string): ReadonlySet<string> {
  let byKey = typedNamesCache.get(sourceFile);
  if (byKey === undefined) typedNamesCache.set(sourceFile, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const out = new Set<string>();
  const typeMatches = (type: ts.TypeNode | undefined): boolean => {
    if (type === undefined) return false;
    if (ts.isUnionTypeNode(type)) return type.types.some(typeMatches);
    if (!ts.isTypeReferenceNode(type)) return false;
    const name = type.typeName;
    // `Knex.Transaction` counts for `Knex` and for `Transaction`.
    return ts.isIdentifier(name) ? typeNames.has(name.text) : typeNames.has(name.right.text) || (ts.isIdentifier(name.left) && typeNames.has(name.left.text));
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node)) && ts.isIdentifier(node.name) && typeMatches(node.type)) {
      out.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  byKey.set(key, out);
  return out;
}
