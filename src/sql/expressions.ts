import {
  asArray,
  asNumber,
  bodyOf,
  isObject,
  isTypeName,
  parseQualifiedName,
  stringConstant,
  stringList,
  stringNode,
  unwrap,
} from './ast.js';
import type { AstObject } from './ast.js';
import { findQualified, lookupColumn, type DerivedShape, type Origin, type Scope, type ScopeRel } from './scope.js';
import { isPlaceholderName } from './shape.js';
import type { ColumnRole, RelationRole, SchemaLookup, SqlRef } from './types.js';

/** Shared state of one extraction: where refs go and how AST locations become source positions. */
export interface ExtractContext {
  lookup: SchemaLookup;
  refs: SqlRef[];
  /** The text handed to the parser (after shaping and fragment wrapping). */
  text: string;
  /** A parser byte location → absolute source position; undefined or -1 uses the last good one. */
  position(location: number | undefined): number;
  /** Source position of `word` at or after a parser byte location (nodes without a location). */
  positionOfWord(word: string, after: number | undefined): number;
  /** A string index in `text` → absolute source position. */
  positionOfIndex(index: number): number;
  /** A parser byte location → string index in `text`. */
  indexOf(location: number | undefined): number;
  /** Analyses a nested statement (subquery, CTE body) whose outer query levels are `scope`. */
  subquery(node: unknown, scope: Scope): DerivedShape;
  /** Refs of a function or DO body, positions relative to the body text. */
  analyzeBody(language: string, body: string): SqlRef[];
}

const sequenceFunctions = new Set(['nextval', 'currval', 'setval']);

export function emitRelation(ctx: ExtractContext, relationId: string, role: RelationRole, location: number | undefined): void {
  ctx.refs.push({ kind: 'relation', relationId, role, position: ctx.position(location) });
}

export function emitOrigins(
  ctx: ExtractContext,
  origins: Origin[],
  role: ColumnRole,
  location: number | undefined,
  ambiguous: boolean,
): void {
  const position = ctx.position(location);
  for (const origin of origins) {
    ctx.refs.push({ kind: 'column', relationId: origin.relationId, column: origin.column, role, position, ambiguous });
  }
}

function emitToken(ctx: ExtractContext, name: string, location: number | undefined): void {
  if (isPlaceholderName(name)) return;
  ctx.refs.push({ kind: 'token', name, position: ctx.position(location) });
}

/** A column whose table we cannot see (fragments): every relation that has the name, all as guesses. */
export function emitGuess(ctx: ExtractContext, name: string, role: ColumnRole, location: number | undefined): void {
  if (isPlaceholderName(name)) return;
  const position = ctx.position(location);
  for (const relationId of ctx.lookup.relationsWithColumn(name)) {
    ctx.refs.push({ kind: 'column', relationId, column: name, role, position, ambiguous: true });
  }
}

/** `*`, `t.*`, or a whole-row `t`: every column of the relation may be read. */
export function emitWholeRow(ctx: ExtractContext, rel: ScopeRel, location: number | undefined): void {
  const position = ctx.position(location);
  if (rel.kind === 'table') {
    ctx.refs.push({ kind: 'wildcard', relationId: rel.relation.id, position });
  } else if (rel.kind === 'derived') {
    for (const relationId of rel.shape.starIds) ctx.refs.push({ kind: 'wildcard', relationId, position });
    for (const column of rel.shape.columns) emitOrigins(ctx, column.origins, 'read', location, false);
  }
}

/** Writes `name` on an INSERT/UPDATE/MERGE/COPY target. */
export function emitWrite(ctx: ExtractContext, target: ScopeRel, name: string, location: number | undefined): void {
  if (isPlaceholderName(name)) return;
  if (target.kind === 'unknown') {
    if (target.why === 'fragment') emitGuess(ctx, name, 'write', location);
    else if (target.why === 'placeholder') emitToken(ctx, name, location);
    return;
  }
  const found = lookupColumn(target, name);
  if (found.found) emitOrigins(ctx, found.origins, 'write', location, false);
}

