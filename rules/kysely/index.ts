import { ts } from 'ts-morph';
import { callChain, isChainTop, unwrap, type CallChain } from '../../src/rules/helpers.js';
import type { Rule } from '../../src/rules/types.js';
import { readQuery } from './query.js';
import { Refs } from '../../src/rules/query-builder.js';

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
 */

/** Chains read as part of an enclosing chain; the core visits them again and they must add nothing. */
const nested = new WeakSet<ts.Node>();

const rule: Rule = {
  name: 'kysely',
  enablers: ['kysely'],
  meta: {
    docs: 'https://kysely.dev/docs/category/examples',
    upstream: 'https://github.com/kysely-org/kysely',
    sees: 'selectFrom/insertInto/updateTable/deleteFrom chains: select lists, eb callbacks, where, joins, values/set, returning, onConflict',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (nested.has(node) || !isChainTop(node)) return undefined;
      const chain = callChain(node);
      // `(await db.selectFrom('t').execute()).map(...)`: the awaited query is visited on its own.
      if (crossesAwait(chain)) return undefined;
      const refs = new Refs(ctx);
      const read = readQuery(chain, refs);
      if (read === undefined) return undefined;
      for (const inner of refs.nested) nested.add(inner);
      // Callbacks given to `.then(...)` handle rows: their strings stay name matches.
      return { refs: refs.list, covers: read.end.call };
    },
  },
};

function crossesAwait(chain: CallChain): boolean {
  return chain.links.some((link) => {
    const callee = unwrap(link.call.expression);
    return ts.isPropertyAccessExpression(callee) && ts.isAwaitExpression(unwrap(callee.expression));
  });
}

export default rule;
