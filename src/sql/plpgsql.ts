import { asNumber, asString, isObject, parseQualifiedName } from './ast.js';
import { dynamicSqlTemplate } from './dynamic-sql.js';
import { fallbackRefs } from './fallback.js';
import { lexSql } from './lex.js';
import { parsePlpgsql } from './parser.js';
import { OffsetMap } from './shape.js';
import type { SchemaLookup, SqlAnalysis, SqlRef, SqlTemplate } from './types.js';
import { lineStarts } from '../text/lines.js';

/** Analyses one SQL text found in the body; `prefix` (not in the body) makes an expression parse. */
export type EmbeddedAnalyzer = (text: string, map: OffsetMap, lookup: SchemaLookup, prefix?: string) => SqlAnalysis;
export type TemplateAnalyzer = (template: SqlTemplate, lookup: SchemaLookup) => SqlAnalysis;

interface DeclaredType {
  typname: string;
  lineno: number;
}

interface Collected {
  embedded: Embedded[];
  declaredTypes: DeclaredType[];
}

interface Embedded {
  query: string;
  parseMode: number;
  lineno: number;
  /** The text is an expression yielding SQL to EXECUTE. */
  dynamic: boolean;
}

// The body is compiled inside a function we invent; which signature compiles depends on the body
// (RETURN QUERY needs SETOF, NEW/OLD need a trigger, $1 needs parameters a trigger may not have).
const signatures = [
  (params: string) => (params ? undefined : '() RETURNS trigger'),
  (params: string) => `(${params}) RETURNS SETOF record`,
  (params: string) => `(${params ? `${params}, ` : ''}OUT __ds_out text) RETURNS SETOF text`,
  (params: string) => `(${params}) RETURNS void`,
];

/** Raw SQL (0), an expression (2), or an assignment `target := expr` (3–5): PG's RawParseMode. */
const rawMode = 0;
const expressionMode = 2;

export function analyzePlpgsqlBody(
  body: string,
  lookup: SchemaLookup,
  analyze: EmbeddedAnalyzer,
  analyzeTemplate: TemplateAnalyzer,
): SqlAnalysis {
  const compiled = compile(body);
  if (!compiled.ok) {
    const map = OffsetMap.identity(body.length);
    return { outcome: 'fallback', refs: fallbackRefs({ text: body, map, dynamic: false }, lookup), error: compiled.message, dynamic: false };
  }
  const embedded: Embedded[] = [];
  const declaredTypes: DeclaredType[] = [];
  collect(compiled.ast, 0, false, { embedded, declaredTypes });
  const bodyLineStarts = lineStarts(body);
  const refs: SqlRef[] = [];
  for (const declared of declaredTypes) {
    const ref = typeRef(declared, body, bodyLineStarts[Math.max(0, declared.lineno - 1)] ?? 0, lookup);
    if (ref) refs.push(ref);
  }
  let dynamic = false;
  for (const item of embedded) {
    const lineStart = bodyLineStarts[Math.max(0, item.lineno - 1)] ?? 0;
    if (analyzeItem(item, body, lineStart, lookup, analyze, analyzeTemplate, refs)) dynamic = true;
  }
  return { outcome: 'parsed', refs, dynamic };
}

function analyzeItem(
  item: Embedded,
  body: string,
  lineStart: number,
  lookup: SchemaLookup,
  analyze: EmbeddedAnalyzer,
  analyzeTemplate: TemplateAnalyzer,
  refs: SqlRef[],
): boolean {
  let text = item.query;
  let prefix = item.parseMode === rawMode ? '' : 'SELECT ';
  if (item.parseMode > expressionMode) {
    const split = splitAssignment(text);
    const target = /^\s*([A-Za-z_][\w$]*)\s*\.\s*("?)([^".\s[]+)\2\s*$/.exec(split.target);
    const start = locate(body, split.target.trim(), lineStart);
    if (target?.[3]) refs.push({ kind: 'token', name: target[2] ? target[3] : target[3].toLowerCase(), position: start });
    text = split.value;
  }
  let start = locate(body, text, lineStart);
  if (item.parseMode === rawMode && /^select\s/i.test(text) && !/^select\s/i.test(body.slice(start, start + 7))) {
    // PERFORM f(x) reaches us as `SELECT f(x)`: only the part after SELECT is in the body.
    text = text.replace(/^select\s+/i, '');
    prefix = 'SELECT ';
    start = locate(body, text, lineStart);
  }
  const result = analyze(text, alignedMap(text, body, start), lookup, prefix);
  refs.push(...result.refs);
  if (!item.dynamic) return result.dynamic;
  const template = dynamicSqlTemplate(text, start);
  if (template) {
    const inner = analyzeTemplate(template, lookup);
    refs.push(...(inner.outcome === 'fallback' ? inner.refs.filter((ref) => ref.kind === 'token') : inner.refs));
  }
  return true;
}