/** Walks an expression, reporting column reads, function calls, casts and subqueries. */
export function walkExpr(ctx: ExtractContext, node: unknown, scope: Scope): void {
  if (Array.isArray(node)) {
    for (const item of node) walkExpr(ctx, item, scope);
    return;
  }
  const unwrapped = unwrap(node);
  if (!unwrapped) {
    if (isObject(node)) walkBare(ctx, node, scope);
    return;
  }
  const [type, body] = unwrapped;
  switch (type) {
    case 'ColumnRef':
      resolveColumnRef(ctx, body, scope);
      return;
    case 'FuncCall':
      funcCall(ctx, body, scope);
      return;
    case 'TypeCast':
      typeCast(ctx, body, scope);
      return;
    case 'SubLink':
      walkExpr(ctx, body.testexpr, scope);
      ctx.subquery(body.subselect, scope);
      return;
    case 'SelectStmt':
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      ctx.subquery(node, scope);
      return;
    case 'A_Indirection':
      indirection(ctx, body, scope);
      return;
    default:
      walkBare(ctx, body, scope);
  }
}

function walkBare(ctx: ExtractContext, body: AstObject, scope: Scope): void {
  if (isTypeName(body)) {
    typeName(ctx, body);
    return;
  }
  for (const key in body) {
    const value = body[key];
    if (typeof value === 'object' && value !== null) walkExpr(ctx, value, scope);
  }
}

/**
 * Binds a column reference the way Postgres does: a qualified name to the FROM item it names,
 * an unqualified one to the innermost query level that has it. Returns the base columns read.
 */
export function resolveColumnRef(ctx: ExtractContext, ref: AstObject, scope: Scope): Origin[] {
  const fields = asArray(ref.fields);
  const location = asNumber(ref.location);
  const names = stringList(fields);
  const isStar = fields.length > 0 && bodyOf(fields.at(-1), 'A_Star') !== undefined;
  if (isStar) {
    if (names.length === 0) {
      for (const rel of scope.rels) if (!rel.qualifiedOnly) emitWholeRow(ctx, rel, location);
      return [];
    }
    const rel = findQualified(scope, names);
    if (rel) emitWholeRow(ctx, rel, location);
    return [];
  }
  const column = names.at(-1);
  if (column === undefined || isPlaceholderName(column)) return [];
  if (names.length === 1) return resolveUnqualified(ctx, column, scope, location);

  const qualifier = names.slice(0, -1);
  if (qualifier.some(isPlaceholderName)) return [];
  const rel = findQualified(scope, qualifier);
  if (!rel) {
    if (hasFragmentRelation(scope)) emitGuess(ctx, column, 'read', location);
    else emitToken(ctx, column, location);
    return [];
  }
  return resolveOn(ctx, rel, column, location, false);
}

function resolveOn(ctx: ExtractContext, rel: ScopeRel, column: string, location: number | undefined, ambiguous: boolean): Origin[] {
  if (rel.kind === 'unknown') {
    if (rel.why === 'fragment') emitGuess(ctx, column, 'read', location);
    else emitToken(ctx, column, location);
    return [];
  }
  const found = lookupColumn(rel, column);
  if (!found.found) {
    if (found.unsure) emitToken(ctx, column, location);
    return [];
  }
  emitOrigins(ctx, found.origins, 'read', location, ambiguous);
  return found.origins;
}

function resolveUnqualified(ctx: ExtractContext, column: string, scope: Scope, location: number | undefined): Origin[] {
  let unsure: ScopeRel[] = [];
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    const matches: Origin[][] = [];
    for (const rel of level.rels) {
      if (rel.qualifiedOnly) continue;
      const found = lookupColumn(rel, column);
      if (found.found) matches.push(found.origins);
      else if (found.unsure) unsure = [...unsure, rel];
    }
    if (matches.length > 0) {
      // An unknown relation at an inner level may be the real owner of the name.
      const guessed = unsure.some((rel) => !level.rels.includes(rel));
      if (guessed) emitToken(ctx, column, location);
      const origins = matches.flat();
      emitOrigins(ctx, origins, 'read', location, guessed || matches.length > 1);
      return origins;
    }
  }
  const whole = findQualified(scope, [column]);
  if (whole) {
    emitWholeRow(ctx, whole, location);
    return [];
  }
  if (unsure.some((rel) => rel.kind === 'unknown' && rel.why === 'fragment')) emitGuess(ctx, column, 'read', location);
  else if (unsure.length > 0) emitToken(ctx, column, location);
  return [];
}

