import { lexSql, type LexResult, type LexToken } from './lex.js';

/**
 * Where a hole sits, judged from the SQL before it (already shaped) and the literal text after it.
 * The shaper turns this into text the grammar accepts.
 */
export type HoleContext =
  | 'string'
  | 'qident'
  | 'comment'
  | 'glued'
  | 'qualifier'
  | 'type'
  | 'relation'
  | 'insert-target'
  | 'insert-cols'
  | 'column-name'
  | 'set'
  | 'condition'
  | 'condition-operand'
  | 'in'
  | 'values'
  | 'order'
  | 'limit'
  | 'select-list'
  | 'statement'
  | 'subquery'
  | 'clause-tail'
  | 'default';

export interface HoleSite {
  context: HoleContext;
  /** First token of the literal text after the hole, upper-cased; '' at the end of the template. */
  next: string;
}

const relationKeywords = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'ONLY', 'TRUNCATE', 'COPY', 'VIEW', 'LOCK']);
const conditionKeywords = new Set(['WHERE', 'AND', 'OR', 'ON', 'HAVING', 'WHEN', 'NOT']);
const subqueryOpeners = new Set(['FROM', 'JOIN', 'EXISTS', 'LATERAL', 'AS', 'UNION', 'INTERSECT', 'EXCEPT']);
const clauseStarters = new Set([
  'WHERE', 'ORDER', 'GROUP', 'LIMIT', 'OFFSET', 'HAVING', 'RETURNING', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL',
  'CROSS', 'NATURAL', 'AND', 'OR', 'UNION', 'INTERSECT', 'EXCEPT', 'ON', 'WINDOW', 'FOR', 'FETCH', 'USING', 'SET',
  'VALUES', 'FROM', 'SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE',
]);
/** Keywords that end an operand, so a hole after them starts something new. */
const operandKeywords = new Set(['TRUE', 'FALSE', 'NULL', 'END', 'DESC', 'ASC', 'FIRST', 'LAST']);
const operandFollowers = new Set(['IS', 'IN', 'LIKE', 'ILIKE', 'SIMILAR', 'BETWEEN', 'NOT', 'ISNULL', 'NOTNULL']);
/** Keywords the classifier must not take for table, column or alias names. */
const keywords = new Set([
  ...relationKeywords, ...conditionKeywords, ...clauseStarters, 'SELECT', 'DISTINCT', 'ALL', 'AS', 'BY', 'IN', 'IS',
  'NULL', 'TRUE', 'FALSE', 'CASE', 'THEN', 'ELSE', 'END', 'DEFAULT', 'LIKE', 'ILIKE', 'BETWEEN', 'ANY', 'SOME',
  'ARRAY', 'INTERVAL', 'RECURSIVE', 'LATERAL', 'DO', 'NOTHING', 'CONFLICT', 'DESC', 'ASC', 'NULLS', 'FIRST', 'LAST',
  'OVER', 'PARTITION', 'FILTER', 'WITHIN', 'CAST', 'EXISTS', 'DISTINCT', 'TO', 'OF',
]);

/** `before` is the lexed prefix (the shaper lexes incrementally: prefixes only grow). */
export function classifyHole(prefix: string, before: LexResult, following: string): HoleSite {
  const next = firstToken(following);
  const nextUpper = next?.upper ?? '';
  const site = (context: HoleContext): HoleSite => ({ context, next: nextUpper });

  if (before.state === 'string' || before.state === 'dollar') return site('string');
  if (before.state === 'qident') return site('qident');
  if (before.state === 'comment') return site('comment');

  const lastChar = prefix.at(-1) ?? '';
  const firstChar = following[0] ?? '';
  if (/[A-Za-z0-9_\u0080-\uffff]/.test(lastChar) || /[A-Za-z0-9_\u0080-\uffff$]/.test(firstChar)) return site('glued');
  if (firstChar === '.' || lastChar === '.') return site('qualifier');

  const tokens = before.tokens;
  const prev = tokens.at(-1);
  const prev2 = tokens.at(-2);
  if (!prev || prev.text === ';') return site(startsCondition(next) ? 'condition' : 'statement');
  if (prev.text === '::') return site('type');

  if (prev.text === '(') return site(parenContext(tokens, tokens.length - 1, next));

  if (prev.type === 'word') {
    const word = prev.upper;
    if (word === 'FROM' && prev2?.upper === 'DISTINCT') return site('default');
    if (word === 'USING' && nextUpper !== '(') return site('relation');
    if (relationKeywords.has(word) && !insideFunctionCall(tokens)) return site('relation');
    if (conditionKeywords.has(word) && !(word === 'NOT' && prev2?.upper === 'IS')) {
      return site(isOperandFollower(next) ? 'condition-operand' : 'condition');
    }
    if (word === 'IN') return site('in');
    if (word === 'VALUES') return site('values');
    if (word === 'BY') return site('order');
    if (word === 'LIMIT' || word === 'OFFSET' || word === 'FIRST' || word === 'NEXT') return site('limit');
    if (word === 'SELECT' || word === 'DISTINCT' || word === 'RETURNING' || word === 'ALL') return site('select-list');
    if (word === 'SET') return site(nextUpper === '=' ? 'column-name' : 'set');
  }
  if (isInsertTarget(tokens, tokens.length)) return site('insert-target');

  if (prev.text === ',') {
    const clause = enclosingClause(tokens);
    if (clause.kind === 'paren') return site(parenContext(tokens, clause.index, next));
    switch (clause.kind === 'keyword' ? clause.keyword : '') {
      case 'FROM':
      case 'USING':
      case 'TRUNCATE':
        return site('relation');
      case 'SELECT':
      case 'RETURNING':
        return site('select-list');
      case 'BY':
        return site('order');
      case 'SET':
        return site(nextUpper === '=' ? 'column-name' : 'set');
      default:
        return site('default');
    }
  }

  const endsOperand =
    (prev.type === 'word' && (!keywords.has(prev.upper) || operandKeywords.has(prev.upper))) ||
    prev.type === 'qident' ||
    prev.type === 'number' ||
    prev.type === 'string' ||
    prev.type === 'param' ||
    prev.text === ')';
  if (endsOperand && (next === undefined || next.text === ')' || next.text === ';' || clauseStarters.has(nextUpper))) {
    return site('clause-tail');
  }
  return site('default');
}

