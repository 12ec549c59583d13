import type { ts } from 'ts-morph';
import { objectProperty, stringValue } from '../../src/rules/helpers.js';
import type { Rule, RuleFileContext } from '../../src/rules/types.js';
import { calleeModule } from '../_shared/imports.js';
import { luciaAdapterVisitor, SQL_SESSION_COLUMNS, type LuciaAdapterTables } from '../_shared/lucia.js';
import { qualifiedTable } from '../_shared/owned.js';

/**
 * @lucia-auth/adapter-postgresql (Lucia v3) runs its own SQL on the session and user tables the
 * app names. Read from github.com/lucia-auth/lucia, branch `v3` at commit fc016ca8 (package
 * version 3.1.2; the repository has no tags): packages/adapter-postgresql/src/base.ts and
 * src/drivers/{node-postgres,postgresjs,neon-http}.ts; the lists are in rules/_shared/lucia.ts.
 *
 * At `new NodePostgresAdapter(pool, { user: 'auth_user', session: 'user_session' })` (likewise
 * `PostgresJsAdapter`, `NeonHTTPAdapter`) the session table's `id`, `user_id` and `expires_at`
 * are read, written and deleted by the library and the user table's `id` is read
 * (`library-owned`); both are read whole (`SELECT *`), so their other columns are wildcard
 * reads. A dotted name (`auth.user_session`) is schema-qualified, as the adapter leaves it
 * unquoted; a name the file cannot know is not guessed. In `new Lucia(adapter, {
 * getUserAttributes, getSessionAttributes })` each `attributes.x` reads column `x` of the user or
 * session table (Lucia passes the rows' other columns through).
 */
const MODULES = ['@lucia-auth/adapter-postgresql'] as const;
const CLASSES = ['NodePostgresAdapter', 'PostgresJsAdapter', 'NeonHTTPAdapter'] as const;

const rule: Rule = {
  name: '@lucia-auth/adapter-postgresql',
  enablers: [...MODULES],
  meta: {
    docs: 'https://v3.lucia-auth.com/database/postgresql',
    upstream: 'https://github.com/lucia-auth/lucia/tree/v3/packages/adapter-postgresql',
    sees: 'the session and user tables named in `new NodePostgresAdapter(pool, { user, session })` (and `PostgresJsAdapter`, `NeonHTTPAdapter`)',
    defaultConfidence: 'high',
  },
  visitors: {
    NewExpression: luciaAdapterVisitor({ modules: MODULES, adapterModule, adapterTables, sessionColumns: SQL_SESSION_COLUMNS }),
  },
};

export default rule;

function adapterModule(node: ts.NewExpression, ctx: RuleFileContext): string | undefined {
  return CLASSES.map((exported) => calleeModule(node.expression, ctx.sourceFile, MODULES, exported)).find((m) => m !== undefined);
}

/** `{ user: 'auth_user', session: 'user_session' }`, the constructor's second argument. */
function adapterTables(node: ts.NewExpression, ctx: RuleFileContext): LuciaAdapterTables {
  const names = node.arguments?.[1];
  const user = stringValue(objectProperty(names, 'user', ctx), ctx);
  const session = stringValue(objectProperty(names, 'session', ctx), ctx);
  return { ...(session !== undefined ? { session: qualifiedTable(session) } : {}), ...(user !== undefined ? { user: qualifiedTable(user) } : {}) };
}
