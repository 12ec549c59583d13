import { lexSql, type LexToken } from './lex.js';

/** The stand-in relation for whatever table a fragment is eventually glued to. */
export const fragmentRelation = '__ds_frag';

/** Relations a library says a fragment belongs to (`knex('customers as c').whereRaw(...)`). */
export interface FragmentContext {
  relations: { table: string; schema?: string; alias?: string }[];
}

function relationText(relation: FragmentContext['relations'][number]): string {
  const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const name = relation.schema === undefined ? quote(relation.table) : `${quote(relation.schema)}.${quote(relation.table)}`;
  return relation.alias === undefined ? name : `${name} AS ${quote(relation.alias)}`;
}

export interface FragmentWrapper {
  prefix: string;
  suffix: string;
}

const wrap = (prefix: string, suffix = ''): FragmentWrapper => ({ prefix, suffix });

const joinWords = new Set(['JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL']);
/** A text starting with these is a statement; wrapping it cannot help. */
const statementWords = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'MERGE', 'CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'COPY', 'CALL',
  'EXPLAIN', 'LOCK', 'REFRESH', 'GRANT', 'REVOKE', 'COMMENT',
]);
const tailClauses = new Set(['WHERE', 'ORDER', 'GROUP', 'HAVING', 'LIMIT', 'OFFSET', 'WINDOW', 'FETCH', 'FOR']);

/**
 * Statements that make a fragment parse, best first, chosen by its first words.
 * `AND a = $1` only parses after a WHERE; `SET a = 1` only inside an UPDATE; and so on.
 */
export function fragmentWrappers(text: string, context?: FragmentContext): FragmentWrapper[] {
  // A known context puts the real relations (with their aliases) where the stand-in would be.
  const target = context === undefined ? fragmentRelation : relationText(context.relations[0]!);
  const list = context === undefined ? fragmentRelation : context.relations.map(relationText).join(', ');
  const from = `SELECT FROM ${list}`;
  const tokens = lexSql(text).tokens;
  const first = tokens[0];
  if (!first) return [];
  const word = first.type === 'word' ? first.upper : '';
  const second = tokens[1]?.upper ?? '';

  if (word === 'AND' || word === 'OR') return [wrap(`${from} WHERE TRUE `)];
  if (word === 'NOT') return [wrap(`${from} WHERE `)];
  if (tailClauses.has(word) || joinWords.has(word)) return [wrap(`${from} `)];
  if (word === 'ON' && second === 'CONFLICT') return [wrap(`INSERT INTO ${target} DEFAULT VALUES `)];
  if (word === 'ON') return [wrap(`${from} JOIN ${fragmentRelation} AS ${fragmentRelation}_2 `)];
  if (word === 'SET') return [wrap(`UPDATE ${target} `)];
  if (word === 'RETURNING') return [wrap(`DELETE FROM ${target} `)];
  if (word === 'FROM') return [wrap('SELECT ')];
  if (word === 'USING') return [wrap(`DELETE FROM ${target} `)];
  if (word === 'VALUES' || word === 'DEFAULT' || word === 'OVERRIDING') return [wrap(`INSERT INTO ${target} `)];
  if (word === 'UNION' || word === 'INTERSECT' || word === 'EXCEPT') return [wrap('SELECT 1 ')];
  if (word === 'DO') return [wrap(`INSERT INTO ${target} DEFAULT VALUES ON CONFLICT `)];
  if (word === 'ASC' || word === 'DESC' || word === 'NULLS' || statementWords.has(word)) return [];

  const expression = [
    wrap('SELECT ', ` FROM ${list}`),
    wrap(`${from} WHERE `),
    wrap(`${from} ORDER BY `),
    wrap(`${from} GROUP BY `),
  ];
  if (first.text === '(') return [wrap(`INSERT INTO ${target} `), ...expression];
  if (isAssignmentList(tokens)) return [wrap(`UPDATE ${target} SET `), ...expression];
  return expression;
}

/**
 * `a = $1, b = $2` reads as a SET list, not a list of comparisons. A single `a = $1`
 * stays a condition: guessing a read is the safer mistake.
 */
function isAssignmentList(tokens: LexToken[]): boolean {
  let depth = 0;
  let items = 1;
  let expectName = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as LexToken;
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (depth === 0 && token.text === ',') {
      items++;
      expectName = true;
    } else if (expectName) {
      const isName = token.type === 'word' || token.type === 'qident';
      const next = tokens[i + 1];
      if (!isName || next?.text !== '=') return false;
      expectName = false;
    }
  }
  return items > 1;
}