function firstToken(text: string): LexToken | undefined {
  return lexSql(text.slice(0, 120)).tokens[0];
}

function startsCondition(next: LexToken | undefined): boolean {
  if (!next) return false;
  return next.upper === 'AND' || next.upper === 'OR' || isOperandFollower(next);
}

function isOperandFollower(next: LexToken | undefined): boolean {
  if (!next) return false;
  if (next.type === 'op') return next.text !== '*';
  return next.type === 'word' && operandFollowers.has(next.upper);
}

/** A hole right after `(` (or after a `,` inside parentheses), judged by what opened the parenthesis. */
function parenContext(tokens: LexToken[], parenIndex: number, next: LexToken | undefined): HoleContext {
  const opener = tokens[parenIndex - 1];
  if (!opener) return 'subquery';
  const firstInside = parenIndex === tokens.length - 1;
  if (opener.type === 'word') {
    const word = opener.upper;
    if (word === 'IN' || word === 'VALUES' || word === 'ANY' || word === 'ALL' || word === 'SOME') return 'default';
    if (word === 'USING' || word === 'CONFLICT') return 'column-name';
    if (firstInside && subqueryOpeners.has(word)) return 'subquery';
    if (conditionKeywords.has(word)) return isOperandFollower(next) ? 'condition-operand' : 'condition';
    if (isInsertTarget(tokens, parenIndex)) return 'insert-cols';
    return 'default';
  }
  if (opener.type === 'qident' && isInsertTarget(tokens, parenIndex)) return 'insert-cols';
  if (opener.text === '(' && firstInside) return isOperandFollower(next) ? 'condition-operand' : 'condition';
  return 'default';
}

/** `INSERT INTO name`, `INTO schema.name`, `INTO name AS alias` just before token index `end`. */
function isInsertTarget(tokens: LexToken[], end: number): boolean {
  let i = end - 1;
  const isName = (t: LexToken | undefined): boolean =>
    t !== undefined && (t.type === 'qident' || (t.type === 'word' && !keywords.has(t.upper)));
  if (!isName(tokens[i])) return false;
  if (tokens[i - 1]?.upper === 'AS' && isName(tokens[i - 2])) i -= 2;
  else if (isName(tokens[i - 1]) && tokens[i - 2]?.text !== '.') i -= 1;
  if (tokens[i - 1]?.text === '.' && isName(tokens[i - 2])) i -= 2;
  return tokens[i - 1]?.upper === 'INTO' && tokens[i - 2]?.upper === 'INSERT';
}

function insideFunctionCall(tokens: LexToken[]): boolean {
  const clause = enclosingClause(tokens);
  if (clause.kind !== 'paren') return false;
  const opener = tokens[clause.index - 1];
  const firstInside = tokens[clause.index + 1];
  return opener?.type === 'word' && !keywords.has(opener.upper) && firstInside?.upper !== 'SELECT';
}

type Clause = { kind: 'paren'; index: number } | { kind: 'keyword'; keyword: string } | { kind: 'start' };

const clauseKeywords = new Set([
  'SELECT', 'FROM', 'WHERE', 'SET', 'VALUES', 'RETURNING', 'BY', 'HAVING', 'LIMIT', 'OFFSET', 'USING', 'INTO',
  'UPDATE', 'JOIN', 'ON', 'WITH', 'TRUNCATE', 'INSERT', 'DELETE', 'TABLE',
]);

/** The nearest clause keyword at the hole's own parenthesis depth, or the parenthesis that encloses it. */
function enclosingClause(tokens: LexToken[]): Clause {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i] as LexToken;
    if (token.text === ')') depth++;
    else if (token.text === '(') {
      if (depth === 0) return { kind: 'paren', index: i };
      depth--;
    } else if (depth === 0) {
      if (token.text === ';') return { kind: 'start' };
      if (token.type === 'word' && clauseKeywords.has(token.upper)) return { kind: 'keyword', keyword: token.upper };
    }
  }
  return { kind: 'start' };
}
