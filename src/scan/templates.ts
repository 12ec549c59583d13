import { ts } from 'ts-morph';
import type { SqlChunk, SqlHole, SqlTemplate } from '../sql/types.js';
import { isLiteralStandIn } from './literal-stand-ins.js';

/**
 * Turns TypeScript expressions into SqlTemplates: literal chunks with absolute positions,
 * and holes described as precisely as the file allows (nested fragments and same-file
 * constants are inlined so the statement around them parses as a whole).
 */

const SQL_TAG_NAMES = new Set([
  'sql',
  'tx',
  'trx',
  'db',
  'pg',
  'client',
  'conn',
  'connection',
  'pool',
  'query',
  'database',
  'reserved',
  'sqlFragment',
  'fragment',
  '$queryRaw',
  '$executeRaw',
  'raw',
]);
const SQL_TAG_SUFFIX = /(?:sql|Sql|SQL|Tx|Db|DB|Query|queryRaw|executeRaw)$/;
const MAX_INLINE_DEPTH = 6;

export interface TemplateContext {
  sourceFile: ts.SourceFile;
  /**
   * Same-file values of `const|let|var name = ...` and later `name = ...` assignments, each with
   * the position from which it holds, so `let where = sql`...`; where = sql`${where} AND ...``
   * resolves to the value in force where the name is used.
   */
  constants: Map<string, { from: number; value: ts.Expression }[]>;
  /** Nodes inlined into a larger template; they are not analysed again on their own. */
  consumed: Set<ts.Node>;
  extraTags?: RegExp;
  /** Client names a library rule learned in this file (`t` in `sql.begin((t) => ...)`), each valid in a range. */
  learnedTags?: LearnedTag[];
}

export interface LearnedTag {
  name: string;
  /** `this.name` rather than a plain identifier. */
  member: boolean;
  start: number;
  end: number;
}

/** The value a same-file name holds at a position, if any assignment before it is known. */
export function valueAt(ctx: TemplateContext, name: string, position: number): ts.Expression | undefined {
  const values = ctx.constants.get(name);
  if (values === undefined) return undefined;
  let found: ts.Expression | undefined;
  for (const entry of values) if (entry.from <= position) found = entry.value;
  return found ?? values[0]?.value;
}

export function unwrap(expr: ts.Expression): ts.Expression {
  let current = expr;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** `this.sql` → `sql`, `getDb()` → `getDb`, `prisma.$queryRaw` → `$queryRaw`. */
export function lastName(expr: ts.Expression): string | undefined {
  const node = unwrap(expr);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isCallExpression(node)) return lastName(node.expression);
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  return undefined;
}

export function isSqlTagName(name: string | undefined, extra?: RegExp): boolean {
  if (name === undefined) return false;
  return SQL_TAG_NAMES.has(name) || SQL_TAG_SUFFIX.test(name) || (extra?.test(name) ?? false);
}

export function isSqlTaggedTemplate(node: ts.Node, ctx: TemplateContext): node is ts.TaggedTemplateExpression {
  return ts.isTaggedTemplateExpression(node) && isSqlTag(node.tag, ctx);
}

/** A tag (or helper callee) that is a SQL client: a conventional name, or one a rule learned where it is used. */
export function isSqlTag(expression: ts.Expression, ctx: TemplateContext): boolean {
  if (isSqlTagName(lastName(expression), ctx.extraTags)) return true;
  const learned = ctx.learnedTags;
  if (learned === undefined || learned.length === 0) return false;
  const expr = unwrap(expression);
  const position = expr.getStart(ctx.sourceFile);
  const isThisMember = ts.isPropertyAccessExpression(expr) && expr.expression.kind === ts.SyntaxKind.ThisKeyword;
  const name = ts.isIdentifier(expr) ? expr.text : isThisMember ? expr.name.text : undefined;
  if (name === undefined) return false;
  return learned.some((tag) => tag.name === name && tag.member === isThisMember && position >= tag.start && position < tag.end);
}

function literalStart(node: ts.Node, ctx: TemplateContext): number {
  // The first character of the text sits after the opening quote, backtick or `}`; a template
  // cut off at the end of the file has an empty, zero-width tail whose text starts where it ends.
  return Math.min(node.getStart(ctx.sourceFile) + 1, node.end);
}

