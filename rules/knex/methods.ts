/**
 * knex QueryBuilder methods by what their arguments mean (https://knexjs.org/guide/query-builder.html).
 * A chain using a method outside these lists is not read at all: guessing would turn its
 * strings into uses, while leaving it alone keeps them as plain name matches.
 */

import type { ts } from 'ts-morph';
import { DATABASE_ROLE_NAME, bareName, namesTypedAs } from '../../src/rules/helpers.js';
const set = (...names: string[]): ReadonlySet<string> => new Set(names);

/** Where the table comes from. */
export const SOURCES = set('from', 'table', 'into');

/** Every argument is a column (or a list / `{ alias: column }` of them); they make the query's output. */
export const PROJECTIONS = set('select', 'column', 'columns', 'distinct', 'pluck', 'first');
export const AGGREGATES = set('count', 'countDistinct', 'min', 'max', 'sum', 'sumDistinct', 'avg', 'avgDistinct');

/** First argument is a column, `{ column: value }`, a list of columns (whereIn), or a grouping callback. */
export const CONDITIONS = set(
  ...['where', 'andWhere', 'orWhere', 'whereNot', 'andWhereNot', 'orWhereNot'],
  ...['whereIn', 'orWhereIn', 'whereNotIn', 'orWhereNotIn', 'andWhereIn', 'andWhereNotIn'],
  ...['whereNull', 'orWhereNull', 'whereNotNull', 'orWhereNotNull', 'andWhereNull', 'andWhereNotNull'],
  ...['whereBetween', 'orWhereBetween', 'whereNotBetween', 'orWhereNotBetween', 'andWhereBetween', 'andWhereNotBetween'],
  ...['whereLike', 'orWhereLike', 'andWhereLike', 'whereILike', 'orWhereILike', 'andWhereILike'],
  ...['having', 'orHaving', 'andHaving', 'havingNot', 'orHavingNot', 'havingIn', 'orHavingIn', 'havingNotIn', 'orHavingNotIn'],
  ...['havingNull', 'orHavingNull', 'havingNotNull', 'orHavingNotNull', 'havingBetween', 'orHavingBetween'],
  ...['havingNotBetween', 'orHavingNotBetween'],
  ...['whereJsonObject', 'orWhereJsonObject', 'andWhereJsonObject', 'whereNotJsonObject', 'orWhereNotJsonObject'],
  ...['whereJsonPath', 'orWhereJsonPath', 'andWhereJsonPath'],
  ...['whereJsonSupersetOf', 'orWhereJsonSupersetOf', 'andWhereJsonSupersetOf', 'whereJsonNotSupersetOf', 'orWhereJsonNotSupersetOf'],
  ...['whereJsonSubsetOf', 'orWhereJsonSubsetOf', 'andWhereJsonSubsetOf', 'whereJsonNotSubsetOf', 'orWhereJsonNotSubsetOf'],
  // Join clauses (inside `join('t', function () { this.on(...) })`) read the same way.
  ...['onIn', 'andOnIn', 'orOnIn', 'onNotIn', 'andOnNotIn', 'orOnNotIn'],
  ...['onNull', 'andOnNull', 'orOnNull', 'onNotNull', 'andOnNotNull', 'orOnNotNull'],
  ...['onBetween', 'andOnBetween', 'orOnBetween', 'onNotBetween', 'andOnNotBetween', 'orOnNotBetween'],
  ...['onVal', 'andOnVal', 'orOnVal', 'onLike', 'andOnLike', 'orOnLike'],
);

/** `(a, b)` or `(a, operator, b)`: both sides are columns. */
export const COLUMN_PAIRS = set(
  ...['whereColumn', 'andWhereColumn', 'orWhereColumn', 'whereNotColumn', 'andWhereNotColumn', 'orWhereNotColumn'],
  ...['on', 'andOn', 'orOn', 'onJsonPathEquals', 'andOnJsonPathEquals', 'orOnJsonPathEquals'],
);

/** Every argument is a column or a list of them. */
export const COLUMN_LISTS = set('groupBy', 'distinctOn', 'using', 'partitionBy');

/** A subquery whose projection does not matter. */
export const EXISTS = set('whereExists', 'orWhereExists', 'whereNotExists', 'orWhereNotExists', 'andWhereExists', 'onExists', 'andOnExists', 'orOnExists', 'onNotExists', 'andOnNotExists', 'orOnNotExists');

export const JOINS = set('join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin', 'outerJoin');

/** Raw SQL clauses: the first argument goes to the core's SQL parser. */
export const RAW_CLAUSES = set(
  ...['whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'andHavingRaw'],
  ...['orderByRaw', 'groupByRaw', 'joinRaw', 'onConflictRaw'],
);

/** Statement kinds. */
export const INSERTS = set('insert', 'upsert');
export const UPDATES = set('update', 'increment', 'decrement');
export const DELETES = set('del', 'delete', 'truncate');

/** Subqueries or callbacks building whole queries (set operations, CTEs). */
export const SET_OPERATIONS = set('union', 'unionAll', 'intersect', 'except');
export const CTES = set('with', 'withRecursive', 'withMaterialized', 'withNotMaterialized');

/** Methods whose arguments say nothing about columns. */
export const NEUTRAL = set(
  ...['as', 'limit', 'offset', 'clearSelect', 'clearWhere', 'clearOrder', 'clearGroup', 'clearHaving', 'clearCounters', 'clear'],
  ...['forUpdate', 'forShare', 'forNoKeyUpdate', 'forKeyShare', 'skipLocked', 'noWait', 'transacting', 'timeout'],
  ...['connection', 'options', 'debug', 'hintComment', 'comment', 'queryContext', 'ignore', 'clone'],
);

/** Methods read one by one in query.ts. */
export const SPECIFIC = set('orderBy', 'modify', 'returning', 'onConflict', 'merge', 'withSchema');

/** The query ends here: what follows handles the result (or the promise) and is not read. */
export const TERMINALS = set('then', 'catch', 'finally', 'asCallback', 'stream', 'pipe', 'toSQL', 'toString', 'toQuery', 'explain');

const ALL = [SOURCES, PROJECTIONS, AGGREGATES, CONDITIONS, COLUMN_PAIRS, COLUMN_LISTS, EXISTS, JOINS, RAW_CLAUSES, INSERTS, UPDATES, DELETES, SET_OPERATIONS, CTES, NEUTRAL, SPECIFIC];

export function isBuilderMethod(name: string): boolean {
  return ALL.some((group) => group.has(name));
}

/**
 * Names a knex instance or transaction usually goes by (`knex('t')`, `trx('t')`, `this.db('t')`,
 * a repository's `this._writer('t')`), or that the file types as `Knex`/`Knex.Transaction`.
 */
export function isKnexHandle(name: string | undefined, typed: ReadonlySet<string> = NONE): boolean {
  if (name === undefined) return false;
  if (typed.has(name)) return true;
  const bare = bareName(name);
  return /^(?:knex|db|trx|tx|k|kx|database|conn|connection|transaction|qb)$/i.test(bare) || /(?:Knex|Db|DB|Trx|Tx)$/.test(bare) || DATABASE_ROLE_NAME.test(bare);
}

const NONE: ReadonlySet<string> = new Set();
const KNEX_TYPES: ReadonlySet<string> = new Set(['Knex']);

/** Names this file declares with a knex type (`constructor(private readonly store: Knex)`). */
export function knexTypedNames(sourceFile: ts.SourceFile): ReadonlySet<string> {
  return namesTypedAs(sourceFile, KNEX_TYPES, 'knex');
}
