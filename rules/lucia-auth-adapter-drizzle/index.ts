import type { ts } from 'ts-morph';
import type { Rule, RuleFileContext } from '../../src/rules/types.js';
import { calleeModule } from '../_shared/imports.js';
import { FIELD_SESSION_COLUMNS, luciaAdapterVisitor, type LuciaAdapterTables } from '../_shared/lucia.js';
import { drizzleModel, drizzleTables } from '../_shared/orm-models.js';

/**
 * @lucia-auth/adapter-drizzle (Lucia v3) queries the app's Drizzle session and user tables.
 * Read from github.com/lucia-auth/lucia, branch `v3` at commit fc016ca8 (package version 1.1.0;
 * the repository has no tags): packages/adapter-drizzle/src/drivers/postgresql.ts; the lists are
 * in rules/_shared/lucia.ts.
 *
 * At `new DrizzlePostgreSQLAdapter(db, sessionTable, userTable)` both tables are named by their
 * Drizzle variables, the models the drizzle-orm rule declares for `pgTable(...)`; this rule
 * borrows those declarations (rules/_shared/orm-models.ts) so keys resolve to column names. The
 * session keys `id`, `userId`, `expiresAt` are read, written and deleted and the user's `id` is
 * read by the library (`library-owned`); both tables are selected whole, so every other column
 * they declare is a wildcard read. In `new Lucia(adapter, { getUserAttributes,
 * getSessionAttributes })` each `attributes.x` reads key `x` of the user or session table.
 */
const MODULES = ['@lucia-auth/adapter-drizzle'] as const;

const rule: Rule = {
  name: '@lucia-auth/adapter-drizzle',
  enablers: [...MODULES],
  meta: {
    docs: 'https://v3.lucia-auth.com/database/drizzle',
    upstream: 'https://github.com/lucia-auth/lucia/tree/v3/packages/adapter-drizzle',
    sees: 'the session and user pgTable variables given to `new DrizzlePostgreSQLAdapter(db, sessionTable, userTable)` (borrowed drizzle-orm declarations)',
    defaultConfidence: 'high',
  },
  visitors: {
    NewExpression: luciaAdapterVisitor({ modules: MODULES, adapterModule, adapterTables, sessionColumns: FIELD_SESSION_COLUMNS }),
    CallExpression: (node, ctx) => drizzleTables(node, ctx),
  },
};

export default rule;

function adapterModule(node: ts.NewExpression, ctx: RuleFileContext): string | undefined {
  return calleeModule(node.expression, ctx.sourceFile, MODULES, 'DrizzlePostgreSQLAdapter');
}

/** `(db, sessionTable, userTable)`: Drizzle table variables, named as the drizzle-orm rule names them. */
function adapterTables(node: ts.NewExpression, ctx: RuleFileContext): LuciaAdapterTables {
  const [, sessionArg, userArg] = node.arguments ?? [];
  const session = drizzleModel(sessionArg, ctx);
  const user = drizzleModel(userArg, ctx);
  return { ...(session !== undefined ? { session: { model: session } } : {}), ...(user !== undefined ? { user: { model: user } } : {}) };
}