/** A template literal's text and holes; `interpolated` when the holes are JS string interpolation. */
export function templateFromLiteral(
  literal: ts.TemplateLiteral,
  ctx: TemplateContext,
  interpolated: boolean,
  depth = 0,
): SqlTemplate {
  if (ts.isNoSubstitutionTemplateLiteral(literal)) {
    return { chunks: [{ text: literal.text, start: literalStart(literal, ctx) }], holes: [], interpolated };
  }
  const chunks: SqlChunk[] = [{ text: literal.head.text, start: literalStart(literal.head, ctx) }];
  const holes: SqlHole[] = [];
  for (const span of literal.templateSpans) {
    holes.push(holeFor(span.expression, ctx, interpolated, depth));
    chunks.push({ text: span.literal.text, start: literalStart(span.literal, ctx) });
  }
  return { chunks, holes, interpolated };
}

/**
 * The SQL text an expression stands for, when it can be known in this file: string
 * literals, templates, sql-tagged templates, same-file constants and `+` concatenation.
 */
export function templateFromExpression(
  expression: ts.Expression,
  ctx: TemplateContext,
  depth = 0,
): SqlTemplate | undefined {
  if (depth > MAX_INLINE_DEPTH) return undefined;
  const expr = unwrap(expression);
  if (ts.isStringLiteral(expr)) {
    return { chunks: [{ text: expr.text, start: literalStart(expr, ctx) }], holes: [], interpolated: true };
  }
  if (ts.isNoSubstitutionTemplateLiteral(expr) || ts.isTemplateExpression(expr)) {
    return templateFromLiteral(expr, ctx, true, depth);
  }
  if (ts.isTaggedTemplateExpression(expr) && isSqlTaggedTemplate(expr, ctx)) {
    return templateFromLiteral(expr.template, ctx, false, depth + 1);
  }
  if (ts.isIdentifier(expr)) {
    const init = valueAt(ctx, expr.text, expr.getStart(ctx.sourceFile));
    if (init === undefined) return undefined;
    // An imported constant has no text in this file: its text stands where it is used.
    if (isLiteralStandIn(unwrap(init))) return standInTemplate(unwrap(init), expr, ctx);
    const template = templateFromExpression(init, ctx, depth + 1);
    if (template !== undefined) ctx.consumed.add(unwrap(init));
    return template;
  }
  const member = constantMember(expr, (name, position) => valueAt(ctx, name, position), ctx.sourceFile);
  if (member !== undefined && (ts.isStringLiteral(unwrap(member)) || ts.isNoSubstitutionTemplateLiteral(unwrap(member)))) {
    // `${Tables.users}`: the member's text, placed where the code names it.
    return standInTemplate(unwrap(member) as ts.StringLiteral, expr, ctx);
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = templateFromExpression(expr.left, ctx, depth + 1) ?? unknownTemplate(expr.left, ctx);
    const right = templateFromExpression(expr.right, ctx, depth + 1) ?? unknownTemplate(expr.right, ctx);
    return concatTemplates(left, right);
  }
  return undefined;
}

function standInTemplate(value: ts.Expression, usage: ts.Expression, ctx: TemplateContext): SqlTemplate | undefined {
  if (!ts.isStringLiteral(value) && !ts.isNoSubstitutionTemplateLiteral(value)) return undefined;
  return { chunks: [{ text: value.text, start: usage.getStart(ctx.sourceFile) }], holes: [], interpolated: true };
}

/**
 * `Tables.users` or `Tables['users']` where `Tables` is a constant object literal or enum
 * (same-file, or imported as a stand-in): the member's value expression.
 */
export function constantMember(
  expr: ts.Expression,
  valueOf: (name: string, position: number) => ts.Expression | undefined,
  sourceFile: ts.SourceFile,
): ts.Expression | undefined {
  let key: string | undefined;
  let owner: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.name)) [key, owner] = [expr.name.text, expr.expression];
  else if (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression)) [key, owner] = [expr.argumentExpression.text, expr.expression];
  if (key === undefined || owner === undefined) return undefined;
  const head = unwrap(owner);
  if (!ts.isIdentifier(head)) return undefined;
  const value = valueOf(head.text, head.getStart(sourceFile));
  const object = value === undefined ? undefined : unwrap(value);
  if (object === undefined || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = property.name;
    if ((ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === key) return property.initializer;
  }
  return undefined;
}

function unknownTemplate(expr: ts.Expression, ctx: TemplateContext): SqlTemplate {
  const start = expr.getStart(ctx.sourceFile);
  return {
    chunks: [
      { text: '', start },
      { text: '', start: expr.end },
    ],
    holes: [{ kind: 'unknown', text: expr.getText(ctx.sourceFile), start }],
    interpolated: true,
  };
}

