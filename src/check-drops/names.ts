import { asString, isObject } from '../sql/ast.js';

/** A name as a script writes it; no schema means search_path decides. */
export interface QualifiedName {
  schema?: string;
  name: string;
}

/** A RangeVar (a bare struct in libpg-query's AST) as a qualified name; the database part is ignored. */
export function rangeVar(node: unknown): QualifiedName | undefined {
  if (!isObject(node)) return undefined;
  const name = asString(node.relname);
  if (name === undefined) return undefined;
  const schema = asString(node.schemaname);
  return schema === undefined ? { name } : { schema, name };
}

/** `[schema, name]` or `[name]` (a longer list keeps its last two parts). */
export function qualified(parts: string[]): QualifiedName | undefined {
  const name = parts.at(-1);
  if (name === undefined) return undefined;
  const schema = parts.length >= 2 ? parts.at(-2) : undefined;
  return schema === undefined ? { name } : { schema, name };
}

export function display(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}.${name.name}`;
}