function compile(body: string): { ok: true; ast: unknown } | { ok: false; message: string } {
  const declared = new Set<string>();
  const paramCount = Math.max(0, ...[...body.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
  const params = Array.from({ length: Math.min(paramCount, 100) }, () => 'text').join(', ');
  let tag = '$__ds_body$';
  while (body.includes(tag)) tag = `$__ds_body${tag.length}$`;
  let firstError: string | undefined;
  for (const signature of signatures) {
    const header = signature(params);
    if (header === undefined) continue;
    for (let round = 0; round < 50; round++) {
      const declarations = [...declared].map((name) => `"${name}" record;`).join(' ');
      const code = declared.size === 0 ? body : `DECLARE ${declarations} BEGIN ${body}${/;\s*$/.test(body) ? '' : ';'}\nEND`;
      const parsed = parsePlpgsql(`CREATE FUNCTION __ds_f${header} LANGUAGE plpgsql AS ${tag}${code}${tag}`);
      if (parsed.ok) return parsed;
      firstError ??= parsed.message;
      // Variables the caller's signature declares (parameters, outer blocks) are unknown to us: declare them.
      const unknown = /"([^"]+)" is not a known variable/.exec(parsed.message)?.[1]?.split('.')[0];
      if (unknown === undefined || declared.has(unknown) || /^\$\d+$/.test(unknown)) break;
      declared.add(unknown);
    }
  }
  return { ok: false, message: firstError ?? 'PL/pgSQL body did not compile' };
}

const dynamicKeys: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'query',
  PLpgSQL_stmt_dynfors: 'query',
  PLpgSQL_stmt_return_query: 'dynquery',
  PLpgSQL_stmt_open: 'dynquery',
};

/** Every PLpgSQL_expr and declared variable type in the compiled function, in document order, with its line. */
function collect(node: unknown, lineno: number, dynamic: boolean, out: Collected): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, lineno, dynamic, out);
    return;
  }
  if (!isObject(node)) return;
  const line = asNumber(node.lineno) ?? lineno;
  for (const key in node) {
    const value = node[key];
    if (key === 'PLpgSQL_expr' && isObject(value)) {
      const query = asString(value.query);
      if (query !== undefined) out.embedded.push({ query, parseMode: asNumber(value.parseMode) ?? rawMode, lineno: line, dynamic });
      continue;
    }
    if (key === 'PLpgSQL_type' && isObject(value)) {
      const typname = asString(value.typname);
      if (typname !== undefined && line > 0) out.declaredTypes.push({ typname, lineno: line });
      continue;
    }
    const dynamicField = dynamicKeys[key];
    if (dynamicField && isObject(value)) {
      const stmtLine = asNumber(value.lineno) ?? line;
      for (const field in value) collect(value[field], stmtLine, field === dynamicField, out);
      continue;
    }
    if (typeof value === 'object' && value !== null) collect(value, line, dynamic, out);
  }
}

/** `v run_status;` or `v public.run_status[]`; `%TYPE` and `%ROWTYPE` borrow a table's types and are skipped. */
function typeRef(declared: DeclaredType, body: string, lineStart: number, lookup: SchemaLookup): SqlRef | undefined {
  if (declared.typname.includes('%')) return undefined;
  const name = parseQualifiedName(declared.typname.replace(/\(.*$|\[.*$/, ''));
  if (!name) return undefined;
  const typeId = lookup.resolveType(name.schema, name.name);
  if (!typeId) return undefined;
  const found = body.toLowerCase().indexOf(name.name.toLowerCase(), lineStart);
  return { kind: 'type', typeId, position: found === -1 ? lineStart : found };
}

/**
 * Where an embedded query sits in the body. PL/pgSQL hands back the query text with INTO
 * blanked out, so the first line is searched for when the whole text is not found.
 */
function locate(body: string, text: string, from: number): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) return from;
  const whole = body.indexOf(trimmed, from);
  if (whole !== -1) return whole - (text.length - text.trimStart().length);
  const firstLine = (trimmed.split('\n')[0] ?? '').slice(0, 40).trim();
  const words = firstLine.split(/\s+/).slice(0, 3).join(' ');
  for (const probe of [firstLine, words]) {
    if (probe.length === 0) continue;
    const found = body.indexOf(probe, from);
    if (found !== -1) return found;
  }
  return from;
}

/**
 * Maps the query text PL/pgSQL hands back onto the body token by token: it differs from the
 * source where INTO targets were blanked out and PERFORM became SELECT.
 */
function alignedMap(text: string, body: string, start: number): OffsetMap {
  const queryTokens = lexSql(text).tokens;
  const bodyTokens = lexSql(body.slice(start, start + text.length * 2 + 200)).tokens;
  const points: Array<[number, number]> = [[0, start]];
  let cursor = 0;
  for (const token of queryTokens) {
    let index = cursor;
    while (index < bodyTokens.length && bodyTokens[index]?.text !== token.text) index++;
    const match = bodyTokens[index];
    if (!match) continue;
    points.push([token.start, start + match.start]);
    cursor = index + 1;
  }
  return OffsetMap.fromPoints(points.filter((point, index) => index === 0 || point[0] > (points[index - 1]?.[0] ?? -1)));
}

/** `target := value` (or `target = value`) at the top level of the assignment text. */
function splitAssignment(text: string): { target: string; value: string } {
  const tokens = lexSql(text).tokens;
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token) continue;
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') depth--;
    else if (depth === 0 && token.text === ':' && tokens[index + 1]?.text === '=') {
      const after = tokens[index + 1];
      return { target: text.slice(0, token.start), value: text.slice(after ? after.end : token.end) };
    } else if (depth === 0 && token.text === '=') {
      return { target: text.slice(0, token.start), value: text.slice(token.end) };
    }
  }
  return { target: '', value: text };
}