function concatTemplates(left: SqlTemplate, right: SqlTemplate): SqlTemplate {
  const lastLeft = left.chunks[left.chunks.length - 1]!;
  const [firstRight, ...restRight] = right.chunks;
  // Joining two chunks keeps the left chunk's start: positions after the seam drift slightly,
  // which only matters when the two strings sit on different lines.
  const joined: SqlChunk = { text: lastLeft.text + (firstRight?.text ?? ''), start: lastLeft.start };
  return {
    chunks: [...left.chunks.slice(0, -1), joined, ...restRight],
    holes: [...left.holes, ...right.holes],
    interpolated: true,
  };
}

/** Describes one `${}` hole. */
function holeFor(expression: ts.Expression, ctx: TemplateContext, interpolated: boolean, depth: number): SqlHole {
  const expr = unwrap(expression);
  const start = expr.getStart(ctx.sourceFile);
  if (depth > MAX_INLINE_DEPTH) return fallbackHole(expr, ctx, interpolated, start);

  if (ts.isTaggedTemplateExpression(expr) && isSqlTaggedTemplate(expr, ctx)) {
    ctx.consumed.add(expr);
    return { kind: 'fragment', template: templateFromLiteral(expr.template, ctx, false, depth + 1), start };
  }
  if (ts.isConditionalExpression(expr)) {
    // `${cond ? sql`AND x = ${y}` : sql``}`: the branch with SQL in it is the one worth parsing.
    const whenTrue = holeFor(expr.whenTrue, ctx, interpolated, depth + 1);
    if (whenTrue.kind === 'fragment' && !isEmptyTemplate(whenTrue.template)) return whenTrue;
    const whenFalse = holeFor(expr.whenFalse, ctx, interpolated, depth + 1);
    if (whenFalse.kind === 'fragment') return whenFalse;
    return whenTrue;
  }
  if (ts.isIdentifier(expr)) {
    const init = valueAt(ctx, expr.text, expr.getStart(ctx.sourceFile));
    if (init !== undefined) {
      const target = unwrap(init);
      if (ts.isTaggedTemplateExpression(target) && isSqlTaggedTemplate(target, ctx)) {
        ctx.consumed.add(target);
        return { kind: 'fragment', template: templateFromLiteral(target.template, ctx, false, depth + 1), start };
      }
      if (ts.isConditionalExpression(target)) {
        const named = holeFor(target, ctx, interpolated, depth + 1);
        if (named.kind === 'fragment') return { ...named, start };
      }
      // In a tagged template a string constant is a bound value; in string interpolation it is SQL text.
      if (interpolated && isLiteralStandIn(target)) {
        const template = standInTemplate(target, expr, ctx);
        if (template !== undefined) return { kind: 'fragment', template, start };
      }
      if (interpolated) {
        const template = templateFromExpression(target, ctx, depth + 1);
        if (template !== undefined) {
          ctx.consumed.add(target);
          return { kind: 'fragment', template, start };
        }
      }
    }
    return fallbackHole(expr, ctx, interpolated, start);
  }
  if (ts.isCallExpression(expr)) {
    const helper = helperHole(expr, ctx, start, depth);
    if (helper !== undefined) return helper;
  }
  if (interpolated) {
    const template = templateFromExpression(expr, ctx, depth + 1);
    if (template !== undefined) return { kind: 'fragment', template, start };
  }
  return fallbackHole(expr, ctx, interpolated, start);
}

function fallbackHole(expr: ts.Expression, ctx: TemplateContext, interpolated: boolean, start: number): SqlHole {
  return interpolated ? { kind: 'unknown', text: expr.getText(ctx.sourceFile), start } : { kind: 'value', start };
}

/**
 * postgres.js helpers inside a template: `sql('table')` / `sql(name)` name an identifier,
 * `sql(obj, 'a', 'b')`, `sql(obj, COLUMNS)`, `sql({ a, b })` and `sql(rows)` list columns,
 * `sql(['a', 'b'])` is a column list in a select list and a value list after IN (the shaper
 * decides by context), `sql.unsafe('...')` is raw text. Objects, arrays and rows may be
 * same-file constants or `items.map((item) => ({ ... }))`.
 */
