import { singularize } from 'inflection';
import { ts } from 'ts-morph';
import { callChain, objectEntries, objectProperty, stringValue, textStartOf, unwrap, type CallChain, type ChainLink } from '../../../src/rules/helpers.js';
import { Refs } from '../../../src/rules/query-builder.js';
import type { RelationRef, UseRole } from '../../../src/rules/types.js';
import { payloadObjects } from '../../_shared/payloads.js';
import { isOtherService } from './clients.js';
import { parseColumn, parseLogicTree, parseOrderColumn, parseSelect, type ColumnName, type SelectItem } from './postgrest-syntax.js';

/**
 * One supabase-js chain: `<client>[.schema('s')].from('t').<select|insert|upsert|update|delete>(...)`
 * followed by filters and modifiers (postgrest-js PostgrestQueryBuilder, PostgrestFilterBuilder,
 * PostgrestTransformBuilder), `<client>.rpc('fn', args)`, or a later chain on a variable holding one.
 */

/** What `from()` returns: a query starts with one of these, which also tells it from storage's `from`. */
const STARTS: ReadonlyMap<string, UseRole> = new Map<string, UseRole>([
  ['select', 'read'],
  ['insert', 'write'],
  ['upsert', 'write'],
  ['update', 'write'],
  ['delete', 'delete'],
]);