function hasFragmentRelation(scope: Scope): boolean {
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    if (level.rels.some((rel) => rel.kind === 'unknown' && rel.why === 'fragment')) return true;
  }
  return false;
}

function funcCall(ctx: ExtractContext, call: AstObject, scope: Scope): void {
  const qualified = stringList(call.funcname);
  const name = qualified.at(-1);
  const schema = qualified.length > 1 ? qualified.at(-2) : undefined;
  const args = asArray(call.args);
  if (name !== undefined && schema !== 'pg_catalog') {
    const functionIds = ctx.lookup.resolveFunction(schema, name, call.agg_star === true ? 0 : args.length);
    if (functionIds.length > 0) {
      ctx.refs.push({ kind: 'function', functionIds, name: qualified.join('.'), position: ctx.position(asNumber(call.location)) });
    }
    if (sequenceFunctions.has(name)) sequenceArgument(ctx, args[0]);
  }
  walkExpr(ctx, args, scope);
  walkExpr(ctx, call.agg_order, scope);
  walkExpr(ctx, call.agg_filter, scope);
  if (isObject(call.over)) walkBare(ctx, call.over, scope);
}

function sequenceArgument(ctx: ExtractContext, arg: unknown): void {
  const literal = stringConstant(arg);
  if (!literal) return;
  const name = parseQualifiedName(literal.value);
  if (!name) return;
  const sequenceId = ctx.lookup.resolveSequence(name.schema, name.name);
  if (sequenceId) ctx.refs.push({ kind: 'sequence', sequenceId, position: ctx.position(literal.location) });
}

function typeCast(ctx: ExtractContext, cast: AstObject, scope: Scope): void {
  walkExpr(ctx, cast.arg, scope);
  if (!isObject(cast.typeName)) return;
  const target = stringList(cast.typeName.names).at(-1);
  // `'runs'::regclass` names a relation in a string: count it as a read.
  if (target === 'regclass') {
    const literal = stringConstant(cast.arg);
    const name = literal && parseQualifiedName(literal.value);
    const relation = name && ctx.lookup.resolveRelation(name.schema, name.name);
    if (relation) emitRelation(ctx, relation.id, 'read', literal.location);
    return;
  }
  typeName(ctx, cast.typeName);
}

export function typeName(ctx: ExtractContext, type: AstObject): void {
  const names = stringList(type.names);
  const name = names.at(-1);
  if (name === undefined || names[0] === 'pg_catalog' || isPlaceholderName(name)) return;
  const typeId = ctx.lookup.resolveType(names.length > 1 ? names.at(-2) : undefined, name);
  if (typeId) ctx.refs.push({ kind: 'type', typeId, position: ctx.position(asNumber(type.location)) });
}

/** `(r).col` is a column of r when r is a FROM item; otherwise a field of a composite value. */
function indirection(ctx: ExtractContext, node: AstObject, scope: Scope): void {
  const ref = bodyOf(node.arg, 'ColumnRef');
  const steps = asArray(node.indirection);
  const field = stringNode(steps[0]);
  if (ref && field !== undefined) {
    const names = stringList(ref.fields);
    const rel = names.length === 1 && lookupColumnAnywhere(scope, names[0] as string) === false ? findQualified(scope, names) : undefined;
    if (rel) {
      resolveOn(ctx, rel, field, asNumber(ref.location), false);
      walkExpr(ctx, steps.slice(1), scope);
      return;
    }
  }
  walkExpr(ctx, node.arg, scope);
  walkExpr(ctx, steps, scope);
}

function lookupColumnAnywhere(scope: Scope, name: string): boolean {
  for (let level: Scope | undefined = scope; level; level = level.parent) {
    if (level.rels.some((rel) => !rel.qualifiedOnly && lookupColumn(rel, name).found)) return true;
  }
  return false;
}
