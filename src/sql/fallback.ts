import { lexSql } from './lex.js';
import { scanSql } from './parser.js';
import { isPlaceholderName, type ShapedSql } from './shape.js';
import type { SchemaLookup, SqlRef } from './types.js';

/** Postgres keyword categories from the scanner: 4 is reserved, the rest can name columns. */
const reservedKeyword = 4;

/**
 * SQL the grammar rejects still names things. Every identifier becomes a `token` ref: a possible
 * mention the matcher weighs low, never proof that a column is used.
 */
export function fallbackRefs(shaped: ShapedSql, lookup: SchemaLookup): SqlRef[] {
  const refs: SqlRef[] = [];
  const seen = new Set<string>();
  const add = (name: string, index: number): void => {
    if (name.length === 0 || isPlaceholderName(name)) return;
    const position = shaped.map.toSource(index);
    const key = `${name}@${position}`;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ kind: 'token', name, position });
  };
  // Unreserved keywords (`name`, `status`, `type`, `data`) are common column names, but also words
  // like `set` and `update`: keep them only when the schema has something by that name.
  const isKnownName = (name: string): boolean =>
    lookup.resolveRelation(undefined, name) !== undefined || lookup.relationsWithColumn(name).length > 0;

  const tokens = scanSql(shaped.text);
  if (tokens) {
    for (const token of tokens) {
      if (token.tokenName === 'IDENT') {
        add(identifierText(token.text), token.start);
      } else if (token.keywordKind !== 0 && token.keywordKind !== reservedKeyword) {
        const name = token.text.toLowerCase();
        if (isKnownName(name)) add(name, token.start);
      }
    }
    return refs;
  }
  // The scanner gives up on unterminated quotes; without keyword knowledge, keep only words the schema knows.
  for (const token of lexSql(shaped.text).tokens) {
    if (token.type === 'qident') add(identifierText(token.text), token.start);
    else if (token.type === 'word' && isKnownName(token.text.toLowerCase())) add(token.text.toLowerCase(), token.start);
  }
  return refs;
}

function identifierText(text: string): string {
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) return text.slice(1, -1).replace(/""/g, '"');
  if (/^u&"/i.test(text)) return text.slice(3, -1);
  return text.toLowerCase();
}
