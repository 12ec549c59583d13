import { ts } from 'ts-morph';
import { objectEntries, resolveObject } from '../../src/rules/helpers.js';
import type { RelationRef, Rule, RuleFileContext, RuleMatch } from '../../src/rules/types.js';
import { DRIZZLE_ADAPTER } from '../_shared/authjs.js';
import { calleeModule, mentionsModule } from '../_shared/imports.js';
import { drizzleModel, drizzleTables } from '../_shared/orm-models.js';
import { ownedRefs, READ_WRITE, READ_WRITE_DELETE, type OwnedTable } from '../_shared/owned.js';

/**
 * @auth/drizzle-adapter queries the Auth.js tables with Drizzle from node_modules. Read from
 * github.com/nextauthjs/next-auth at tag `@auth/drizzle-adapter@1.11.3`:
 * packages/adapter-drizzle/src/index.ts (`DrizzleAdapter` picks the Postgres flavour) and
 * packages/adapter-drizzle/src/lib/pg.ts (`defineTables` and every query of
 * `PostgresDrizzleAdapter`); the lists are in rules/_shared/authjs.ts.
 *
 * At `DrizzleAdapter(db, { usersTable, accountsTable, sessionsTable, verificationTokensTable,
 * authenticatorsTable })` each table the app passes is named by its Drizzle variable (`users`,
 * `schema.users`, an import), the model the drizzle-orm rule declares for `pgTable('user', ...)`;
 * this rule borrows those declarations (rules/_shared/orm-models.ts) so the variable resolves to
 * its table and keys to their column names. The adapter reads, writes and deletes the Auth.js
 * columns by key (`library-owned`) and selects whole table objects, so every other column the
 * app's table declares is a wildcard read. A table the app does not pass is the adapter's
 * default (`user`, `account`, `session`, `verificationToken`, `authenticator`, columns named as
 * their keys), which declares only the Auth.js columns.
 */
const MODULES = ['@auth/drizzle-adapter'] as const;

const rule: Rule = {
  name: '@auth/drizzle-adapter',
  enablers: [...MODULES],
  meta: {
    docs: 'https://authjs.dev/getting-started/adapters/drizzle',
    upstream: 'https://github.com/nextauthjs/next-auth/tree/main/packages/adapter-drizzle',
    sees: 'the Auth.js tables at `DrizzleAdapter(db, { usersTable, accountsTable, ... })`: the app\'s pgTable variables (borrowed drizzle-orm declarations), else the default `user`/`account`/`session`/`verificationToken`',
    defaultConfidence: 'high',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (mentionsModule(ctx.sourceFile, MODULES)) {
        const module = calleeModule(node.expression, ctx.sourceFile, MODULES, 'DrizzleAdapter');
        if (module !== undefined) return adapterTables(node, module, ctx);
      }
      return drizzleTables(node, ctx);
    },
  },
};

export default rule;

function adapterTables(call: ts.CallExpression, module: string, ctx: RuleFileContext): RuleMatch {
  const schemaArg = call.arguments[1];
  const options = schemaArg === undefined ? undefined : resolveObject(schemaArg, ctx);
  const given = new Map(objectEntries(options, ctx).map((entry) => [entry.key, entry.value]));
  const tables: OwnedTable[] = [];
  for (const { option, table, columns, deletes } of DRIZZLE_ADAPTER) {
    const roles = deletes ? READ_WRITE_DELETE : READ_WRITE;
    const value = given.get(option);
    if (value === undefined) {
      // The adapter's own pgTable: exactly these columns, named as their keys.
      tables.push({ relations: [{ table }], columns, roles });
      continue;
    }
    const model = drizzleModel(value, ctx);
    // A table built where this file cannot see (a call, a parameter) is not guessed.
    if (model === undefined) continue;
    const relations: RelationRef[] = [{ model }];
    tables.push({ relations, columns, roles, wildcard: true });
  }
  return { refs: ownedRefs(tables, module, call.getStart(ctx.sourceFile)) };
}
