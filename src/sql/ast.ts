/**
 * Helpers over libpg-query's JSON AST, where a node is `{ TypeName: {...fields} }` and
 * fields typed as a specific struct (RangeVar in UpdateStmt.relation, SelectStmt.larg) are bare.
 */

export type AstObject = Record<string, unknown>;

export function isObject(value: unknown): value is AstObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ SelectStmt: {...} }` → ['SelectStmt', {...}]; anything else → undefined. */
export function unwrap(node: unknown): [string, AstObject] | undefined {
  if (!isObject(node)) return undefined;
  let found: [string, AstObject] | undefined;
  for (const key in node) {
    if (found) return undefined;
    const body = node[key];
    const first = key.charCodeAt(0);
    if (first < 65 || first > 90 || !isObject(body)) return undefined;
    found = [key, body];
  }
  return found;
}

export function bodyOf(node: unknown, type: string): AstObject | undefined {
  const unwrapped = unwrap(node);
  return unwrapped && unwrapped[0] === type ? unwrapped[1] : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The `sval` of a `{ String: { sval } }` node. */
export function stringNode(node: unknown): string | undefined {
  const body = bodyOf(node, 'String');
  return body ? asString(body.sval) ?? '' : undefined;
}

/** A list of String nodes (qualified names, USING lists, alias column names). */
export function stringList(value: unknown): string[] {
  const names: string[] = [];
  for (const item of asArray(value)) {
    const name = stringNode(item);
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The text of a string constant, looking through casts (`'seq'::regclass`). */
export function stringConstant(node: unknown): { value: string; location: number | undefined } | undefined {
  const unwrapped = unwrap(node);
  if (!unwrapped) return undefined;
  const [type, body] = unwrapped;
  if (type === 'TypeCast') return stringConstant(body.arg);
  if (type !== 'A_Const' || !isObject(body.sval)) return undefined;
  const value = asString(body.sval.sval);
  return value === undefined ? undefined : { value, location: asNumber(body.location) };
}

/** A TypeName struct (bare, as in TypeCast.typeName or ColumnDef.typeName). */
export function isTypeName(value: AstObject): boolean {
  return Array.isArray(value.names) && 'typemod' in value;
}

/**
 * Splits a regclass-style string (`public."Runs"`, `runs_id_seq`) into schema and name,
 * folding unquoted parts to lower case the way Postgres does.
 */
export function parseQualifiedName(text: string): { schema: string | undefined; name: string } | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] ?? '').toLowerCase());
    if (match[3] === '' || pattern.lastIndex >= text.length) break;
  }
  if (parts.length === 0 || parts.length > 2) return undefined;
  const name = parts.at(-1) as string;
  return { schema: parts.length === 2 ? parts[0] : undefined, name };
}
