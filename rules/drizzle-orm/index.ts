import type { Rule } from '../../src/rules/types.js';
import { relationsHook, tableDeclarationHook } from './declarations.js';
import { queryHook, tableColumnsHook } from './queries.js';

/**
 * Drizzle ORM: `pgTable('users', { tsKey: text('db_col') })` (and `pgSchema().table`,
 * `pgTableCreator`, `pgView`) declares a model named after its variable, with its keys as
 * fields; `relations()` declares how relation names join. Query builder chains read the
 * `<table>.<key>` columns in select/where/orderBy/groupBy/join/returning, write the keys of
 * `.values()` and `.set()`, and read every column for `select()` and `.returning()` without
 * arguments. `db.query.<table>.findMany({ columns, with })` reads the picked columns, or every
 * column without `columns`. `sql` templates and `db.execute` are left to the core's SQL parser.
 */
const rule: Rule = {
  name: 'drizzle-orm',
  enablers: ['drizzle-orm'],
  callShape: /\bpgTable\(\s*['"`]/,
  meta: {
    docs: 'https://orm.drizzle.team/docs/overview',
    upstream: 'https://github.com/drizzle-team/drizzle-orm',
    sees: 'pgTable/relations declarations; select/insert/update/delete chains, db.query findMany columns/with',
    defaultConfidence: 'high',
  },
  visitors: {
    // Declarations and queries are told apart by shape; a query is read once, from its last call.
    CallExpression(node, ctx) {
      return tableDeclarationHook(node, ctx) ?? relationsHook(node, ctx) ?? tableColumnsHook(node, ctx) ?? queryHook(node, ctx);
    },
  },
};

export default rule;
