import { queryChainHook } from '../../src/rules/query-builder.js';
import type { Rule } from '../../src/rules/types.js';
import { configuredLedgers } from './ledger.js';
import { readQuery } from './query.js';

/**
 * Kysely: `selectFrom` / `insertInto` / `updateTable` / `deleteFrom` / `mergeInto` start a statement
 * on a table (`'t as x'` aliases it; joins and `from`/`using` add relations). Reads: select lists
 * (strings, lists, `(eb) => [...]` callbacks), where/having/on conditions (`(ref, op, value)` or
 * expression-builder callbacks: `eb(...)`, `eb.ref`, `eb.fn.*`, `and`/`or` objects), `*Ref` pairs,
 * orderBy/groupBy, returning, onConflict targets. Writes: keys of values/set/doUpdateSet objects
 * and an insert's `columns([...])`. `selectAll()`/`returningAll()` (or `jsonAgg('t')`) read every
 * column: a wildcard. Subqueries and callbacks are read with the enclosing query's aliases; a
 * builder kept in a same-file variable keeps its relations. The `sql` template is the core's;
 * CamelCasePlugin names are passed as written (the core tries their snake_case forms).
 * The kysely-codegen `DB` interface is types only: the core counts its properties as `type` mentions.
 * A migration ledger the app renames (`new Migrator({ migrationTableName, migrationLockTableName,
 * migrationTableSchema })`) is the library's own: its tables and columns are library-owned (ledger.ts).
 */

const rule: Rule = {
  name: 'kysely',
  enablers: ['kysely'],
  callShape: /\.(?:selectFrom|insertInto|updateTable|deleteFrom)\(\s*['"`]/,
  meta: {
    docs: 'https://kysely.dev/docs/category/examples',
    upstream: 'https://github.com/kysely-org/kysely',
    sees: 'selectFrom/insertInto/updateTable/deleteFrom chains: select lists, eb callbacks, where, joins, values/set, returning, onConflict; the Migrator ledger and lock under a configured `migrationTableName`/`migrationLockTableName`',
    defaultConfidence: 'high',
  },
  visitors: {
    SourceFile: (_node, ctx) => configuredLedgers(ctx),
    CallExpression: queryChainHook((chain, refs) => readQuery(chain, refs)),
  },
};

export default rule;
