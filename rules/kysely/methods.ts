/**
 * Kysely builder methods by what their arguments mean (https://kysely-org.github.io/kysely-apidoc/).
 * A chain using a method outside these lists is not read at all: guessing would turn its
 * strings into uses, while leaving it alone keeps them as plain name matches.
 */

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

/** QueryCreator methods that start a statement on a table, with the role they give it. */
export const STARTS = new Map<string, 'read' | 'write' | 'delete'>([
  ['selectFrom', 'read'],
  ['selectNoFrom', 'read'],
  ['insertInto', 'write'],
  ['replaceInto', 'write'],
  ['updateTable', 'write'],
  ['deleteFrom', 'delete'],
  ['mergeInto', 'write'],
]);

/** QueryCreator methods that may come before the start. */
export const PRELUDE = set('with', 'withRecursive', 'withSchema', 'withPlugin', 'withoutPlugins', 'withTables');

/** More relations: first argument is a table (or a derived one), then the join condition. */
export const JOINS = set(
  ...['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin'],
  ...['innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral', 'crossApply', 'outerApply'],
);
/** `updateTable(...).from(t)`, `deleteFrom(...).using(t)`, `mergeInto(...).using(t, a, b)`. */
export const EXTRA_SOURCES = set('from', 'using');

/** Select lists: strings, lists, callbacks returning lists, expressions. */
export const PROJECTIONS = set('select', 'distinctOn', 'returning', 'output');
/** `selectAll()`, `selectAll('x')`, `returningAll()`: every column of the relation(s). */
export const WILDCARDS = set('selectAll', 'returningAll', 'outputAll');

/** `(ref, operator, value)`, a callback, or an expression. */
export const CONDITIONS = set(
  ...['where', 'having', 'on', 'filterWhere'],
  ...['whenMatchedAnd', 'whenNotMatchedAnd', 'whenNotMatchedBySourceAnd'],
);
/** `(ref, operator, ref)`. */
export const REF_PAIRS = set(
  ...['whereRef', 'havingRef', 'onRef', 'filterWhereRef'],
  ...['whenMatchedAndRef', 'whenNotMatchedAndRef', 'whenNotMatchedBySourceAndRef'],
);
/** Every string argument (or list element) is a reference. */
export const REF_LISTS = set('groupBy', 'partitionBy', 'column', 'columns', 'withinGroupOrderBy');

/** Objects (or callbacks returning them) whose keys are written columns. */
export const WRITES = set('values', 'set', 'doUpdateSet', 'thenUpdateSet', 'thenInsertValues', 'onDuplicateKeyUpdate');

/** Arguments are whole queries or callbacks building them. */
export const SUBQUERIES = set('expression', 'union', 'unionAll', 'intersect', 'intersectAll', 'except', 'exceptAll');
/** A callback given this builder (or a join/conflict/over builder on the same relations). */
export const BUILDER_CALLBACKS = set('$call', '$if', 'onConflict', 'thenUpdate', 'over', 'modifyEnd', 'modifyFront');

/** Methods whose arguments say nothing about columns. */
export const NEUTRAL = set(
  ...['limit', 'offset', 'top', 'fetch', 'distinct', 'as', 'onTrue', 'constraint', 'doNothing', 'defaultValues'],
  ...['forUpdate', 'forShare', 'forNoKeyUpdate', 'forKeyShare', 'skipLocked', 'noWait'],
  ...['$castTo', '$narrowType', '$assertType', '$asTuple', '$asScalar', '$notNull', 'withPlugin', 'withoutPlugins'],
  ...['clearSelect', 'clearWhere', 'clearOrderBy', 'clearGroupBy', 'clearLimit', 'clearOffset', 'clearReturning'],
  ...['ignore', 'orIgnore', 'orAbort', 'orFail', 'orReplace', 'orRollback'],
  ...['whenMatched', 'whenNotMatched', 'whenNotMatchedBySource', 'thenDelete', 'thenDoNothing'],
);

/** The query ends here: what follows runs it or handles the result and is not read. */
export const TERMINALS = set('execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'compile', 'stream', 'explain', 'toOperationNode', 'then', 'catch', 'finally');

const ALL = [PRELUDE, JOINS, EXTRA_SOURCES, PROJECTIONS, WILDCARDS, CONDITIONS, REF_PAIRS, REF_LISTS, WRITES, SUBQUERIES, BUILDER_CALLBACKS, NEUTRAL];

export function isBuilderMethod(name: string): boolean {
  return STARTS.has(name) || name === 'orderBy' || ALL.some((group) => group.has(name));
}