function helperHole(call: ts.CallExpression, ctx: TemplateContext, start: number, depth: number): SqlHole | undefined {
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'unsafe' && call.arguments[0] !== undefined) {
    const template = templateFromExpression(call.arguments[0], ctx, depth + 1);
    return template === undefined ? undefined : { kind: 'fragment', template, start };
  }
  // `sql.json(x)`, `sql.array(x)` are values; `this.sql(...)` is the client itself.
  const isThisMember = ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (!isSqlTag(callee, ctx) || (ts.isPropertyAccessExpression(callee) && !isThisMember)) return undefined;
  const [first, ...rest] = call.arguments;
  if (first === undefined) return undefined;
  if (rest.length > 0) {
    const names = rest.map((arg) => constantString(arg, ctx) ?? constantStrings(arg, ctx));
    return { kind: 'columns', columns: names.every((n) => n !== undefined) ? names.flat() : undefined, start };
  }
  const literalName = constantString(first, ctx);
  if (literalName !== undefined) return { kind: 'identifier', name: literalName, start };
  const object = constantNode(first, ctx, ts.isObjectLiteralExpression) ?? mappedRow(first);
  if (object !== undefined) return { kind: 'columns', columns: objectKeys(object), start };
  const array = constantNode(first, ctx, ts.isArrayLiteralExpression);
  if (array !== undefined) {
    const row = array.elements[0] === undefined ? undefined : unwrap(array.elements[0] as ts.Expression);
    if (row !== undefined && ts.isObjectLiteralExpression(row)) return { kind: 'columns', columns: objectKeys(row), start };
    const names = constantStrings(array, ctx);
    // sql(['a', 'b']) names columns (the shaper makes it a value list after IN); sql([1, 2]) is values.
    return names !== undefined && names.length > 0 ? { kind: 'columns', columns: names, start } : { kind: 'value', start };
  }
  return { kind: 'unknown', text: call.getText(ctx.sourceFile), start };
}

/** A node of one kind, written inline or held by a same-file constant. */
function constantNode<T extends ts.Node>(expression: ts.Expression, ctx: TemplateContext, is: (node: ts.Node) => node is T): T | undefined {
  const expr = unwrap(expression);
  if (is(expr)) return expr;
  if (!ts.isIdentifier(expr)) return undefined;
  const value = valueAt(ctx, expr.text, expr.getStart(ctx.sourceFile));
  const target = value === undefined ? undefined : unwrap(value);
  return target !== undefined && is(target) ? target : undefined;
}

/** Every element of an array of strings (inline or a same-file constant), or undefined if any is not one. */
function constantStrings(expression: ts.Expression, ctx: TemplateContext): string[] | undefined {
  const array = constantNode(expression, ctx, ts.isArrayLiteralExpression);
  if (array === undefined) return undefined;
  const names = array.elements.map((element) => (ts.isSpreadElement(element) ? undefined : constantString(element, ctx)));
  return names.every((name) => name !== undefined) ? (names as string[]) : undefined;
}

/** The row an `items.map((item) => ({ a: item.x }))` builds for `sql(rows)`. */
function mappedRow(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const call = unwrap(expression);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'map') return undefined;
  const fn = call.arguments[0] === undefined ? undefined : unwrap(call.arguments[0]);
  if (fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  if (!ts.isBlock(fn.body)) {
    const body = unwrap(fn.body);
    return ts.isObjectLiteralExpression(body) ? body : undefined;
  }
  for (const statement of fn.body.statements) {
    if (ts.isReturnStatement(statement) && statement.expression !== undefined) {
      const value = unwrap(statement.expression);
      if (ts.isObjectLiteralExpression(value)) return value;
    }
  }
  return undefined;
}

function objectKeys(obj: ts.ObjectLiteralExpression): string[] | undefined {
  const keys: string[] = [];
  for (const prop of obj.properties) {
    if (ts.isShorthandPropertyAssignment(prop)) keys.push(prop.name.text);
    else if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
      keys.push(prop.name.text);
    } else return undefined;
  }
  return keys;
}

/** A string literal, or a same-file constant holding one. */
export function constantString(expression: ts.Expression, ctx: TemplateContext): string | undefined {
  const expr = unwrap(expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isIdentifier(expr)) {
    const init = valueAt(ctx, expr.text, expr.getStart(ctx.sourceFile));
    if (init !== undefined) {
      const target = unwrap(init);
      if (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) return target.text;
    }
  }
  return undefined;
}

function isEmptyTemplate(template: SqlTemplate): boolean {
  return template.holes.length === 0 && template.chunks.every((chunk) => chunk.text.trim() === '');
}

/** All plain literal text of a template (holes left out), for cheap SQL detection. */
export function templateText(template: SqlTemplate): string {
  return template.chunks.map((chunk) => chunk.text).join(' ');
}