/** Filters whose first argument is a column. */
const COLUMN_FILTERS = new Set([
  ...['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'is', 'isDistinct', 'in', 'notIn'],
  ...['likeAllOf', 'likeAnyOf', 'ilikeAllOf', 'ilikeAnyOf', 'regexMatch', 'regexIMatch'],
  ...['contains', 'containedBy', 'overlaps', 'rangeGt', 'rangeGte', 'rangeLt', 'rangeLte', 'rangeAdjacent'],
  ...['textSearch', 'not', 'filter'],
]);

/** Methods that say nothing about columns: result shape, paging, headers. */
const NEUTRAL = new Set([
  ...['limit', 'range', 'single', 'maybeSingle', 'csv', 'geojson', 'explain', 'rollback', 'returns', 'overrideTypes'],
  ...['abortSignal', 'throwOnError', 'setHeader', 'maxAffected', 'stripNulls', 'retry'],
]);

/** The result is handled from here on. */
const TERMINALS = new Set(['then', 'catch', 'finally']);

const MAX_STORED_DEPTH = 5;

/** The relations one query can name: its table and the embeds of its select lists, by alias and by name. */
export class Query {
  private readonly embeds = new Map<string, RelationRef>();

  constructor(readonly table: RelationRef) {}

  addEmbed(target: string, alias: string | undefined, schema: string | undefined): RelationRef {
    const ref: RelationRef = schema === undefined ? { table: target } : { table: target, schema };
    this.embeds.set(target, ref);
    if (alias !== undefined) this.embeds.set(alias, ref);
    return ref;
  }

  /** The relation `a.b.col` reads from: the last embed named on the path, or the table. */
  relationOf(path: readonly string[]): RelationRef {
    const last = path[path.length - 1];
    return (last === undefined ? undefined : this.embeds.get(last)) ?? (last === undefined ? this.table : { table: last });
  }
}

interface Start {
  query: Query;
  /** Index of the first link read as part of this query. */
  from: number;
  /** The `from()` argument, where relation evidence points; absent for a stored query. */
  tableNode?: ts.Node;
  /** The stored query already started with select/insert/...: this chain only adds to it. */
  started: boolean;
  schema: string | undefined;
}

/** Reads a chain; undefined when it is not a supabase-js query. */
export function readQuery(chain: CallChain, refs: Refs): { end: { call: ts.CallExpression } } | undefined {
  if (isOtherService(chain.root, refs.ctx)) return undefined;
  const rpc = readRpc(chain, refs);
  if (rpc !== undefined) return rpc;
  const start = startOf(chain, refs, 0);
  if (start === undefined) return undefined;
  const reader = new LinkReader(start.query, refs, start.schema);
  let end: ChainLink | undefined;
  let started = start.started;
  for (const link of chain.links.slice(start.from)) {
    if (link.method === undefined || TERMINALS.has(link.method)) break;
    // Only the first of select/insert/...: a later `.select()` picks what a write returns.
    const role = started ? undefined : STARTS.get(link.method);
    if (role !== undefined) reader.relation(role, start.tableNode ?? methodNode(link));
    if (!reader.read(link, role !== undefined)) break;
    started ||= role !== undefined;
    end = link;
  }
  return end === undefined ? undefined : { end };
}

/** `<client>[.schema('s')].rpc('fn', { a, b })` calls a database function. */
function readRpc(chain: CallChain, refs: Refs): { end: { call: ts.CallExpression } } | undefined {
  const index = chain.links.findIndex((link) => link.method === 'rpc');
  const link = chain.links[index];
  const name = link?.args[0] === undefined ? undefined : stringValue(link.args[0], refs.ctx);
  if (link === undefined || name === undefined || !/^[A-Za-z_][\w$]*$/.test(name)) return undefined;
  const schema = schemaBefore(chain.links, index, refs);
  const args = link.args[1];
  // PostgREST picks the overload by argument names; their count is what the catalog lets us match.
  const entries = args === undefined ? [] : objectEntries(args, refs.ctx);
  const argCount = args === undefined || entries.length > 0 || isEmptyObject(args) ? entries.length : undefined;
  refs.list.push({ kind: 'call', function: name, ...(schema === undefined ? {} : { schema }), ...(argCount === undefined ? {} : { argCount }), position: textStartOf(link.args[0]!, refs.ctx) });
  return { end: link };
}

function isEmptyObject(expression: ts.Expression): boolean {
  const expr = unwrap(expression);
  return ts.isObjectLiteralExpression(expr) && expr.properties.length === 0;
}

function schemaBefore(links: readonly ChainLink[], index: number, refs: Refs): string | undefined {
  const previous = links[index - 1];
  return previous?.method === 'schema' && previous.args[0] !== undefined ? stringValue(previous.args[0], refs.ctx) : undefined;
}

/** Where the query starts: `.from('t')` followed by a PostgREST method, or a variable holding a query. */
function startOf(chain: CallChain, refs: Refs, depth: number): Start | undefined {
  // A stored builder may end at `from` (`const q = supabase.from('t')`): the later chain picks the method.
  const index = chain.links.findIndex((link, i) => link.method === 'from' && (STARTS.has(chain.links[i + 1]?.method ?? '') || (depth > 0 && i === chain.links.length - 1)));
  const from = chain.links[index];
  if (from !== undefined && from.args[0] !== undefined) {
    const table = stringValue(from.args[0], refs.ctx);
    // `from(tableName)`: a table we cannot name; its strings stay name matches.
    if (table === undefined) return undefined;
    const schema = schemaBefore(chain.links, index, refs);
    if (storageUpdate(chain.links[index + 1], refs)) return undefined;
    const query = new Query(schema === undefined ? { table } : { table, schema });
    return { query, from: index + 1, tableNode: unwrap(from.args[0]), started: false, schema };
  }
  // `let q = supabase.from('t').select('a'); if (x) q = q.eq('b', 1)`: the later chain adds to q.
  const root = unwrap(chain.root);
  if (!ts.isIdentifier(root) || depth > MAX_STORED_DEPTH || chain.links[0]?.method === undefined) return undefined;
  const value = refs.ctx.valueOf(root.text, root.getStart(refs.ctx.sourceFile));
  if (value === undefined || !ts.isCallExpression(unwrap(value))) return undefined;
  const storedChain = callChain(unwrap(value) as ts.CallExpression);
  const stored = startOf(storedChain, refs, depth + 1);
  if (stored === undefined || !chain.links.every((link) => link.method !== undefined && isQueryMethod(link.method))) return undefined;
  // Re-reading the stored chain only learns its embeds; it made its own references where it was written.
  const silent = new LinkReader(stored.query, new Refs(refs.ctx), stored.schema);
  const storedLinks = storedChain.links.slice(stored.from);
  for (const link of storedLinks) silent.read(link, false);
  return { query: stored.query, from: 0, started: stored.started || storedLinks.some((link) => STARTS.has(link.method ?? '')), schema: stored.schema };
}

/** Storage's `from(bucket).update(path, file)` has a path first; PostgREST's update takes a row. */
function storageUpdate(next: ChainLink | undefined, refs: Refs): boolean {
  return next !== undefined && next.method === 'update' && next.args[0] !== undefined && stringValue(next.args[0], refs.ctx) !== undefined;
}

function isQueryMethod(method: string): boolean {
  return STARTS.has(method) || COLUMN_FILTERS.has(method) || NEUTRAL.has(method) || ['match', 'or', 'order'].includes(method);
}

/** The name of a method in the source, where evidence for an argument-less call points. */
function methodNode(link: ChainLink): ts.Node {
  const callee = unwrap(link.call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name : link.call;
}

/** Reads each link's columns into `refs`, and the embeds of its select lists into `query`. */
class LinkReader {
  constructor(
    private readonly query: Query,
    private readonly refs: Refs,
    private readonly schema: string | undefined,
  ) {}

  relation(role: UseRole, node: ts.Node): void {
    this.refs.relation(this.query.table, role, node);
  }

  /** False when the link is not a PostgREST method: the query ends before it. */
  read(link: ChainLink, isStart: boolean): boolean {
    const method = link.method!;
    const [first, second] = link.args;
    if (method === 'select') this.select(link, isStart);
    else if (method === 'insert' || method === 'update' || method === 'upsert') this.payload(first, second);
    else if (method === 'delete' || NEUTRAL.has(method)) return true;
    else if (COLUMN_FILTERS.has(method)) this.columnString(first, parseColumn);
    else if (method === 'match') for (const entry of objectEntries(first, this.refs.ctx)) this.column(this.query.table, entry.key, 'read', entry.keyNode, 0);
    else if (method === 'or') this.columnString(first, (text) => parseLogicTree(text), this.referenced(second));
    else if (method === 'order') this.columnString(first, parseOrderColumn, this.referenced(second));
    else return false;
    return true;
  }

  /** `{ referencedTable: 'users' }` (formerly `foreignTable`): the option naming the embed a modifier applies to. */
  private referenced(options: ts.Expression | undefined): string | undefined {
    const value = objectProperty(options, 'referencedTable', this.refs.ctx) ?? objectProperty(options, 'foreignTable', this.refs.ctx);
    return value === undefined ? undefined : stringValue(value, this.refs.ctx);
  }

  private select(link: ChainLink, isStart: boolean): void {
    const [columns, options] = link.args;
    // `select('*', { count: 'exact', head: true })` returns no rows: only the count is read.
    const headOption = objectProperty(options, 'head', this.refs.ctx);
    const head = isStart && headOption !== undefined && unwrap(headOption).kind === ts.SyntaxKind.TrueKeyword;
    const text = columns === undefined ? '*' : stringValue(columns, this.refs.ctx);
    // A select list built at run time may name any column.
    if (text === undefined) {
      this.refs.wildcard(this.query.table, columns ?? methodNode(link));
      return;
    }
    const node = columns ?? methodNode(link);
    const at = textStartOf(node, this.refs.ctx);
    // Inside a string written in place, each name gets its own position (its line in a multi-line list).
    const literal = columns !== undefined && isLiteral(columns);
    this.items(parseSelect(text), this.query.table, head, (offset) => (literal ? at + offset : at));
  }

  private items(items: readonly SelectItem[], relation: RelationRef, head: boolean, position: (offset: number) => number): void {
    for (const item of items) {
      if (item.kind === 'star') {
        if (!head) this.refs.list.push({ kind: 'wildcard', relation, position: position(item.offset) });
      } else if (item.kind === 'column') {
        this.refs.list.push({ kind: 'use', relations: [relation], name: item.name, role: 'read', position: position(item.offset) });
      } else this.embed(item, relation, position);
    }
  }

  /**
   * `author:users!posts_author_id_fkey(name)`: the target is a table, or a foreign-key column or
   * constraint of the parent (`sender:sender_id(name)`), which only the schema can tell. The parent
   * column is read when it exists; the embedded columns bind to the target table, or else stay
   * tokens that lower confidence (`orToken`).
   */
  private embed(item: Extract<SelectItem, { kind: 'embed' }>, parent: RelationRef, position: (offset: number) => number): void {
    const embedded = this.query.addEmbed(item.target, item.alias, this.schema);
    const at = position(item.offset);
    this.refs.list.push({ kind: 'use', relations: [embedded], role: 'read', position: at });
    this.refs.list.push({ kind: 'use', relations: [parent], name: item.target, role: 'read', position: at });
    for (const hint of item.hints) {
      for (const name of hintColumns(hint, parent, embedded)) this.refs.list.push({ kind: 'use', relations: [parent, embedded], name, role: 'read', position: at });
    }
    // Without a hint PostgREST joins on the one foreign key between the two: by convention
    // `events:ticket_events(...)` under `tickets` joins on `ticket_events.ticket_id`.
    if (item.hints.length === 0 && !item.target.endsWith('_id')) {
      this.refs.list.push({ kind: 'use', relations: [embedded], name: `${singularize(tableName(parent))}_id`, role: 'read', position: at });
      this.refs.list.push({ kind: 'use', relations: [parent], name: `${singularize(item.target)}_id`, role: 'read', position: at });
    }
    for (const inner of item.items) {
      if (inner.kind === 'embed') this.embed(inner, embedded, position);
      else if (inner.kind === 'star') this.refs.list.push({ kind: 'wildcard', relation: embedded, position: position(inner.offset) });
      else this.refs.list.push({ kind: 'use', relations: [embedded], name: inner.name, role: 'read', position: position(inner.offset), orToken: true });
    }
  }

  /** insert/upsert/update: each payload key is written; `onConflict: 'a,b'` names the unique columns read. */
  private payload(values: ts.Expression | undefined, options: ts.Expression | undefined): void {
    if (values === undefined) return;
    for (const object of payloadObjects(values, this.refs.ctx)) {
      for (const entry of objectEntries(object, this.refs.ctx)) this.column(this.query.table, entry.key, 'write', entry.keyNode, 0);
    }
    const conflict = objectProperty(options, 'onConflict', this.refs.ctx);
    const text = conflict === undefined ? undefined : stringValue(conflict, this.refs.ctx);
    if (conflict === undefined || text === undefined) return;
    let offset = 0;
    for (const part of text.split(',')) {
      const name = part.trim();
      if (name !== '') this.column(this.query.table, name, 'read', conflict, isLiteral(conflict) ? offset + part.indexOf(name) : undefined);
      offset += part.length + 1;
    }
  }

  /** A filter/order/or argument: each column it names, in the table or in the embed its path or option names. */
  private columnString(arg: ts.Expression | undefined, parse: (text: string) => ColumnName | ColumnName[] | undefined, referenced?: string): void {
    if (arg === undefined) return;
    const text = stringValue(arg, this.refs.ctx);
    if (text === undefined) return;
    const parsed = parse(text);
    for (const column of parsed === undefined ? [] : Array.isArray(parsed) ? parsed : [parsed]) {
      const path = referenced === undefined ? column.path : [referenced, ...column.path];
      this.column(this.query.relationOf(path), column.name, 'read', arg, isLiteral(arg) ? column.offset : undefined);
    }
  }

  private column(relation: RelationRef, name: string, role: UseRole, node: ts.Node, offset: number | undefined): void {
    const position = textStartOf(node, this.refs.ctx) + (offset ?? 0);
    this.refs.list.push({ kind: 'use', relations: [relation], name, role, position });
  }
}

/**
 * The columns a `!hint` names: a column of either side, or a constraint Postgres named
 * `<table>_<column>_fkey` by default (`users!posts_author_id_fkey` joins on `posts.author_id`).
 */
function hintColumns(hint: string, ...sides: RelationRef[]): string[] {
  for (const side of sides) {
    const table = tableName(side);
    if (hint.startsWith(`${table}_`) && hint.endsWith('_fkey')) return [hint.slice(table.length + 1, -'_fkey'.length)];
  }
  return [hint];
}

function tableName(ref: RelationRef): string {
  return 'table' in ref ? ref.table : ref.model;
}

/** A string written in place, so offsets inside it are offsets in the file. */
function isLiteral(node: ts.Node): boolean {
  const expr = unwrap(node as ts.Expression);
  return ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr);
}
