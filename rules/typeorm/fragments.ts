import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import type { Refs, Target } from './refs.js';

/** Words of the SQL TypeORM condition strings are written in, which never name a column. */
const SQL_WORDS = new Set(
  `and or not null is in like ilike between true false asc desc any all exists select from where as on case when then
  else end distinct interval current_timestamp current_date now coalesce lower upper count sum avg min max nulls first
  last similar to escape cast array some unknown at time zone extract epoch date timestamp text int integer numeric
  boolean jsonb json uuid varchar default`.split(/\s+/),
);

/** Raw text of a string or template literal, substitutions blanked out, and the offset of its first character. */
function rawText(literal: ts.Node, refs: Refs): { text: string; offset: number } | undefined {
  const sourceFile = refs.ctx.sourceFile;
  if (!ts.isStringLiteralLike(literal) && !ts.isTemplateExpression(literal)) return undefined;
  const start = literal.getStart(sourceFile) + 1;
  const chars = sourceFile.text.slice(start, literal.end - 1).split('');
  if (ts.isTemplateExpression(literal)) {
    for (const span of literal.templateSpans) {
      const from = span.expression.getFullStart() - 2 - start;
      const to = span.literal.getStart(sourceFile) + 1 - start;
      for (let i = Math.max(0, from); i < Math.min(chars.length, to); i++) chars[i] = ' ';
    }
  }
  return { text: chars.join(''), offset: start };
}

/** `'active'` literals, `:param`/`:...ids` placeholders and comments hold no column names. */
function blankNonNames(text: string): string {
  return text
    .replace(/'(?:[^'\\]|\\.|'')*'/g, (m) => ' '.repeat(m.length))
    .replace(/:\.{0,3}[A-Za-z_]\w*/g, (m) => ' '.repeat(m.length))
    .replace(/--[^\n]*/g, (m) => ' '.repeat(m.length));
}

/**
 * Column names in a query-builder condition/selection string (`'u.email = :e AND u.createdAt > now()'`):
 * `alias.property` tokens are entity properties of that alias; bare identifiers are column names
 * TypeORM leaves as written, of whichever relation of the query has them.
 */
export function fragmentNames(refs: Refs, expression: ts.Expression, aliases: ReadonlyMap<string, Target>): void {
  let literal: ts.Node = unwrap(expression);
  if (ts.isIdentifier(literal)) {
    const value = refs.ctx.valueOf(literal.text, literal.getStart(refs.ctx.sourceFile));
    if (value === undefined) return;
    literal = unwrap(value);
  }
  if (ts.isBinaryExpression(literal) && literal.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    fragmentNames(refs, literal.left, aliases);
    fragmentNames(refs, literal.right, aliases);
    return;
  }
  const raw = rawText(literal, refs);
  if (raw === undefined) return;
  const text = blankNonNames(raw.text);
  const all = distinct([...aliases.values()].flat());
  const pattern = /("?)([A-Za-z_][\w$]*)\1\s*\.\s*("?)([A-Za-z_][\w$]*)\3|([A-Za-z_][\w$]*)/g;
  for (const match of text.matchAll(pattern)) {
    const index = match.index;
    if (match[2] !== undefined && match[4] !== undefined) {
      const relation = aliases.get(match[2]);
      if (relation === undefined) continue;
      const propertyAt = index + match[0].length - match[4].length - match[3]!.length;
      refs.use(relation, match[4], 'read', raw.offset + propertyAt);
      continue;
    }
    const word = match[5];
    if (word === undefined || SQL_WORDS.has(word.toLowerCase()) || aliases.has(word)) continue;
    // A function name (`lower(`) is not a column.
    if (/^\s*\(/.test(text.slice(index + word.length))) continue;
    refs.use(all, word, 'read', raw.offset + index);
  }
}

/** String literals anywhere inside `new Brackets(qb => ...)` or a subquery callback. */
export function nestedFragments(refs: Refs, node: ts.Node, aliases: ReadonlyMap<string, Target>): void {
  const visit = (child: ts.Node): void => {
    if (ts.isStringLiteralLike(child) || ts.isTemplateExpression(child)) {
      fragmentNames(refs, child, aliases);
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
}

function distinct(relations: Target): Target {
  const seen = new Map(relations.map((relation) => [JSON.stringify(relation), relation]));
  return [...seen.values()];
}
