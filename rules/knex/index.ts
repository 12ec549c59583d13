import { ts } from 'ts-morph';
import { unwrap } from '../../src/rules/helpers.js';
import { queryChainHook } from '../../src/rules/query-builder.js';
import type { Rule } from '../../src/rules/types.js';
import { configuredLedgers } from './ledger.js';
import { readQuery } from './query.js';

/**
 * knex: `knex('t')`, `trx('t')`, `this.knex('t')`, `knex.table/from/into('t')` start a query on a
 * table (`'t as x'` aliases it). Reads: select/column/first/pluck/aggregates, where-family
 * conditions (column, `{ column: value }`, grouped callbacks), joins and their `on` callbacks,
 * orderBy/groupBy/having, returning, onConflict targets. Writes: insert/update/increment/decrement
 * payload keys and `merge([...])`; del/delete deletes the relation. A select chain with no
 * projection that is run (`await knex('t').where(...)`, `.first()`) reads every column: a wildcard.
 * Subqueries and callbacks are read with the enclosing query's aliases. `knex.raw(sql)` and the
 * `whereRaw`/`orderByRaw`/... clauses go to the core as SQL with knex's `?`/`??`/`:name` bindings. camelCase names (objection's
 * knexSnakeCaseMappers, a snake-casing wrapIdentifier) are passed as written: the core tries their
 * snake_case forms. A migration ledger the app renames (`migrations: { tableName }` in a knex
 * config or knexfile, `knex.migrate.latest({ tableName })`) is the library's own: its table, lock
 * and their columns are library-owned (ledger.ts).
 */

const readChain = queryChainHook((chain, refs) => readQuery(chain, refs));

const rule: Rule = {
  name: 'knex',
  enablers: ['knex'],
  callShape: /\bknex\(\s*['"`]\w/,
  meta: {
    docs: 'https://knexjs.org/guide/query-builder.html',
    upstream: 'https://github.com/knex/knex',
    sees: "knex('t') / trx('t') / .from/.into/.table chains: select, where, join, insert, update, del, returning, onConflict; knex.raw and raw clauses as SQL with ? / ?? / :name bindings; the migrations ledger and lock under a configured `tableName`",
    defaultConfidence: 'high',
  },
  visitors: {
    SourceFile: (_node, ctx) => configuredLedgers(ctx),
    CallExpression(node, ctx) {
      // knex.raw('... where id = ?', [id]), trx.raw(...): SQL with knex's own bindings.
      const callee = unwrap(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'raw' && node.arguments[0] !== undefined) {
        return { sql: [{ expression: node.arguments[0], fragment: true, bindings: 'question-and-named' }] };
      }
      return readChain(node, ctx);
    },
  },
};

export default rule;
